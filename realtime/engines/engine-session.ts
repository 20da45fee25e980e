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
import type { TCallSession, TCallSessionDeps } from "../call-session";
import { createCallSession } from "../call-session";
import { systemClock, type TTimer } from "../clock";
import { newSessionStats } from "../media-session";
import { parseTwilioMessage, type TTwilioInbound } from "../stages/twilio-serializer";
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
  const clock = deps.clock ?? systemClock;
  let digitTimer: TTimer | undefined;
  let acted = false;
  let stopped = false;
  const noStats = newSessionStats();
  let endPromise: Promise<void> | undefined;

  const transfer = (why: string) => {
    if (!ref || acted) return;
    acted = true;
    log.info({ why }, "transferring the call");
    void services.transfer(ref);
  };

  const flushDigits = () => {
    clock.clearTimeout(digitTimer);
    const d = digits;
    digits = "";
    if (d) inner?.injectText?.(d);
  };

  const onDtmf = (digit: string) => {
    if (digit === "0" && !digits) return transfer("dtmf 0");
    if (digit === "#") return flushDigits();
    if (/^[0-9*]$/.test(digit)) {
      digits += digit;
      clock.clearTimeout(digitTimer);
      digitTimer = clock.setTimeout(flushDigits, input.dtmfIdleMs ?? 3000);
    }
  };

  // Every message is parsed once, by the media session; this wrapper only observes the parsed ones.
  const observe = (msg: TTwilioInbound) => {
    if (ref) services.watchdog.media(ref.callSid);
    if (msg.event === "dtmf") onDtmf(msg.digit);
    else if (msg.event === "stop") stopped = true;
  };

  const innerDeps = (): TCallSessionDeps => ({
    ...deps,
    observe,
    onAction: () => transfer("agent"),
    hangup: () => {
      acted = true;
      const r = ref;
      // Hang up through REST so Twilio ends the call itself, then close the stream.
      void (r ? services.hangup(r) : Promise.resolve(false)).finally(() => deps.hangup?.());
    },
  });

  const start = (msg: TTwilioInbound) => {
    if (msg.event !== "start") return false;
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
          // Until `start` picks the engine: parse it here (once) and hand the parsed message on.
          const parsed = typeof raw === "string" ? parseTwilioMessage(raw) : undefined;
          if (parsed?.ok && start(parsed.msg)) inner!.accept ? inner!.accept(parsed.msg) : inner!.handle(raw);
          else if (early.length < 50) early.push(raw);
          return;
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
        clock.clearTimeout(digitTimer);
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
