import { and, eq, inArray, sum } from "drizzle-orm";
import { z } from "zod";
import type { TDb } from "../../../db/client";
import { customers, invoices, paymentLinks } from "../../../db/schema";
import { AppError } from "../../../core/kernel/errors";
import { writeAudit } from "../../../core/domain/write-audit";
import { INVOICE_TYPE_LABEL } from "../invoices/invoice-rules";
import type { TScope } from "../../../core/domain/scope";
import type { TPaymentLinkRow } from "./apply-payment-outcome";
import { loadCredentials } from "./credentials";
import { paypalCreateOrder } from "./paypal-client";
import { tranzilaCreatePaymentRequest, tranzilaNotifySignature } from "./tranzila-client";
import { parseInput } from "../../lib/parse-input";

export const ZCreatePaymentLink = z
  .object({
    provider: z.enum(["paypal", "tranzila"]),
    invoiceId: z.uuid().optional(),
    customerId: z.uuid().optional(),
    amountAgorot: z.number().int().min(100).max(100_000_000).optional(),
    description: z.string().trim().min(2).max(200).optional(),
    expiresInHours: z.number().int().min(1).max(24 * 30).default(72),
  })
  .refine((v) => v.invoiceId || (v.customerId && v.amountAgorot), { message: "יש לבחור חשבונית, או לקוח וסכום" });
export type TCreatePaymentLink = z.input<typeof ZCreatePaymentLink>;

export interface TPaymentContext {
  /** Secret the credentials are encrypted with. */
  secret: string;
  /** Public origin for return and notify URLs, e.g. https://kesher.example.com */
  origin: string;
}

/**
 * One-click payment link from an invoice (its total) or a customer (an
 * amount), through PayPal or Tranzila behind one call. The row is written
 * first, so a provider failure leaves a "failed" record, never a lost one.
 */
export async function createPaymentLink(db: TDb, scope: TScope, ctx: TPaymentContext, input: TCreatePaymentLink): Promise<TPaymentLinkRow> {
  const data = parseInput(ZCreatePaymentLink, input);
  let amountAgorot = data.amountAgorot ?? 0;
  let description = data.description ?? "";
  let customerId = data.customerId ?? null;
  if (data.invoiceId) {
    const [inv] = await db
      .select()
      .from(invoices)
      .where(and(eq(invoices.id, data.invoiceId), eq(invoices.businessId, scope.businessId)));
    if (!inv) throw new AppError("NOT_FOUND", "invoice not found", { userMessage: "החשבונית לא נמצאה" });
    if (inv.type !== "tax_invoice" || (inv.status !== "issued" && inv.status !== "partially_credited")) {
      throw new AppError("CONFLICT", `invoice ${inv.type}/${inv.status}`, { userMessage: "ניתן ליצור קישור תשלום רק לחשבונית מס פתוחה" });
    }
    // What is still owed: the total less any credit notes issued against it.
    const [credited] = await db
      .select({ total: sum(invoices.totalAgorot) })
      .from(invoices)
      .where(and(eq(invoices.businessId, scope.businessId), eq(invoices.creditForInvoiceId, inv.id)));
    amountAgorot = inv.totalAgorot - Number(credited?.total ?? 0);
    description ||= `${INVOICE_TYPE_LABEL[inv.type]} ${inv.number}`;
    customerId = inv.customerId;
  }
  const [customer] = customerId
    ? await db
        .select()
        .from(customers)
        .where(and(eq(customers.id, customerId), eq(customers.businessId, scope.businessId)))
    : [];
  if (customerId && !customer) throw new AppError("NOT_FOUND", "customer not found", { userMessage: "הלקוח לא נמצא" });
  description ||= "תשלום";
  // Check credentials before writing anything: a missing setup is a clear error, not a failed row.
  const creds = await loadCredentials(db, scope.businessId, ctx.secret, data.provider);

  if (data.invoiceId) {
    const open = await db
      .select({ id: paymentLinks.id })
      .from(paymentLinks)
      .where(and(eq(paymentLinks.invoiceId, data.invoiceId), inArray(paymentLinks.status, ["created"])));
    if (open.length > 0) throw new AppError("CONFLICT", "open link exists", { userMessage: "כבר קיים קישור תשלום פתוח לחשבונית זו" });
  }

  const [row] = await db
    .insert(paymentLinks)
    .values({
      businessId: scope.businessId,
      customerId,
      invoiceId: data.invoiceId ?? null,
      provider: data.provider,
      amountAgorot,
      currency: "ILS",
      description,
      status: "created",
      expiresAt: new Date(Date.now() + data.expiresInHours * 3600_000),
    })
    .returning();
  if (!row) throw new AppError("INTERNAL", "payment link insert returned nothing");

  try {
    let providerRef: string;
    let url: string;
    let raw: unknown;
    if (data.provider === "paypal") {
      const r = await paypalCreateOrder(creds as Awaited<ReturnType<typeof loadCredentials<"paypal">>>, {
        linkId: row.id,
        amountAgorot,
        currency: "ILS",
        description,
        returnUrl: `${ctx.origin}/pay/paypal/return?link=${row.id}`,
        cancelUrl: `${ctx.origin}/pay/cancelled`,
      });
      [providerRef, url, raw] = [r.orderId, r.approveUrl, r.raw];
    } else {
      const c = creds as Awaited<ReturnType<typeof loadCredentials<"tranzila">>>;
      const r = await tranzilaCreatePaymentRequest(c, {
        amountAgorot,
        description,
        clientName: customer?.fullName ?? null,
        clientEmail: customer?.email ?? null,
        clientPhone: customer?.phone ?? null,
        reference: row.id,
        notifyUrl: `${ctx.origin}/webhook/payments/tranzila?link=${row.id}&sig=${tranzilaNotifySignature(c, row.id)}`,
        successUrl: `${ctx.origin}/pay/done`,
        failUrl: `${ctx.origin}/pay/failed`,
      });
      [providerRef, url, raw] = [r.prId, r.url, r.raw];
    }
    const [done] = await db.update(paymentLinks).set({ providerRef, url, raw: raw as object }).where(eq(paymentLinks.id, row.id)).returning();
    await writeAudit(db, scope, { action: "payments.create", entityType: "payment_link", entityId: row.id, after: { provider: data.provider, amountAgorot, invoiceId: data.invoiceId ?? null } });
    return done!;
  } catch (err) {
    await db
      .update(paymentLinks)
      .set({ status: "failed", raw: { error: err instanceof Error ? err.message : String(err) } })
      .where(eq(paymentLinks.id, row.id));
    throw err;
  }
}
