import { eq } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { callLogs } from "../../../db/schema";

type TCallStatus = (typeof callLogs.$inferSelect)["status"];

/** Twilio CallStatus values → our enum. */
const STATUS: Record<string, TCallStatus> = {
  queued: "queued",
  initiated: "queued",
  ringing: "ringing",
  "in-progress": "in_progress",
  answered: "in_progress",
  completed: "completed",
  busy: "busy",
  failed: "failed",
  "no-answer": "no_answer",
  canceled: "canceled",
};
const FINAL = new Set<TCallStatus>(["completed", "busy", "failed", "no_answer", "canceled"]);

export interface TStatusUpdate {
  callSid: string;
  callStatus: string;
  durationSec?: number;
  at?: Date;
}

export type TStatusResult =
  | { found: false }
  | { found: true; callId: string; businessId: string; status: TCallStatus; ended: boolean; changed: boolean };

/**
 * Apply a Twilio status callback. Callbacks can arrive late or twice: a final
 * status is never overwritten by an earlier one.
 */
export async function updateCallStatus(db: TDb, update: TStatusUpdate): Promise<TStatusResult> {
  const status = STATUS[update.callStatus];
  const [row] = await db.select().from(callLogs).where(eq(callLogs.callSid, update.callSid)).limit(1);
  if (!row) return { found: false };
  if (!status) return { found: true, callId: row.id, businessId: row.businessId, status: row.status, ended: FINAL.has(row.status), changed: false };
  if (FINAL.has(row.status) && !FINAL.has(status)) {
    return { found: true, callId: row.id, businessId: row.businessId, status: row.status, ended: true, changed: false };
  }
  const at = update.at ?? new Date();
  const ended = FINAL.has(status);
  await db
    .update(callLogs)
    .set({
      status,
      ...(status === "in_progress" && !row.answeredAt ? { answeredAt: at } : {}),
      ...(ended ? { endedAt: row.endedAt ?? at, durationSec: update.durationSec ?? row.durationSec } : {}),
    })
    .where(eq(callLogs.id, row.id));
  return { found: true, callId: row.id, businessId: row.businessId, status, ended, changed: status !== row.status };
}
