/** POST /twilio/status and /twilio/stream-status (+ /stream_ended): Twilio status callbacks. */
import type { Handler } from "hono";
import { retry } from "../../core/kernel/retry";
import { updateCallStatus } from "../services/calls/update-call-status";
import { updateStreamStatus } from "../services/calls/update-stream-status";
import type { TAppDeps, THonoEnv } from "../types";

export function callStatusWebhook(deps: TAppDeps): Handler<THonoEnv> {
  return async (c) => {
    const p = c.get("twilioParams");
    const log = c.get("log").child({ callSid: p.CallSid });
    if (!p.CallSid || !p.CallStatus) {
      log.info({ params: Object.keys(p) }, "status callback without CallSid/CallStatus ignored");
      return c.body(null, 204);
    }
    const duration = p.CallDuration ? Number.parseInt(p.CallDuration, 10) : undefined;
    const result = await retry(() =>
      updateCallStatus(deps.dbh.db, {
        callSid: p.CallSid!,
        callStatus: p.CallStatus!,
        durationSec: Number.isFinite(duration) ? duration : undefined,
      }),
    );
    if (!result.found) {
      log.info({ callStatus: p.CallStatus }, "status callback for unknown CallSid");
      return c.body(null, 204);
    }
    if (result.changed) {
      log.info({ status: result.status }, "call status updated");
      deps.events.publish(
        result.ended
          ? { type: "call.ended", businessId: result.businessId, callId: result.callId, durationSec: duration ?? null }
          : { type: "call.updated", businessId: result.businessId, callId: result.callId, status: result.status },
      );
    }
    return c.body(null, 204);
  };
}

export function streamStatusWebhook(deps: TAppDeps): Handler<THonoEnv> {
  return async (c) => {
    const p = c.get("twilioParams");
    const log = c.get("log").child({ callSid: p.CallSid, streamSid: p.StreamSid });
    if (!p.CallSid) return c.body(null, 204);
    const event = p.StreamEvent ?? "unknown";
    const found = await retry(() =>
      updateStreamStatus(deps.dbh.db, { callSid: p.CallSid!, streamSid: p.StreamSid, event, error: p.StreamError }),
    );
    if (p.StreamError) log.warn({ event, error: p.StreamError }, "media stream error reported by Twilio");
    else log.info({ event, found }, "media stream status");
    return c.body(null, 204);
  };
}
