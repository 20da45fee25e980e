/**
 * One Twilio media stream = one CallSession. It owns the call:
 *   inbound μ-law → VAD/endpointing → STT → [agent → sentences → TTS] pipeline → pacer → Twilio
 * plus barge-in (clear + truncation to what was heard), fallbacks (a provider
 * error → the pre-synthesised apology; a reply slower than `replyTimeoutMs` →
 * a short spoken filler while it keeps coming, and the apology only after
 * `hardTimeoutMs`,
 * never silence) and persistence through the recorder, which nothing on the
 * media path awaits.
 */
import type { TEventBus } from "../api/lib/events";
import type { TLogger } from "../api/lib/logger";
import type { TDb } from "../db/client";
import type { TCallMetrics, TTurnMetrics } from "../db/schema/calls";
import type { TAgent, TConversationContext } from "./brain/types";
import type { TFrame } from "./frames";
import { systemClock, type TClock, type TTimer } from "./clock";
import { createFrameCounter, LatencyHistogram, quantile } from "./metrics";
import { createCallRecorder, type TCallInfo, type TCallRecorder } from "./persist/call-recorder";
import { createPipeline, type TPipeline } from "./pipeline";
import type { TSttProvider, TSttResult, TTtsProvider } from "./providers/types";
import { createAgentStage } from "./stages/llm";
import { createPacer, type TPacer } from "./stages/pacer";
import { createSentenceStage } from "./stages/sentences";
import { createTtsStage } from "./stages/tts";
import { looksComplete } from "./stages/turn";
import { parseTwilioMessage, type TTwilioStart } from "./stages/twilio-serializer";
import { createVad, type TVad, type TVadEvent } from "./stages/vad";
import { mulawToPcm16 } from "./audio/mulaw";
import { greetingTextFor, type TVoicePrompts } from "./voice-prompts";

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
  /** Replies bridged by the filler because they were slow (optional: other engines do not fill). */
  fillers?: number;
}

interface TReply {
  turnId: number;
  t0: number;
  text: string;
  startedAt: Date;
  metrics: TTurnMetrics;
  tSttDone?: number;
  tPushed?: number;
  tTts?: number;
  audioStarted: boolean;
  genDone: boolean;
  cancelled: boolean;
  persisted: boolean;
  hangup: boolean;
  transfer?: boolean;
  fallback: boolean;
  watchdog?: TTimer;
  hardWatchdog?: TTimer;
  filled: boolean;
  sttAbort?: AbortController;
}

export interface TCallSession {
  /** Feed one WebSocket message (text or binary) from Twilio. */
  handle(raw: string | Uint8Array | ArrayBuffer): void;
  /** Stream stopped or socket closed: finish and flush persistence. */
  end(reason: string): Promise<void>;
  readonly stats: TSessionStats;
  readonly streamSid: string | undefined;
  /** Feed text as if the caller had said it (DTMF digits); ignored before `start`. */
  injectText?(text: string): void;
}

