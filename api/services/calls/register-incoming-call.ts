import { and, eq, sql } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { callLogs } from "../../../db/schema";
import { toE164 } from "../../../core/kernel/phone";
import { findOrCreateCustomerByPhone } from "../../../core/domain/find-or-create-customer";
import { resolveBusinessForNumber, type TBusinessRow } from "../../../core/domain/resolve-business";

export interface TIncomingCall {
  callSid: string;
  from: string | null;
  to: string | null;
}

export interface TRegisteredCall {
  callId: string;
  business: TBusinessRow;
  customerId: string | null;
  /** False when this CallSid was already registered (a Twilio retry). */
  created: boolean;
  mode: "stream" | "record";
}

/**
 * Insert the call_logs row for an incoming call (idempotent on CallSid) and
 * link the caller to a customer, creating a lead for a new number.
 */
export async function registerIncomingCall(db: TDb, call: TIncomingCall): Promise<TRegisteredCall> {
  const from = toE164(call.from);
  const to = toE164(call.to);
  const business = await resolveBusinessForNumber(db, to);
  if (!business) throw new Error("no business configured to receive calls");
  const mode = business.settings.callMode === "record" ? "record" : "stream";

  return db.transaction(async (tx) => {
    let customerId: string | null = null;
    if (from) {
      customerId = (await findOrCreateCustomerByPhone(tx, { businessId: business.id, phone: from, source: "call" })).customer.id;
    }
    const inserted = await tx
      .insert(callLogs)
      .values({
        businessId: business.id,
        callSid: call.callSid,
        fromNumber: from ?? call.from,
        toNumber: to ?? call.to,
        customerId,
        status: "ringing",
        mode,
      })
      .onConflictDoNothing({ target: callLogs.callSid })
      .returning({ id: callLogs.id });
    if (inserted[0]) return { callId: inserted[0].id, business, customerId, created: true, mode };
    const [existing] = await tx
      .select({ id: callLogs.id, customerId: callLogs.customerId })
      .from(callLogs)
      .where(and(eq(callLogs.callSid, call.callSid)))
      .limit(1);
    if (!existing) throw new Error(`call ${call.callSid} vanished during registration`);
    return { callId: existing.id, business, customerId: existing.customerId, created: false, mode };
  });
}
