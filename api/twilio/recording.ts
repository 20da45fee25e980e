/** POST /twilio/recording (+ /handle_recording): a recording file is ready. */
import type { Handler } from "hono";
import { retry } from "../../core/kernel/retry";
import { saveRecording } from "../services/calls/save-recording";
import type { TAppDeps, THonoEnv } from "../types";

/** Hook for what happens after a recording is stored (transcription, lead creation). */
export type TOnRecording = (r: { callId: string; businessId: string; callSid: string; recordingUrl: string; recordingSid: string }) => void;

export function recordingWebhook(deps: TAppDeps, onRecording?: TOnRecording): Handler<THonoEnv> {
  return async (c) => {
    const p = c.get("twilioParams");
    const log = c.get("log").child({ callSid: p.CallSid });
    if (!p.CallSid || !p.RecordingUrl || !p.RecordingSid) {
      log.info("recording callback without CallSid/RecordingUrl/RecordingSid ignored");
      return c.body(null, 204);
    }
    if (p.RecordingStatus && p.RecordingStatus !== "completed") {
      log.warn({ status: p.RecordingStatus }, "recording not completed");
      return c.body(null, 204);
    }
    const duration = p.RecordingDuration ? Number.parseInt(p.RecordingDuration, 10) : undefined;
    const saved = await retry(() =>
      saveRecording(deps.dbh.db, {
        callSid: p.CallSid!,
        recordingSid: p.RecordingSid!,
        recordingUrl: p.RecordingUrl!,
        durationSec: Number.isFinite(duration) ? duration : undefined,
      }),
    );
    if (!saved) {
      log.info("recording for unknown CallSid");
      return c.body(null, 204);
    }
    if (saved.duplicate) {
      log.info({ recordingSid: p.RecordingSid }, "recording callback redelivered: already stored, nothing more to do");
      return c.body(null, 204);
    }
    log.info({ recordingSid: p.RecordingSid }, "recording stored");
    onRecording?.({ callId: saved.callId, businessId: saved.businessId, callSid: p.CallSid, recordingUrl: p.RecordingUrl, recordingSid: p.RecordingSid });
    return c.body(null, 204);
  };
}
