import { and, eq, isNull, ne, or } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { callLogs } from "../../../db/schema";

export interface TRecording {
  callSid: string;
  recordingSid: string;
  recordingUrl: string;
  durationSec?: number;
}

/**
 * Store where a finished recording lives, and say whether this delivery is
 * the first for that recording. The update only matches while the call does
 * not yet hold this RecordingSid, so of several concurrent identical
 * callbacks exactly one gets the row back (PostgreSQL re-checks the condition
 * after the first commits); the others are `duplicate` and trigger nothing.
 */
export async function saveRecording(db: TDb, r: TRecording): Promise<{ callId: string; businessId: string; duplicate: boolean } | null> {
  const [row] = await db
    .update(callLogs)
    .set({ recordingSid: r.recordingSid, recordingUrl: r.recordingUrl, recordingDurationSec: r.durationSec ?? null })
    .where(and(eq(callLogs.callSid, r.callSid), or(isNull(callLogs.recordingSid), ne(callLogs.recordingSid, r.recordingSid))))
    .returning({ callId: callLogs.id, businessId: callLogs.businessId });
  if (row) return { ...row, duplicate: false };
  const [known] = await db.select({ callId: callLogs.id, businessId: callLogs.businessId }).from(callLogs).where(eq(callLogs.callSid, r.callSid)).limit(1);
  return known ? { ...known, duplicate: true } : null;
}
