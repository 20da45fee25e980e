/**
 * Send, don't only copy: a signing link, a payment link or an invoice (as a
 * signed PDF link) goes to the customer through the one shared sender
 * (`sendToCustomer`: WhatsApp when the conversation is open, else SMS), which
 * stores the message in the customer's timeline. The document must belong to
 * the caller's business and have a customer with a phone.
 */
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { businesses, contracts, customers, invoices, paymentLinks } from "../../../db/schema";
import { invoicePdfPath } from "../../billing/invoice-pdf-link";
import { AppError } from "../../../core/kernel/errors";
import { formatAgorot, formatDate } from "../../../core/kernel/format";
import { parseInput } from "../../lib/parse-input";
import { writeAudit } from "../../../core/domain/write-audit";
import { sendContract } from "../contracts/send-contract";
import { sendToCustomer, type TSendPurpose, type TSendToCustomerDeps } from "../messaging/send-to-customer";
import type { TScope } from "../../../core/domain/scope";
import { INVOICE_TYPE_LABEL } from "./invoice-rules";

export const ZSendChannel = z.enum(["auto", "whatsapp", "sms"]).default("auto");
export const ZSendDocument = z.object({ id: z.uuid(), channel: ZSendChannel });

export interface TBillingSendDeps {
  messaging: TSendToCustomerDeps;
  /** Public origin for the links in the message, e.g. https://kesher.example.com. */
  origin: string;
  /** Server secret that signs invoice PDF links. */
  secret: string;
}

export interface TBillingSendResult {
  channel: "whatsapp" | "sms";
  messageId: string;
  url: string;
}

async function recipient(deps: TBillingSendDeps, scope: TScope, customerId: string | null) {
  if (!customerId) throw new AppError("UNPROCESSABLE", "document has no customer", { userMessage: "למסמך אין לקוח מה-CRM: אפשר רק להעתיק את הקישור" });
  const [c] = await deps.messaging.db
    .select({ id: customers.id, fullName: customers.fullName, phone: customers.phone })
    .from(customers)
    .where(and(eq(customers.id, customerId), eq(customers.businessId, scope.businessId)));
  if (!c) throw new AppError("NOT_FOUND", "customer not found", { userMessage: "הלקוח לא נמצא" });
  if (!c.phone) throw new AppError("UNPROCESSABLE", "customer has no phone", { userMessage: "ללקוח אין מספר טלפון" });
  const [b] = await deps.messaging.db.select({ name: businesses.name }).from(businesses).where(eq(businesses.id, scope.businessId));
  const first = c.fullName?.trim().split(/\s+/)[0];
  return { customerId: c.id, greeting: first ? `שלום ${first},` : "שלום,", business: b?.name ?? "" };
}

async function deliver(
  deps: TBillingSendDeps,
  scope: TScope,
  to: { customerId: string },
  msg: { body: string; purpose: TSendPurpose; channel: "auto" | "whatsapp" | "sms"; url: string; entityType: string; entityId: string },
): Promise<TBillingSendResult> {
  const sent = await sendToCustomer(deps.messaging, {
    businessId: scope.businessId,
    customerId: to.customerId,
    body: msg.body,
    purpose: msg.purpose,
    channel: msg.channel,
    authorUserId: scope.userId,
  });
  await writeAudit(deps.messaging.db, scope, { action: `${msg.entityType}s.sent_to_customer`, entityType: msg.entityType, entityId: msg.entityId, after: { channel: sent.channel, messageId: sent.messageId, purpose: msg.purpose } });
  return { ...sent, url: msg.url };
}

/** The invoice (receipt, credit note) as a signed PDF link, valid 30 days. */
export async function sendInvoiceToCustomer(deps: TBillingSendDeps, scope: TScope, raw: z.input<typeof ZSendDocument>): Promise<TBillingSendResult> {
  const input = parseInput(ZSendDocument, raw);
  const [inv] = await deps.messaging.db
    .select()
    .from(invoices)
    .where(and(eq(invoices.id, input.id), eq(invoices.businessId, scope.businessId)));
  if (!inv) throw new AppError("NOT_FOUND", "invoice not found", { userMessage: "החשבונית לא נמצאה" });
  const to = await recipient(deps, scope, inv.customerId);
  const now = deps.messaging.now?.() ?? new Date();
  const url = `${deps.origin}${invoicePdfPath(deps.secret, inv.id, now)}`;
  const amount = formatAgorot(inv.type === "credit_note" ? -inv.totalAgorot : inv.totalAgorot);
  const body = `${to.greeting} מצורפת ${INVOICE_TYPE_LABEL[inv.type]} ${inv.number} מ${to.business} על סך ${amount}: ${url}`;
  return deliver(deps, scope, to, { body, purpose: "invoice", channel: input.channel, url, entityType: "invoice", entityId: inv.id });
}

/** A fresh signing link (sending rotates the token: only the newest link signs). */
export async function sendSigningLinkToCustomer(deps: TBillingSendDeps, scope: TScope, raw: z.input<typeof ZSendDocument> & { expiresInHours?: number }): Promise<TBillingSendResult & { expiresAt: Date }> {
  const input = parseInput(ZSendDocument, raw);
  const [c] = await deps.messaging.db
    .select({ id: contracts.id, customerId: contracts.customerId, title: contracts.title })
    .from(contracts)
    .where(and(eq(contracts.id, input.id), eq(contracts.businessId, scope.businessId)));
  if (!c) throw new AppError("NOT_FOUND", "contract not found", { userMessage: "החוזה לא נמצא" });
  const to = await recipient(deps, scope, c.customerId);
  const link = await sendContract(deps.messaging.db, scope, { id: c.id, expiresInHours: raw.expiresInHours });
  const url = `${deps.origin}${link.path}`;
  const body = `${to.greeting} ${to.business} שלח/ה לך את "${c.title}" לחתימה: ${url} (בתוקף עד ${formatDate(link.expiresAt)})`;
  const sent = await deliver(deps, scope, to, { body, purpose: "signing_link", channel: input.channel, url, entityType: "contract", entityId: c.id });
  return { ...sent, expiresAt: link.expiresAt };
}

/** An open payment link. */
export async function sendPaymentLinkToCustomer(deps: TBillingSendDeps, scope: TScope, raw: z.input<typeof ZSendDocument>): Promise<TBillingSendResult> {
  const input = parseInput(ZSendDocument, raw);
  const [l] = await deps.messaging.db
    .select()
    .from(paymentLinks)
    .where(and(eq(paymentLinks.id, input.id), eq(paymentLinks.businessId, scope.businessId)));
  if (!l) throw new AppError("NOT_FOUND", "payment link not found", { userMessage: "קישור התשלום לא נמצא" });
  if (l.status !== "created" || !l.url) throw new AppError("CONFLICT", `payment link is ${l.status}`, { userMessage: "ניתן לשלוח רק קישור תשלום פתוח" });
  const to = await recipient(deps, scope, l.customerId);
  const body = `${to.greeting} לתשלום ${l.description ?? ""} בסך ${formatAgorot(l.amountAgorot)} ל${to.business}: ${l.url}`.replace(/\s+/g, " ");
  return deliver(deps, scope, to, { body, purpose: "payment_link", channel: input.channel, url: l.url, entityType: "payment_link", entityId: l.id });
}
