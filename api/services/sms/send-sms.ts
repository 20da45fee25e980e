/**
 * Send one SMS to a customer through Twilio Programmable Messaging (the real
 * `twilio` SDK). The message is stored in the customer's thread
 * (`whatsapp_messages`, provider "sms") as `queued` before Twilio is called,
 * so a failed send stays visible with its error; delivery receipts arrive on
 * POST /webhook/sms/status.
 */
import { and, eq } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { businesses, customers, whatsappMessages } from "../../../db/schema";
import { AppError } from "../../../core/kernel/errors";
import type { TEventBus } from "../../../core/kernel/events";
import type { TLogger } from "../../../core/kernel/logger";
import type { TTwilioClient } from "../../../core/kernel/twilio-client";
import { twilioStatus } from "../../whatsapp/twilio/twilio-transport";
import { isOptedOut } from "./sms-opt-out";

export type TMessageRow = typeof whatsappMessages.$inferSelect;

export interface TSmsDeps {
  db: TDb;
  log: TLogger;
  events: TEventBus;
  /** null when no Twilio account is configured (sending then fails with a clear error). */
  twilioClient: TTwilioClient | null;
  /** Public origin for the delivery status callback; without it Twilio sends no receipts. */
  publicBaseUrl?: string;
  now?: () => Date;
}

export interface TSendSmsInput {
  businessId: string;
  customerId: string;
  body: string;
  author: "ai" | "staff" | "system";
  authorUserId?: string | null;
  /** Why it was sent (kept in `raw` for the timeline and reports). */
  purpose?: string;
}

/**
 * Twilio message status → our status: the same mapping as Twilio WhatsApp
 * (one Messages API); "received" is not a state of a message we sent.
 */
export function smsStatusOf(status: string): TMessageRow["status"] | null {
  const mapped = twilioStatus(status);
  return mapped === "received" ? null : mapped;
}

export async function sendSms(deps: TSmsDeps, input: TSendSmsInput): Promise<TMessageRow> {
  const { db } = deps;
  const body = input.body.trim();
  if (!body) throw new AppError("BAD_REQUEST", "empty sms", { userMessage: "אי אפשר לשלוח הודעה ריקה" });
  if (body.length > 1000) throw new AppError("BAD_REQUEST", "sms too long", { userMessage: "הודעת SMS ארוכה מדי (עד 1000 תווים)" });
  const [business] = await db.select().from(businesses).where(eq(businesses.id, input.businessId));
  if (!business) throw new AppError("NOT_FOUND", "business not found", { userMessage: "העסק לא נמצא" });
  const [customer] = await db
    .select()
    .from(customers)
    .where(and(eq(customers.id, input.customerId), eq(customers.businessId, input.businessId)));
  if (!customer) throw new AppError("NOT_FOUND", "customer not found in business", { userMessage: "הלקוח לא נמצא" });
  if (!customer.phone) throw new AppError("UNPROCESSABLE", "customer has no phone", { userMessage: "ללקוח אין מספר טלפון" });
  if (!business.phoneNumber) throw new AppError("UNPROCESSABLE", "business has no sms number", { userMessage: "לעסק אין מספר Twilio לשליחת SMS" });
  if (!deps.twilioClient) throw new AppError("UNAVAILABLE", "twilio not configured", { userMessage: "SMS אינו מוגדר (חסרים פרטי חשבון Twilio)" });
  if (await isOptedOut(db, business.id, customer.phone)) {
    throw new AppError("UNPROCESSABLE", "customer opted out of sms", { userMessage: "הלקוח ביקש לא לקבל הודעות SMS (STOP)" });
  }

  const [row] = await db
    .insert(whatsappMessages)
    .values({
      businessId: business.id,
      customerId: customer.id,
      provider: "sms",
      direction: "out",
      author: input.author,
      authorUserId: input.authorUserId ?? null,
      fromNumber: business.phoneNumber,
      toNumber: customer.phone,
      body,
      status: "queued",
      raw: input.purpose ? { purpose: input.purpose } : null,
      ...(deps.now ? { sentAt: deps.now() } : {}),
    })
    .returning();
  if (!row) throw new Error("sms insert returned nothing");

  const publish = (id: string) =>
    deps.events.publish({ type: "whatsapp.message", businessId: business.id, customerId: customer.id, messageId: id, direction: "out" });
  try {
    const sent = await deps.twilioClient.messages.create({
      from: business.phoneNumber,
      to: customer.phone,
      body,
      ...(deps.publicBaseUrl ? { statusCallback: `${deps.publicBaseUrl}/webhook/sms/status` } : {}),
    });
    const [saved] = await db
      .update(whatsappMessages)
      .set({ providerMessageId: sent.sid, status: smsStatusOf(sent.status) ?? "queued" })
      .where(eq(whatsappMessages.id, row.id))
      .returning();
    publish(row.id);
    return saved ?? row;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await db.update(whatsappMessages).set({ status: "failed", error: message.slice(0, 500) }).where(eq(whatsappMessages.id, row.id));
    deps.log.warn({ err, businessId: business.id, messageId: row.id }, "sms send failed");
    publish(row.id);
    throw new AppError("UNAVAILABLE", `sms send failed: ${message}`, { userMessage: "שליחת ה-SMS נכשלה; ההודעה נשמרה כ״נכשלה״", cause: err });
  }
}
