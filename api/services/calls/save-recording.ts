import { eq } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { callLogs } from "../../../db/schema";

export interface TRecording {
  callSid: string;
  recordingSid: string;
  recordingUrl: string;
  durationSec?: number;
}

/** Store where a finished recording lives. Idempotent: a redelivery rewrites the same values. */
export async function saveRecording(db: TDb, r: TRecording): Promise<{ callId: string; businessId: string } | null> {
  const [row] = await db
    .update(callLogs)
    .set({ recordingSid: r.recordingSid, recordingUrl: r.recordingUrl, recordingDurationSec: r.durationSec ?? null })
    .where(eq(callLogs.callSid, r.callSid))
    .returning({ callId: callLogs.id, businessId: callLogs.businessId });
  return row ?? null;
}
