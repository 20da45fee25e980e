/**
 * One Twilio media stream, whichever voice engine talks (after pipecat's
 * PipelineTask + transport). What every engine shares lives here once:
 * parsing each message once, `start` (call row, simulator script, pacer,
 * greeting from cache), inbound frame accounting, marks, DTMF and message
 * observers (watchdog heartbeats), `stop`, and the end (metrics, flush).
 * The engine — the STT→agent→TTS pipeline or OpenAI Realtime — only hears
 * audio and text and fills the pacer.
 */
import type { TEventBus } from "../core/kernel/events";
import type { TLogger } from "../core/kernel/logger";
import type { TDb } from "../db/client";
import type { TAgent } from "../core/conversation/brain/types";
import { systemClock, type TClock } from "./clock";
import { createFrameCounter, LatencyHistogram, summarizeCall } from "./metrics";
import { createCallRecorder, type TCallInfo, type TCallRecorder } from "./persist/call-recorder";
import type { TSttProvider, TTtsProvider } from "../core/conversation/providers/types";
import { createPacer, type TPacer } from "./stages/pacer";
import { decodeBase64, parseTwilioMessage, scanTwilioMedia, type TMediaScan, type TTwilioInbound, type TTwilioStart } from "./stages/twilio-serializer";
import type { TVoicePrompts } from "../core/conversation/voice-prompts";

export interface TSessionProviders {
  stt: TSttProvider;
  tts: TTtsProvider;
  agent: TAgent;
  /** Tried when `agent` fails before saying anything (e.g. the local brain behind OpenAI). */
  fallbackAgent?: TAgent;
}

export interface TSessionOptions {
  /** Endpointing silence (business setting `endpointingMs` wins). */
  endpointMs?: number;
  /** Caller speech needed while Kesher talks to count as barge-in. */
  bargeInMs?: number;
  /** No reply audio this long after the endpoint → a filler ("רגע, אני בודקת") so the line is never silent. */
  replyTimeoutMs?: number;
  /** Still no reply audio this long after the endpoint → give up on it and play the apology. */
  hardTimeoutMs?: number;
}

export interface TCallSessionDeps {
  providers: TSessionProviders;
  prompts: TVoicePrompts;
  db: TDb;
  log: TLogger;
  events?: TEventBus;
  /** Send one text frame to Twilio. */
  send: (text: string) => void;
  /** Hang up: close the media stream (Twilio then ends the <Connect>). */
  hangup?: () => void;
  /** The agent asked for a transfer; called once its sentence has been heard. */
  onAction?: (action: "transfer") => void;
  /** Sees every parsed inbound message (watchdog heartbeats, DTMF, stop) before the engine does. */
  observe?: (msg: TTwilioInbound) => void;
  options?: TSessionOptions;
  recorder?: TCallRecorder;
  /** Timers and `now()` (default: the system clock; tests run calls on virtual time). */
  clock?: TClock;
}

export interface TSessionStats {
  frameHandling: LatencyHistogram;
  framesIn: number;
  framesLost: number;
  malformed: number;
  bargeIns: number;
  greetingFirstFrameMs?: number;
  bargeInClearMs: number[];
  turnOverheadMs: number[];
  turnFirstFrameMs: number[];
  fallbacks: number;
  /** Outbound playback gaps (pacer underruns) and the largest adaptive lead used (ms). */
  underruns?: number;
  maxLeadMs?: number;
  /** Replies bridged by the filler because they were slow (optional: other engines do not fill). */
  fillers?: number;
}

export interface TCallSession {
  /** Feed one WebSocket message (text or binary) from Twilio. */
  handle(raw: string | Uint8Array | ArrayBuffer): void;
  /** Feed a message already parsed (the wrapper that picked the engine parsed the `start`). */
  accept?(msg: TTwilioInbound, t0?: number): void;
  /** Stream stopped or socket closed: finish and flush persistence. */
  end(reason: string): Promise<void>;
  readonly stats: TSessionStats;
  readonly streamSid: string | undefined;
  /** Feed text as if the caller had said it (DTMF digits); ignored before `start`. */
  injectText?(text: string): void;
}

