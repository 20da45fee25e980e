/**
 * The session the media server creates per socket: it waits for Twilio's
 * `start`, picks the engine (the `engine` stream parameter from the voice
 * webhook — business setting — else the process default), and wraps it with
 * what both engines share:
 *   - watchdog heartbeats (start, media) and crash → Record fallback,
 *   - DTMF: 0 → transfer to a human; digits then # → fed to the agent as text,
 *   - agent actions: transfer (REST `<Dial>`), hangup (REST `completed`),
 *   - post-call analysis once the session has flushed its turns.
 */
import type { TCallSession, TCallSessionDeps, TSessionStats } from "../call-session";
import { LatencyHistogram } from "../metrics";
import { createCallSession } from "../call-session";
import { parseTwilioMessage } from "../stages/twilio-serializer";
import type { TCallRefInfo, TCallServices } from "./call-services";

export type TEngineName = "pipeline" | "realtime";

export interface TEngineSessionInput {
  services: TCallServices;
  defaultEngine: TEngineName;
  /** Builds the OpenAI Realtime session (absent: every call uses the pipeline). */
  createRealtime?: (deps: TCallSessionDeps, hooks: { fatal(err: unknown): void }) => TCallSession;
  /** Digits collected without # are sent after this idle time (default 3 s). */
  dtmfIdleMs?: number;
}

/** A `createSession` factory for the media server. */
export function engineSessionFactory(input: TEngineSessionInput): (deps: TCallSessionDeps) => TCallSession {
  return (deps) => createEngineSession(input, deps);
}

export function createEngineSession(input: TEngineSessionInput, deps: TCallSessionDeps): TCallSession {
  const { services } = input;
  let log = deps.log;
  let inner: TCallSession | undefined;
  let ref: TCallRefInfo | undefined;
  const early: Array<string | Uint8Array | ArrayBuffer> = [];
  let digits = "";
  let digitTimer: ReturnType<typeof setTimeout> | undefined;
  let acted = false;
  let stopped = false;
  const noStats: TSessionStats = { frameHandling: new LatencyHistogram(), framesIn: 0, framesLost: 0, malformed: 0, bargeIns: 0, bargeInClearMs: [], turnOverheadMs: [], turnFirstFrameMs: [], fallbacks: 0 };
  let endPromise: Promise<void> | undefined;

  const transfer = (why: string) => {
    if (!ref || acted) return;
    acted = true;
    log.info({ why }, "transferring the call");
    void services.transfer(ref);
  };

  const flushDigits = () => {
    clearTimeout(digitTimer);
    const d = digits;
    digits = "";
    if (d) inner?.injectText?.(d);
  };

  const onDtmf = (digit: string) => {
    if (digit === "0" && !digits) return transfer("dtmf 0");
    if (digit === "#") return flushDigits();
    if (/^[0-9*]$/.test(digit)) {
      digits += digit;
      clearTimeout(digitTimer);
      digitTimer = setTimeout(flushDigits, input.dtmfIdleMs ?? 3000);
    }
  };

  const innerDeps = (): TCallSessionDeps => ({
    ...deps,
    onAction: () => transfer("agent"),
    hangup: () => {
      acted = true;
      const r = ref;
      // Hang up through REST so Twilio ends the call itself, then close the stream.
      void (r ? services.hangup(r) : Promise.resolve(false)).finally(() => deps.hangup?.());
    },
  });

  const start = (raw: string) => {
    const parsed = parseTwilioMessage(raw);
    if (!parsed.ok || parsed.msg.event !== "start") return false;
    const msg = parsed.msg;
    const p = msg.customParameters;
    ref = { callSid: msg.callSid, businessId: p.businessId, callId: p.callId, origin: p.origin };
    log = deps.log.child({ callSid: msg.callSid });
    if (p.origin) services.rememberOrigin(msg.callSid, p.origin);
    services.watchdog.started(msg.callSid);
    const engine = p.engine === "realtime" || p.engine === "pipeline" ? p.engine : input.defaultEngine;
    const pipeline = !(engine === "realtime" && input.createRealtime);
    services.markEngine(msg.callSid, pipeline ? "pipeline" : "realtime");
    inner = engine === "realtime" && input.createRealtime ? input.createRealtime(innerDeps(), { fatal: (err) => services.watchdog.crashed(msg.callSid, err) }) : createCallSession(innerDeps());
    log.info({ engine: engine === "realtime" && !input.createRealtime ? "pipeline (realtime unavailable)" : engine }, "voice engine chosen");
    for (const m of early.splice(0)) inner.handle(m);
    return true;
  };

  const session: TCallSession = {
    handle(raw) {
      try {
        if (!inner) {
          const text = typeof raw === "string" ? raw : undefined;
          if (text && text.includes('"start"') && start(text)) inner!.handle(text);
          else if (early.length < 50) early.push(raw);
          return;
        }
        if (ref) services.watchdog.media(ref.callSid);
        // Only the rare events are parsed here; media frames go straight through.
        if (typeof raw === "string" && (raw.includes('"dtmf"') || raw.includes('"stop"'))) {
          const parsed = parseTwilioMessage(raw);
          if (parsed.ok && parsed.msg.event === "dtmf") onDtmf(parsed.msg.digit);
          if (parsed.ok && parsed.msg.event === "stop") stopped = true;
        }
        inner.handle(raw);
      } catch (err) {
        // A crashed session must not leave the caller in silence.
        if (ref) services.watchdog.crashed(ref.callSid, err);
        void session.end("crash");
      }
    },
    end(reason) {
      endPromise ??= (async () => {
        clearTimeout(digitTimer);
        // A normal end (Twilio `stop`, our own hangup/transfer) disarms the watchdog; a dropped
        // socket leaves it armed so the media gap moves the live call to the Record fallback.
        if (ref && (reason === "stop" || stopped || acted)) services.watchdog.stopped(ref.callSid);
        try {
          await inner?.end(reason);
        } finally {
          if (ref) await services.analyze(ref);
        }
      })();
      return endPromise;
    },
    get stats() {
      return inner?.stats ?? noStats;
    },
    get streamSid() {
      return inner?.streamSid;
    },
    injectText(text) {
      inner?.injectText?.(text);
    },
  };
  return session;
}
