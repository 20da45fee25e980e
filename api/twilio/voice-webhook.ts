/**
 * POST /twilio/voice (and legacy /incoming_call): a call is ringing. The
 * call_logs row is written first, then TwiML connects the bidirectional
 * media stream — or, in Direct Record mode, when no speech recognition is
 * configured, and when the media process is at capacity (admission control),
 * plays the business greeting and a message prompt and records.
 */
import type { Handler } from "hono";
import { eq } from "drizzle-orm";
import { callLogs } from "../../db/schema";
import { retry } from "../../core/kernel/retry";
import { answerWithStream } from "../lib/speech-recognition";
import { publicOrigin, toWebSocketOrigin } from "../../core/kernel/public-url";
import { mintStreamToken, STREAM_TOKEN_TTL_MS } from "../../core/kernel/stream-token";
import { registerIncomingCall } from "../services/calls/register-incoming-call";
import type { TAppDeps, THonoEnv } from "../types";
import { connectStreamTwiml, recordTwiml } from "./twiml";

export const MEDIA_STREAM_PATH = "/ws/twilio-media";

/** Told when a call is answered with a media stream (the watchdog then expects its `start`). */
export type TOnStreamAnswered = (call: { callSid: string; origin: string; callId?: string; businessId?: string }) => void;

export function voiceWebhook(deps: TAppDeps, onStreamAnswered?: TOnStreamAnswered): Handler<THonoEnv> {
  return async (c) => {
    const p = c.get("twilioParams");
    const callSid = p.CallSid;
    if (!callSid) return c.text("Missing CallSid", 400);
    const log = c.get("log").child({ callSid });
    const origin = publicOrigin(c.req.raw, deps.config.publicBaseUrl);

    let registered: Awaited<ReturnType<typeof registerIncomingCall>> | undefined;
    try {
      registered = await retry(() => registerIncomingCall(deps.dbh.db, { callSid, from: p.From ?? null, to: p.To ?? null }), {
        attempts: 3,
        baseMs: 100,
        onError: (err, attempt) => log.warn({ err, attempt }, "registering incoming call failed, retrying"),
      });
    } catch (err) {
      // Answer anyway: the media session re-creates the row when the stream starts.
      log.error({ err }, "could not register incoming call; answering without a call_logs row");
    }

    if (registered?.created) {
      log.info({ callId: registered.callId, businessId: registered.business.id, mode: registered.mode }, "incoming call registered");
      deps.events.publish({
        type: "call.started",
        businessId: registered.business.id,
        callId: registered.callId,
        callSid,
        from: p.From ?? null,
      });
    }

    // Direct Record mode, or nobody could understand the caller (no speech recognition): the
    // business greeting and a "leave a message" prompt, then record — no stream, no "fault" wording.
    const wantsStream = registered?.mode !== "record" && answerWithStream(deps.config);
    // Over the media process's capacity: a whole message call rather than a degraded stream.
    const admitted = wantsStream ? (deps.admission?.reserve(callSid) ?? { ok: true as const }) : { ok: true as const };
    const messageFlow = !wantsStream || !admitted.ok;
    if (messageFlow && registered?.created && registered.mode !== "record") {
      await deps.dbh.db
        .update(callLogs)
        .set({ mode: "record" })
        .where(eq(callLogs.id, registered.callId))
        .catch((err: unknown) => log.warn({ err }, "could not mark the call as recorded"));
    }
    if (messageFlow) log.info({ reason: registered?.mode === "record" ? "direct-record" : !admitted.ok ? `over-capacity (${admitted.reason})` : "no-speech-recognition" }, "answering with the message flow");
    const xml = messageFlow
        ? recordTwiml({
            origin,
            recordingCallbackUrl: `${origin}/twilio/recording`,
            actionUrl: `${origin}/twilio/fallback?step=recorded`,
            business: registered?.business,
            intro: ["greeting_he.mp3", "message_prompt_he.mp3"],
          })
        : connectStreamTwiml({
            streamUrl: `${deps.config.publicMediaUrl ?? toWebSocketOrigin(origin)}${MEDIA_STREAM_PATH}`,
            statusCallbackUrl: `${origin}/twilio/stream-status`,
            parameters: {
              callSid,
              caller: p.From ?? "",
              ...(registered ? { businessId: registered.business.id, callId: registered.callId } : {}),
              engine: registered?.business.settings.voiceEngine ?? deps.config.voiceEngine,
              // Binds the stream to this call, once (realtime/stream-auth.ts); carries the origin for REST callbacks.
              ...(deps.twilioAuthToken
                ? { streamToken: mintStreamToken(deps.twilioAuthToken, { callSid, callId: registered?.callId, origin, expiresAt: Date.now() + STREAM_TOKEN_TTL_MS }) }
                : {}),
            },
          });
    if (!messageFlow) onStreamAnswered?.({ callSid, origin, callId: registered?.callId, businessId: registered?.business.id });
    return c.body(xml, 200, { "content-type": "text/xml; charset=utf-8" });
  };
}