/** What an engine gets when the stream starts. */
export interface TEngineContext {
  start: TTwilioStart;
  log: TLogger;
  pacer: TPacer;
  recorder: TCallRecorder;
  /** The call row and business settings (rejects when the database is unavailable). */
  info: Promise<TCallInfo>;
  /** call-sim's announced caller lines (empty for real calls). */
  script: string[];
  stats: TSessionStats;
  clock: TClock;
  /** Send to Twilio (nothing once the session ended). */
  send(text: string): void;
}

/** A voice engine behind the media session: the pipeline or OpenAI Realtime. */
export interface TEngine {
  readonly name: string;
  start(ctx: TEngineContext): void;
  /** The cached greeting (μ-law) is about to play as turn 0; false declines it (the conversation already began). */
  greeting(text: string, audioMs: number, mulaw: Uint8Array): boolean;
  /** One inbound μ-law frame; `t0` is when it arrived (barge-in latency). */
  audio(mulaw: Uint8Array, t0: number): void;
  /**
   * One inbound frame still in Twilio's base64, for an engine that needs no
   * PCM (OpenAI Realtime takes μ-law as is): the media fast path hands it
   * over without decoding. Absent: frames are decoded and go to `audio`.
   */
  audioBase64?(payload: string, t0: number): void;
  /** Caller input as text (DTMF digits). */
  text(text: string): void;
  /** Pacer: the first chunk of a turn left / the end mark of a turn came back. */
  firstChunk(turnId: number): void;
  turnPlayed(turnId: number): void;
  /** The stream ends: stop all work, queue what was said for persistence. */
  close(reason: string): void;
}

export function newSessionStats(): TSessionStats {
  return { frameHandling: new LatencyHistogram(), framesIn: 0, framesLost: 0, malformed: 0, bargeIns: 0, bargeInClearMs: [], turnOverheadMs: [], turnFirstFrameMs: [], fallbacks: 0, fillers: 0, underruns: 0, maxLeadMs: 0 };
}

function parseScript(raw: string | undefined, log: TLogger): string[] {
  try {
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    return Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === "string") : [];
  } catch {
    log.warn("simScript parameter is not JSON; ignored");
    return [];
  }
}

