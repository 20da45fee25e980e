/**
 * WhatsApp's 24-hour customer-service window (enforced by the official
 * channels: Twilio / Cloud API). Free-form messages are allowed until 24 h
 * after the customer's last message; afterwards only approved templates.
 * An SMS from the customer does not open it (different channel).
 */
import { and, desc, eq, ne } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { whatsappMessages } from "../../../db/schema";

export const WINDOW_MS = 24 * 60 * 60 * 1000;

export interface TMessagingWindow {
  /** Free-form text allowed now. */
  open: boolean;
  lastInboundAt: Date | null;
  closesAt: Date | null;
}

export function windowFrom(lastInboundAt: Date | null, now: Date): TMessagingWindow {
  if (!lastInboundAt) return { open: false, lastInboundAt: null, closesAt: null };
  const closesAt = new Date(lastInboundAt.getTime() + WINDOW_MS);
  return { open: now < closesAt, lastInboundAt, closesAt };
}

export async function messagingWindow(db: TDb, businessId: string, customerId: string, now: Date): Promise<TMessagingWindow> {
  const [last] = await db
    .select({ at: whatsappMessages.sentAt })
    .from(whatsappMessages)
    .where(and(eq(whatsappMessages.businessId, businessId), eq(whatsappMessages.customerId, customerId), eq(whatsappMessages.direction, "in"), ne(whatsappMessages.provider, "sms")))
    .orderBy(desc(whatsappMessages.sentAt))
    .limit(1);
  return windowFrom(last?.at ?? null, now);
}
