/**
 * Send a WhatsApp message to a customer through the business's provider
 * (settings.whatsappProvider, Baileys by default). The row is written as
 * `queued` before the transport is called, so a failed send stays visible
 * with its error; the 24-hour window is enforced for Twilio.
 */
import { and, eq } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { businesses, customers } from "../../../db/schema";
import { AppError } from "../../../core/kernel/errors";
import type { TEventBus } from "../../../core/kernel/events";
import type { TLogger } from "../../../core/kernel/logger";
import type { TWhatsAppProviderName, TWhatsAppTransport } from "../../whatsapp/types";
import { messagingWindow } from "./messaging-window";
import { insertOutboundMessage, markOutboundResult, type TWhatsAppMessageRow } from "./record-message";

export interface TSendDeps {
  db: TDb;
  log: TLogger;
  events: TEventBus;
  transports: Partial<Record<TWhatsAppProviderName, TWhatsAppTransport>>;
  now?: () => Date;
}

export interface TSendInput {
  businessId: string;
  customerId: string;
  author: "ai" | "staff" | "system";
  authorUserId?: string | null;
  body?: string;
  /** Twilio Content template, for messages outside the 24-hour window. */
  template?: { contentSid: string; variables?: Record<string, string>; preview?: string };
  /** Reply address override (the Baileys JID the customer wrote from). */
  to?: string;
  /** Send through this provider instead of the business default (a reply goes out the way the message came in). */
  provider?: TWhatsAppProviderName;
}

type TBusiness = typeof businesses.$inferSelect;

export const providerOf = (b: Pick<TBusiness, "settings">): TWhatsAppProviderName => b.settings.whatsappProvider ?? "baileys";

export async function sendWhatsAppMessage(deps: TSendDeps, input: TSendInput): Promise<TWhatsAppMessageRow> {
  const { db } = deps;
  const [business] = await db.select().from(businesses).where(eq(businesses.id, input.businessId));
  if (!business) throw new AppError("NOT_FOUND", "business not found", { userMessage: "העסק לא נמצא" });
  const [customer] = await db
    .select()
    .from(customers)
    .where(and(eq(customers.id, input.customerId), eq(customers.businessId, input.businessId)));
  if (!customer) throw new AppError("NOT_FOUND", "customer not found in business", { userMessage: "הלקוח לא נמצא" });
  if (!customer.phone) throw new AppError("UNPROCESSABLE", "customer has no phone", { userMessage: "ללקוח אין מספר טלפון" });

  const body = input.body?.trim();
  if (!body && !input.template) throw new AppError("BAD_REQUEST", "empty message", { userMessage: "אי אפשר לשלוח הודעה ריקה" });

  const provider = input.provider ?? providerOf(business);
  const transport = deps.transports[provider];
  if (!transport) {
    throw new AppError("UNAVAILABLE", `whatsapp provider ${provider} is not configured`, {
      userMessage: provider === "twilio" ? "Twilio WhatsApp אינו מוגדר (חסרים פרטי חשבון Twilio)" : "WhatsApp אינו זמין כרגע",
    });
  }
  if (provider === "twilio" && !input.template) {
    const window = await messagingWindow(db, business.id, customer.id, deps.now?.() ?? new Date());
    if (!window.open) {
      throw new AppError("UNPROCESSABLE", "outside the 24-hour window: template required", {
        userMessage: "חלון 24 השעות נסגר: הלקוח לא כתב ב-24 השעות האחרונות, ניתן לשלוח רק תבנית מאושרת",
      });
    }
  }

  const from = business.whatsappNumber ?? business.phoneNumber ?? "";
  const text = body ?? input.template?.preview ?? `[תבנית ${input.template!.contentSid}]`;
  const row = await insertOutboundMessage(db, {
    businessId: business.id,
    customerId: customer.id,
    provider,
    author: input.author,
    authorUserId: input.authorUserId,
    fromNumber: from,
    toNumber: customer.phone,
    body: text,
    raw: input.template ? { template: input.template } : undefined,
    sentAt: deps.now?.(),
  });

  let saved: TWhatsAppMessageRow;
  try {
    const result = await transport.send(business.id, {
      to: input.to ?? customer.phone,
      from,
      body: input.template ? undefined : text,
      template: input.template,
    });
    saved = await markOutboundResult(db, row.id, result);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    saved = await markOutboundResult(db, row.id, { error: message.slice(0, 500) });
    deps.log.warn({ err, businessId: business.id, messageId: row.id, provider }, "whatsapp send failed");
    deps.events.publish({ type: "whatsapp.message", businessId: business.id, customerId: customer.id, messageId: row.id, direction: "out" });
    if (err instanceof AppError) throw err;
    throw new AppError("UNAVAILABLE", `whatsapp send failed: ${message}`, { userMessage: "שליחת ההודעה נכשלה; היא נשמרה כ״נכשלה״ וניתן לנסות שוב", cause: err });
  }
  deps.events.publish({ type: "whatsapp.message", businessId: business.id, customerId: customer.id, messageId: saved.id, direction: "out" });
  return saved;
}
