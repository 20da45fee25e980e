/**
 * A transfer to the business's agent that nobody answered (no-answer, busy,
 * failed): staff get a callback task for the caller, once per call even when
 * Twilio repeats the <Dial> action request.
 */
import { and, eq } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { callLogs, customers, tasks } from "../../../db/schema";

export const MISSED_TRANSFER_TITLE = "לחזור ללקוח: העברה לנציג לא נענתה";

const DIAL_STATUS_HE: Record<string, string> = { "no-answer": "לא נענתה", busy: "תפוס", failed: "נכשלה", canceled: "בוטלה" };

export interface TMissedTransfer {
  taskId: string;
  created: boolean;
}

/** Create (once) the callback task for call `callSid`; null when the call is unknown. */
export async function recordMissedTransfer(db: TDb, input: { callSid: string; dialStatus: string; now?: Date }): Promise<TMissedTransfer | null> {
  const [call] = await db
    .select({ id: callLogs.id, businessId: callLogs.businessId, customerId: callLogs.customerId, from: callLogs.fromNumber })
    .from(callLogs)
    .where(eq(callLogs.callSid, input.callSid))
    .limit(1);
  if (!call) return null;
  let name: string | null = null;
  if (call.customerId) {
    const [c] = await db.select({ name: customers.fullName }).from(customers).where(eq(customers.id, call.customerId));
    name = c?.name ?? null;
  }
  const now = input.now ?? new Date();
  const description = [
    `המתקשר/ת ביקש/ה לדבר עם נציג, וההעברה ${DIAL_STATUS_HE[input.dialStatus] ?? input.dialStatus}.`,
    name ? `שם: ${name}` : "",
    call.from ? `טלפון: ${call.from}` : "",
  ]
    .filter(Boolean)
    .join("\n");
  // The dedupe key makes the insert itself idempotent (also across processes).
  const dedupeKey = `missed-transfer:${call.id}`;
  const [row] = await db
    .insert(tasks)
    .values({
      businessId: call.businessId,
      customerId: call.customerId,
      callId: call.id,
      title: MISSED_TRANSFER_TITLE,
      description,
      priority: "high",
      // Due within the hour: the caller is waiting for a person.
      dueAt: new Date(now.getTime() + 3_600_000),
      dedupeKey,
    })
    .onConflictDoNothing({ target: [tasks.businessId, tasks.dedupeKey] })
    .returning({ id: tasks.id });
  if (row) return { taskId: row.id, created: true };
  const [existing] = await db
    .select({ id: tasks.id })
    .from(tasks)
    .where(and(eq(tasks.businessId, call.businessId), eq(tasks.dedupeKey, dedupeKey)));
  return existing ? { taskId: existing.id, created: false } : null;
}
