/**
 * Delivery status of an SMS we sent (Twilio StatusCallback). Statuses only
 * move forward (a late "sent" never overwrites "delivered"); a carrier
 * "unsubscribed" error (21610) also stores the opt-out.
 */
import { and, eq } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { whatsappMessages } from "../../../db/schema";
import { smsStatusOf } from "./send-sms";
import { optOut } from "./sms-opt-out";

const RANK = { received: 0, queued: 0, sent: 1, delivered: 2, read: 3, failed: 4 } as const;

/** Apply one callback; returns the updated row id, or null when nothing changed. */
export async function applySmsReceipt(db: TDb, input: { messageSid: string; status: string; errorCode?: string | null; errorMessage?: string | null }): Promise<{ id: string; businessId: string; customerId: string | null } | null> {
  const status = smsStatusOf(input.status);
  if (!status) return null;
  const [current] = await db
    .select()
    .from(whatsappMessages)
    .where(and(eq(whatsappMessages.provider, "sms"), eq(whatsappMessages.providerMessageId, input.messageSid)))
    .limit(1);
  if (!current) return null;
  if (input.errorCode === "21610") await optOut(db, current.businessId, current.toNumber, "carrier:21610");
  const allowed = status === "failed" ? current.status !== "read" && current.status !== "failed" : RANK[status] > RANK[current.status] && current.status !== "failed";
  if (!allowed) return null;
  const error = status === "failed" ? [input.errorCode, input.errorMessage].filter(Boolean).join(" ") || input.status : current.error;
  await db.update(whatsappMessages).set({ status, error }).where(eq(whatsappMessages.id, current.id));
  return { id: current.id, businessId: current.businessId, customerId: current.customerId };
}
