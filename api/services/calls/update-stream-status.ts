import { eq } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { callLogs } from "../../../db/schema";

/** Record a Media Stream status callback (stream-started / stream-stopped / stream-error). */
export async function updateStreamStatus(
  db: TDb,
  u: { callSid: string; streamSid?: string; event: string; error?: string },
): Promise<boolean> {
  const streamStatus = u.error ? `${u.event}: ${u.error}` : u.event;
  const rows = await db
    .update(callLogs)
    .set({ streamStatus, ...(u.streamSid ? { streamSid: u.streamSid } : {}) })
    .where(eq(callLogs.callSid, u.callSid))
    .returning({ id: callLogs.id });
  return rows.length > 0;
}