export function createCallSession(deps: TCallSessionDeps): TCallSession {
  const opts = deps.options ?? {};
  const clock = deps.clock ?? systemClock;
  const now = () => clock.now();
  let log = deps.log;
  const stats: TSessionStats = { frameHandling: new LatencyHistogram(), framesIn: 0, framesLost: 0, malformed: 0, bargeIns: 0, bargeInClearMs: [], turnOverheadMs: [], turnFirstFrameMs: [], fallbacks: 0, fillers: 0 };
  const countFrame = createFrameCounter(stats);
  const recorder = deps.recorder ?? createCallRecorder({ db: deps.db, log: deps.log, events: deps.events });
  let start: TTwilioStart | undefined;
  let tStart = 0;
  let pacer: TPacer | undefined;
  let vad: TVad = createVad({ endpointMs: opts.endpointMs });
  let ctxPromise: Promise<TConversationContext> | undefined;
  let ctx: TConversationContext | undefined;
  let voice: string | undefined;
  let script: string[] = [];
  let hintIdx = 0;
  let turnSeq = 0;
  let ended = false;
  let endPromise: Promise<void> | undefined;
  let paused = false;
  let bargedThisUtterance = false;
  let callerStartedAt = new Date();
  let spec: { ac: AbortController; result: Promise<TSttResult>; committed: boolean } | undefined;
  let reply: TReply | undefined;
  const replies = new Map<number, TReply>();

  const send = (text: string) => {
    if (!ended) deps.send(text);
  };

  const pipeline: TPipeline = createPipeline(
    [createAgentStage({ now, agent: deps.providers.agent, fallbackAgent: deps.providers.fallbackAgent, log: deps.log, context: () => ctxPromise ?? Promise.reject(new Error("no call context")) }), createSentenceStage(), createTtsStage({ now, tts: deps.providers.tts, voice: () => voice })],
    (f) => onFrame(f),
    "reply",
  );

  const history = (role: "user" | "assistant", text: string) => {
    if (text) ctx?.history.push({ role, text });
  };

  const persistReply = (rep: TReply, text: string, interrupted: boolean) => {
    if (rep.persisted) return;
    rep.persisted = true;
    if (!text) return;
    recorder.turn({ speaker: "assistant", text, startedAt: rep.startedAt, endedAt: new Date(), interrupted, metrics: rep.turnId === 0 ? undefined : rep.metrics });
    history("assistant", text);
  };

  const newReply = (turnId: number, t0: number): TReply => {
    const rep: TReply = { turnId, t0, text: "", startedAt: new Date(), metrics: {}, audioStarted: false, genDone: false, cancelled: false, persisted: false, hangup: false, fallback: false, filled: false };
    replies.set(turnId, rep);
    for (const k of replies.keys()) if (k < turnId - 3) replies.delete(k);
    return rep;
  };

  const cancelReply = (rep: TReply) => {
    rep.cancelled = true;
    clock.clearTimeout(rep.watchdog);
    clock.clearTimeout(rep.hardWatchdog);
    rep.sttAbort?.abort();
    pipeline.process({ kind: "system", type: "interruption", reason: "cancel" }, () => {});
  };

  const playFallback = (rep: TReply, why: string, err?: unknown) => {
    if (ended || rep.fallback) return;
    log.warn({ err, why, turnId: rep.turnId }, "reply failed, playing the apology");
    cancelReply(rep);
    rep.fallback = true;
    stats.fallbacks++;
    const apology = deps.prompts.apology();
    if (!apology || !pacer) return;
    rep.text = apology.text;
    rep.metrics.fallback = why;
    rep.cancelled = false; // the apology itself is this turn's audio now
    pacer.enqueue({ turnId: rep.turnId, seq: 0, text: apology.text, mulaw: apology.mulaw });
    pacer.endTurn(rep.turnId);
    rep.genDone = true;
  };

  function onFrame(f: TFrame) {
    if (ended) return;
    if (f.kind === "system") {
      if (f.type === "error") {
        const rep = replies.get(f.turnId) ?? reply;
        if (rep && !rep.audioStarted && !rep.cancelled) playFallback(rep, `${f.stage} error`, f.error);
        else log.warn({ err: f.error, stage: f.stage, turnId: f.turnId }, "stage error after audio started");
      }
      return;
    }
    const rep = replies.get(f.turnId);
    if (!rep || rep.cancelled) return;
    switch (f.type) {
      case "audio":
        if (!rep.audioStarted) {
          rep.audioStarted = true;
          clock.clearTimeout(rep.watchdog);
          clock.clearTimeout(rep.hardWatchdog);
        }
        pacer?.enqueue({ turnId: f.turnId, seq: f.seq, text: f.text, mulaw: f.mulaw });
        break;
      case "text":
        rep.text += f.delta;
        break;
      case "metrics":
        if (f.metrics.ttsFirstByteMs !== undefined && rep.tTts === undefined) rep.tTts = now();
        Object.assign(rep.metrics, f.metrics);
        break;
      case "tool":
        recorder.turn({ speaker: "tool", text: f.name, startedAt: new Date(), toolName: f.name, toolPayload: { args: f.args, result: f.result } });
        break;
      case "action":
        if (f.action === "hangup") rep.hangup = true;
        else {
          rep.transfer = true;
          log.info({ action: f.action }, "agent requested a transfer");
        }
        break;
      case "reply-end":
        rep.genDone = true;
        if (!rep.audioStarted) playFallback(rep, rep.text.trim() ? "no audio" : "empty reply");
        else pacer?.endTurn(f.turnId);
        break;
    }
  }

  const onFirstChunk = (turnId: number) => {
    if (turnId === 0) {
      stats.greetingFirstFrameMs = now() - tStart;
      return;
    }
    const rep = replies.get(turnId);
    if (!rep) return;
    const firstFrameMs = now() - rep.t0;
    rep.metrics.firstFrameMs = Math.round(firstFrameMs);
    rep.metrics.totalMs = Math.round(firstFrameMs + (rep.metrics.endpointMs ?? 0));
    if (rep.tPushed !== undefined && rep.tTts !== undefined && rep.tSttDone !== undefined) {
      // Kesher's own time on the critical path: endpoint (or STT done, if later) → transcript
      // pushed, plus TTS first byte → first frame out. STT may finish before the endpoint
      // (speculative transcription at a pause).
      const own = rep.tPushed - Math.max(rep.t0, rep.tSttDone) + (now() - rep.tTts);
      rep.metrics.ownOverheadMs = Math.round(own * 100) / 100;
      stats.turnOverheadMs.push(own);
    }
    stats.turnFirstFrameMs.push(firstFrameMs);
  };

  const onTurnPlayed = (turnId: number) => {
    const rep = replies.get(turnId);
    if (!rep) return;
    persistReply(rep, rep.text, false);
    if (reply === rep) reply = undefined;
    if (rep.hangup) {
      log.info("agent ended the call");
      deps.hangup?.();
    } else if (rep.transfer) deps.onAction?.("transfer");
  };

  const transcribe = (pcm: Int16Array, ac: AbortController) =>
    deps.providers.stt.transcribe({ pcm, sampleRate: 8000, language: "he", signal: ac.signal, simulatorHint: script[hintIdx] });

  const takeTurn = async (result: Promise<TSttResult>, ac: AbortController, endpointMs: number) => {
    if (reply && !reply.genDone) cancelReply(reply);
    const rep = newReply(++turnSeq, now());
    reply = rep;
    rep.sttAbort = ac;
    rep.metrics.endpointMs = Math.round(endpointMs);
    rep.watchdog = clock.setTimeout(() => {
      if (rep.audioStarted || rep.cancelled || rep.fallback || ended) return;
      const filler = deps.prompts.filler();
      if (!filler || !pacer) return playFallback(rep, "timeout");
      // Never silent: say "one moment" while the reply is still on its way.
      rep.filled = true;
      rep.metrics.filler = true;
      stats.fillers = (stats.fillers ?? 0) + 1;
      pacer.enqueue({ turnId: rep.turnId, seq: -1, text: filler.text, mulaw: filler.mulaw });
    }, opts.replyTimeoutMs ?? 1400);
    rep.hardWatchdog = clock.setTimeout(() => {
      if (!rep.audioStarted && !rep.cancelled) playFallback(rep, "timeout");
    }, opts.hardTimeoutMs ?? 8000);
    let r: TSttResult;
    try {
      r = await result;
    } catch (err) {
      if (!rep.cancelled) playFallback(rep, "stt error", err);
      return;
    }
    rep.tSttDone = now();
    if (rep.cancelled || rep.fallback || ended) return;
    const text = r.text.trim();
    if (!text) return playFallback(rep, "empty transcript");
    hintIdx++;
    rep.metrics.sttMs = Math.round(r.ms);
    recorder.turn({ speaker: "caller", text, startedAt: callerStartedAt, endedAt: new Date() });
    history("user", text);
    log.info({ turnId: rep.turnId, text }, "caller said");
    rep.tPushed = now();
    pipeline.process({ kind: "data", type: "transcript", turnId: rep.turnId, text, metrics: rep.metrics }, () => {});
  };

  const bargeIn = (tFrame: number) => {
    if (!pacer) return;
    const heard = pacer.clear();
    stats.bargeIns++;
    stats.bargeInClearMs.push(now() - tFrame);
    const rep = heard ? replies.get(heard.turnId) : undefined;
    if (reply && !reply.genDone) cancelReply(reply);
    else pipeline.process({ kind: "system", type: "interruption", reason: "barge-in" }, () => {});
    if (rep) {
      rep.cancelled = true;
      persistReply(rep, heard!.heardText, true);
    }
    if (reply && (reply === rep || reply.cancelled)) reply = undefined;
    log.info({ turnId: heard?.turnId, heardMs: heard?.playedMs }, "barge-in: cleared playback");
  };

  const onVad = (ev: TVadEvent) => {
    switch (ev.type) {
      case "onset":
        callerStartedAt = new Date();
        bargedThisUtterance = false;
        paused = false;
        break;
      case "pause": {
        paused = true;
        const ac = new AbortController();
        const s = { ac, result: transcribe(vad.current(), ac), committed: false };
        s.result.catch(() => {});
        spec = s;
        // A finished-looking sentence ends the turn now instead of after the full silence.
        s.result.then((r) => {
          if (spec === s && paused && !s.committed && !ended && looksComplete(r.text)) {
            s.committed = true;
            spec = undefined;
            const silence = vad.speaking ? 240 : 0;
            vad.reset();
            void takeTurn(s.result, ac, silence);
          }
        }, () => {});
        break;
      }
      case "resume":
        paused = false;
        spec?.ac.abort();
        spec = undefined;
        break;
      case "end": {
        paused = false;
        const s = spec;
        spec = undefined;
        if (s && !s.committed) {
          s.committed = true;
          void takeTurn(s.result, s.ac, opts.endpointMs ?? 500);
        } else if (!s) {
          const ac = new AbortController();
          void takeTurn(transcribe(ev.pcm, ac), ac, opts.endpointMs ?? 500);
        }
        break;
      }
      case "discard":
        spec?.ac.abort();
        spec = undefined;
        break;
    }
  };

  const onStart = (msg: TTwilioStart) => {
    start = msg;
    tStart = now();
    const p = msg.customParameters;
    log = deps.log.child({ streamSid: msg.streamSid, callSid: msg.callSid });
    try {
      const parsed: unknown = p.simScript ? JSON.parse(p.simScript) : [];
      script = Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === "string") : [];
    } catch {
      log.warn("simScript parameter is not JSON; ignored");
    }
    pacer = createPacer({ streamSid: msg.streamSid, send, now, schedule: (fn, ms) => clock.setTimeout(fn, ms), onFirstChunk, onTurnPlayed, annotate: script.length > 0 });
    // Greeting first, from cache: nothing here waits for the database.
    const greet = () => {
      const g = deps.prompts.greeting(p.businessId);
      if (!g || !pacer || ended || replies.has(0)) return Boolean(g);
      const rep = newReply(0, tStart);
      rep.text = g.text;
      rep.genDone = true;
      pacer.enqueue({ turnId: 0, seq: 0, text: g.text, mulaw: g.mulaw });
      pacer.endTurn(0);
      return true;
    };
    if (!greet()) {
      // Only right after boot, before the prompts are synthesised.
      log.warn("greeting audio not ready yet; it will play as soon as it is");
      void deps.prompts.whenReady().then(() => {
        if (turnSeq === 0) greet();
      });
    }
    const info = recorder.attach({ callSid: msg.callSid, streamSid: msg.streamSid, callId: p.callId, businessId: p.businessId, caller: p.caller });
    ctxPromise = info.then(
      (i: TCallInfo) => {
        if (i.settings.endpointingMs && !opts.endpointMs) vad = createVad({ endpointMs: i.settings.endpointingMs });
        voice = i.settings.voice;
        void deps.prompts.refreshGreeting(i.businessId, greetingTextFor(i.businessName, i.settings), i.settings.voice);
        ctx = { businessId: i.businessId, channel: "call", callId: i.callId, customerId: i.customerId, callerPhone: i.callerPhone, history: ctx?.history ?? [], systemPrompt: i.settings.systemPrompt, businessName: i.businessName, state: {} };
        return ctx;
      },
      (err: unknown) => {
        log.error({ err }, "call row unavailable; the conversation continues without persistence");
        if (!p.businessId) throw err;
        ctx = { businessId: p.businessId, channel: "call", callerPhone: p.caller || null, history: ctx?.history ?? [], state: {} };
        return ctx;
      },
    );
    ctxPromise.catch(() => {});
    log.info({ params: Object.keys(p), script: script.length }, "media stream started");
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
      const t0 = now();
      const r = parseTwilioMessage(raw instanceof ArrayBuffer ? new Uint8Array(raw) : raw);
      if (!r.ok) {
        stats.malformed++;
        log.warn({ reason: r.reason }, "media-stream message ignored");
        return;
      }
      const msg = r.msg;
      switch (msg.event) {
        case "media": {
          if (!start || (msg.track !== "inbound" && msg.track !== "inbound_track")) return;
          countFrame(msg.chunk);
          const ev = vad.push(mulawToPcm16(msg.payload));
          if (ev) onVad(ev);
          if (!bargedThisUtterance && vad.speaking && vad.speechMs >= (opts.bargeInMs ?? 120) && (pacer?.speaking || (reply && !reply.genDone))) {
            bargedThisUtterance = true;
            bargeIn(t0);
          }
          stats.frameHandling.add(now() - t0);
          return;
        }
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
    },
    end(reason) {
      endPromise ??= finish(reason);
      return endPromise;
    },
    injectText(text) {
      if (ended || !start || !text.trim()) return;
      void takeTurn(Promise.resolve({ text, ms: 0 }), new AbortController(), 0);
    },
  };

  async function finish(reason: string): Promise<void> {
    {
      ended = true;
      pipeline.process({ kind: "system", type: "interruption", reason }, () => {});
      spec?.ac.abort();
      for (const rep of replies.values()) {
        clock.clearTimeout(rep.watchdog);
        clock.clearTimeout(rep.hardWatchdog);
        if (rep.audioStarted || rep.turnId === 0 || rep.fallback) persistReply(rep, rep.text, true);
      }
      pacer?.close();
      if (start) {
        const turns = stats.turnFirstFrameMs;
        const metrics: TCallMetrics = {
          greetingFirstFrameMs: stats.greetingFirstFrameMs === undefined ? undefined : Math.round(stats.greetingFirstFrameMs * 100) / 100,
          turns: turns.length,
          bargeIns: stats.bargeIns,
          framesIn: stats.framesIn,
          framesLost: stats.framesLost,
          malformedMessages: stats.malformed,
          avgTurnMs: turns.length ? Math.round(turns.reduce((a, b) => a + b, 0) / turns.length) : undefined,
          p95TurnMs: turns.length ? Math.round(quantile(turns, 0.95)) : undefined,
        };
        recorder.end(metrics);
        await recorder.flush();
      }
      log.info({ reason, framesIn: stats.framesIn, bargeIns: stats.bargeIns, fallbacks: stats.fallbacks }, "media stream ended");
    }
  }
  return session;
}