/** The session for one stream, driving `engine`. */
export function createMediaSession(deps: TCallSessionDeps, engine: TEngine): TCallSession {
  const clock = deps.clock ?? systemClock;
  const stats = newSessionStats();
  const countFrame = createFrameCounter(stats);
  const recorder = deps.recorder ?? createCallRecorder({ db: deps.db, log: deps.log, events: deps.events });
  let log = deps.log;
  let start: TTwilioStart | undefined;
  let pacer: TPacer | undefined;
  let ended = false;
  let endPromise: Promise<void> | undefined;
  const send = (text: string) => {
    if (!ended) deps.send(text);
  };

  const onStart = (msg: TTwilioStart) => {
    start = msg;
    const tStart = clock.now();
    const p = msg.customParameters;
    log = deps.log.child({ streamSid: msg.streamSid, callSid: msg.callSid, engine: engine.name });
    const script = parseScript(p.simScript, log);
    pacer = createPacer({
      streamSid: msg.streamSid,
      send,
      now: () => clock.now(),
      schedule: (fn, ms) => clock.setTimeout(fn, ms),
      onFirstChunk: (turnId) => {
        if (turnId === 0) stats.greetingFirstFrameMs = clock.now() - tStart;
        engine.firstChunk(turnId);
      },
      onTurnPlayed: (turnId) => engine.turnPlayed(turnId),
      annotate: script.length > 0,
    });
    const info = recorder.attach({ callSid: msg.callSid, streamSid: msg.streamSid, callId: p.callId, businessId: p.businessId, caller: p.caller });
    info.catch(() => {});
    engine.start({ start: msg, log, pacer, recorder, info, script, stats, clock, send });
    // Greeting first, from cache: nothing here waits for the database.
    const greet = () => {
      const g = deps.prompts.greeting(p.businessId);
      if (!g || !pacer || ended) return Boolean(g);
      if (engine.greeting(g.text, g.mulaw.length / 8, g.mulaw)) {
        pacer.enqueue({ turnId: 0, seq: 0, text: g.text, mulaw: g.mulaw });
        pacer.endTurn(0);
      }
      return true;
    };
    if (!greet()) {
      // Only right after boot, before the prompts are synthesised.
      log.warn("greeting audio not ready yet; it will play as soon as it is");
      void deps.prompts.whenReady().then(greet);
    }
    log.info({ params: Object.keys(p), script: script.length }, "media stream started");
  };

  const accept = (msg: TTwilioInbound, t0 = clock.now()) => {
    if (ended) return;
    deps.observe?.(msg);
    switch (msg.event) {
      case "media":
        if (!start || (msg.track !== "inbound" && msg.track !== "inbound_track")) return;
        countFrame(msg.chunk);
        engine.audio(msg.payload, t0);
        stats.frameHandling.add(clock.now() - t0);
        return;
      case "start":
        if (!start) onStart(msg);
        return;
      case "mark":
        pacer?.onMark(msg.name);
        return;
      case "dtmf":
        log.info({ digit: msg.digit }, "dtmf");
        return;
      case "stop":
        void session.end("stop");
        return;
      case "connected":
        return;
    }
  };

  const finish = async (reason: string) => {
    ended = true;
    engine.close(reason);
    if (pacer) {
      stats.underruns = pacer.counters.underruns;
      stats.maxLeadMs = pacer.counters.maxLeadMs;
    }
    pacer?.close();
    if (start) {
      recorder.end(summarizeCall(stats));
      await recorder.flush();
    }
    log.info({ reason, framesIn: stats.framesIn, bargeIns: stats.bargeIns, fallbacks: stats.fallbacks }, "media stream ended");
  };

  // The media fast path (no JSON.parse, no per-frame objects): one scratch result and one
  // observed-message object per session, reused for every frame.
  const scan: TMediaScan = { payload: "", chunk: 0, inbound: false };
  const seen = { event: "media" as const, streamSid: "", track: "inbound", chunk: 0, timestamp: 0, payload: new Uint8Array(0) };
  const fastMedia = (raw: string, t0: number): boolean => {
    if (!scanTwilioMedia(raw, scan)) return false;
    if (deps.observe) {
      seen.chunk = scan.chunk;
      deps.observe(seen);
    }
    if (!scan.inbound) return true;
    countFrame(scan.chunk);
    if (engine.audioBase64) engine.audioBase64(scan.payload, t0);
    else engine.audio(decodeBase64(scan.payload)!, t0);
    stats.frameHandling.add(clock.now() - t0);
    return true;
  };

  const session: TCallSession = {
    get stats() {
      return stats;
    },
    get streamSid() {
      return start?.streamSid;
    },
    handle(raw) {
      if (ended) return;
      const t0 = clock.now();
      if (start && typeof raw === "string" && fastMedia(raw, t0)) return;
      const r = parseTwilioMessage(raw instanceof ArrayBuffer ? new Uint8Array(raw) : raw);
      if (!r.ok) {
        stats.malformed++;
        log.warn({ reason: r.reason }, "media-stream message ignored");
        return;
      }
      accept(r.msg, t0);
    },
    accept,
    end(reason) {
      endPromise ??= finish(reason);
      return endPromise;
    },
    injectText(text) {
      if (ended || !start || !text.trim()) return;
      engine.text(text);
    },
  };
  return session;
}
