/**
 * The one way Kesher sends a business message to a customer (signing and
 * payment links, invoices, viewing confirmations and reminders): WhatsApp when
 * the customer's WhatsApp conversation is open, otherwise SMS through Twilio.
 * Either way the message lands in the customer's thread (whatsapp_messages,
 * provider baileys | twilio | sms) and the inbox hears about it.
 *
 * "Open" means the customer already has a WhatsApp thread with the business
 * and the business's provider can deliver free text right now: the Baileys
 * phone is connected, or (Twilio WhatsApp) the 24-hour window is open.
 *
 * @example
 *   const { channel, messageId } = await sendToCustomer(
 *     { db, log, events, twilioClient, publicBaseUrl, whatsapp },
 *     { businessId, customerId, body: "קישור לחתימה: https://…", purpose: "signing_link" },
 *   );
 */
import { and, eq, ne } from "drizzle-orm";
import { z } from "zod";
import { businesses, whatsappMessages } from "../../../db/schema";
import { AppError } from "../../../core/kernel/errors";
import type { TWhatsAppHub } from "../../whatsapp/whatsapp-hub";
import { sendSms, type TSmsDeps } from "../sms/send-sms";
import { messagingWindow } from "../whatsapp/messaging-window";
import { providerOf } from "../whatsapp/send-whatsapp-message";

export const ZSendPurpose = z.enum(["signing_link", "payment_link", "invoice", "viewing_confirmation", "viewing_reminder", "other"]);
export type TSendPurpose = z.infer<typeof ZSendPurpose>;

export const ZSendToCustomerInput = z.object({
  businessId: z.uuid(),
  customerId: z.uuid(),
  body: z.string().trim().min(1).max(1000),
  purpose: ZSendPurpose,
  channel: z.enum(["auto", "whatsapp", "sms"]).optional(),
  authorUserId: z.uuid().nullable().optional(),
});
export type TSendToCustomerInput = z.input<typeof ZSendToCustomerInput>;

export interface TSendToCustomerDeps extends TSmsDeps {
  /** The process's WhatsApp hub; absent/null = SMS only (e.g. a realtime-only process). */
  whatsapp?: Pick<TWhatsAppHub, "send" | "baileys" | "twilio"> | null;
}

export interface TSendToCustomerResult {
  channel: "whatsapp" | "sms";
  /** The whatsapp_messages row id (the timeline entry). */
  messageId: string;
}

/** True when a free-text WhatsApp message to this customer can go out now. */
export async function whatsappConversationOpen(deps: TSendToCustomerDeps, businessId: string, customerId: string): Promise<boolean> {
  const hub = deps.whatsapp;
  if (!hub) return false;
  const [business] = await deps.db.select({ settings: businesses.settings }).from(businesses).where(eq(businesses.id, businessId));
  if (!business) return false;
  const now = deps.now?.() ?? new Date();
  if (providerOf(business) === "twilio") {
    return Boolean(hub.twilio) && (await messagingWindow(deps.db, businessId, customerId, now)).open;
  }
  if (hub.baileys.status(businessId).state !== "open") return false;
  const [thread] = await deps.db
    .select({ id: whatsappMessages.id })
    .from(whatsappMessages)
    .where(and(eq(whatsappMessages.businessId, businessId), eq(whatsappMessages.customerId, customerId), ne(whatsappMessages.provider, "sms")))
    .limit(1);
  return Boolean(thread);
}

/**
 * Send `body` to the customer. `channel` "auto" (default) prefers an open
 * WhatsApp conversation and falls back to SMS (also when the WhatsApp send
 * itself fails); "whatsapp" / "sms" force a channel and fail with a Hebrew
 * AppError when it cannot be used. Throws before writing anything on bad input.
 */
export async function sendToCustomer(deps: TSendToCustomerDeps, raw: TSendToCustomerInput): Promise<TSendToCustomerResult> {
  const parsed = ZSendToCustomerInput.safeParse(raw);
  if (!parsed.success) {
    throw new AppError("BAD_REQUEST", `invalid message: ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}`, {
      userMessage: "ההודעה אינה תקינה (חסר תוכן או לקוח)",
    });
  }
  const input = parsed.data;
  const channel = input.channel ?? "auto";
  const author = input.authorUserId ? ("staff" as const) : ("system" as const);

  const viaWhatsApp = async (): Promise<TSendToCustomerResult> => {
    if (!deps.whatsapp) throw new AppError("UNAVAILABLE", "whatsapp hub not running", { userMessage: "שירות WhatsApp אינו פעיל בשרת זה" });
    const row = await deps.whatsapp.send({ businessId: input.businessId, customerId: input.customerId, author, authorUserId: input.authorUserId, body: input.body });
    return { channel: "whatsapp", messageId: row.id };
  };
  const viaSms = async (): Promise<TSendToCustomerResult> => {
    const row = await sendSms(deps, { businessId: input.businessId, customerId: input.customerId, body: input.body, author, authorUserId: input.authorUserId, purpose: input.purpose });
    return { channel: "sms", messageId: row.id };
  };

  if (channel === "whatsapp") return viaWhatsApp();
  if (channel === "sms") return viaSms();
  if (await whatsappConversationOpen(deps, input.businessId, input.customerId)) {
    try {
      return await viaWhatsApp();
    } catch (err) {
      // The failed WhatsApp row stays in the thread; the customer still gets the message.
      deps.log.warn({ err, businessId: input.businessId, customerId: input.customerId, purpose: input.purpose }, "whatsapp send failed, falling back to sms");
    }
  }
  return viaSms();
}
