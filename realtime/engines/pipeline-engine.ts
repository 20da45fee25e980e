/**
 * The pipeline voice engine: caller audio → VAD (onset = barge-in) →
 * speculative STT → [agent → sentences → TTS] stages → pacer, with the reply
 * guard bridging slow replies (filler, then the apology) so the line is never
 * silent. Each reply is a turn: its text, metrics, actions and the audio the
 * caller actually heard (barge-in truncates to the echoed marks) are recorded
 * through the recorder, which nothing here awaits.
 */
import type { TTurnMetrics } from "../../db/schema/calls";
import type { TConversationContext } from "../../core/conversation/brain/types";
import type { TFrame } from "../frames";
import type { TCallSessionDeps, TEngine, TEngineContext } from "../media-session";
import { mulawToPcm16 } from "../../core/conversation/audio/mulaw";
import { createPipeline } from "../pipeline";
import { createAgentStage } from "../stages/llm";
import { createReplyGuard } from "../stages/reply-guard";
import { createSentenceStage } from "../stages/sentences";
import { createSpeculativeStt, type TSttTurn } from "../stages/stt";
import { createTtsStage } from "../stages/tts";
import { createVad, type TVad } from "../stages/vad";
import { greetingTextFor } from "../../core/conversation/voice-prompts";

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
  sttAbort?: AbortController;
}

export function createPipelineEngine(deps: TCallSessionDeps): TEngine {
  const opts = deps.options ?? {};
  let c!: TEngineContext;
  const now = () => c.clock.now();
  let log = deps.log;
  let vad: TVad = createVad({ endpointMs: opts.endpointMs });
  let ctxPromise: Promise<TConversationContext> | undefined;
  let ctx: TConversationContext | undefined;
  let voice: string | undefined;
  let hintIdx = 0;
  let turnSeq = 0;
  let ended = false;
  let bargedThisUtterance = false;
  let callerStartedAt = new Date();
  let reply: TReply | undefined;
  const replies = new Map<number, TReply>();

  const pipeline = createPipeline(
    [createAgentStage({ now, agent: deps.providers.agent, fallbackAgent: deps.providers.fallbackAgent, log: deps.log, context: () => ctxPromise ?? Promise.reject(new Error("no call context")) }), createSentenceStage(), createTtsStage({ now, tts: deps.providers.tts, voice: () => voice })],
    (f) => onFrame(f),
    "reply",
  );
  const interrupt = (reason: string) => pipeline.process({ kind: "system", type: "interruption", reason }, () => {});
  let guard = createReplyGuard({ push: (f) => onFrame(f) });

  const persistReply = (rep: TReply, text: string, interrupted: boolean) => {
    if (rep.persisted) return;
    rep.persisted = true;
    if (!text) return;
    c.recorder.turn({ speaker: "assistant", text, startedAt: rep.startedAt, endedAt: new Date(), interrupted, metrics: rep.turnId === 0 ? undefined : rep.metrics });
    ctx?.history.push({ role: "assistant", text });
  };

  const newReply = (turnId: number, t0: number): TReply => {
    const rep: TReply = { turnId, t0, text: "", startedAt: new Date(), metrics: {}, audioStarted: false, genDone: false, cancelled: false, persisted: false, hangup: false, fallback: false };
    replies.set(turnId, rep);
    for (const k of replies.keys()) if (k < turnId - 3) replies.delete(k);
    return rep;
  };

  const cancelReply = (rep: TReply) => {
    rep.cancelled = true;
    guard.disarm(rep.turnId);
    rep.sttAbort?.abort();
    interrupt("cancel");
  };

  const playFallback = (rep: TReply, why: string, err?: unknown) => {
    if (ended || rep.fallback) return;
    log.warn({ err, why, turnId: rep.turnId }, "reply failed, playing the apology");
    cancelReply(rep);
    rep.fallback = true;
    c.stats.fallbacks++;
    const apology = deps.prompts.apology();
    if (!apology) return;
    rep.text = apology.text;
    rep.metrics.fallback = why;
    rep.cancelled = false; // the apology itself is this turn's audio now
    c.pacer.enqueue({ turnId: rep.turnId, seq: 0, text: apology.text, mulaw: apology.mulaw });
    c.pacer.endTurn(rep.turnId);
    rep.genDone = true;
  };

  const onGuard = (rep: TReply, reason: "filler" | "timeout") => {
    if (rep.audioStarted || rep.cancelled || rep.fallback || ended) return;
    const filler = reason === "filler" ? deps.prompts.filler() : undefined;
    if (!filler) return playFallback(rep, "timeout");
    // Never silent: say "one moment" while the reply is still on its way.
    rep.metrics.filler = true;
    c.stats.fillers = (c.stats.fillers ?? 0) + 1;
    c.pacer.enqueue({ turnId: rep.turnId, seq: -1, text: filler.text, mulaw: filler.mulaw });
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
      case "guard":
        return onGuard(rep, f.reason);
      case "audio":
        if (!rep.audioStarted) {
          rep.audioStarted = true;
          guard.disarm(rep.turnId);
        }
        c.pacer.enqueue({ turnId: f.turnId, seq: f.seq, text: f.text, mulaw: f.mulaw });
        return;
      case "text":
        rep.text += f.delta;
        return;
      case "metrics":
        if (f.metrics.ttsFirstByteMs !== undefined && rep.tTts === undefined) rep.tTts = now();
        Object.assign(rep.metrics, f.metrics);
        return;
      case "tool":
        c.recorder.turn({ speaker: "tool", text: f.name, startedAt: new Date(), toolName: f.name, toolPayload: { args: f.args, result: f.result } });
        return;
      case "action":
        if (f.action === "hangup") rep.hangup = true;
        else {
          rep.transfer = true;
          log.info({ action: f.action }, "agent requested a transfer");
        }
        return;
      case "reply-end":
        rep.genDone = true;
        if (!rep.audioStarted) playFallback(rep, rep.text.trim() ? "no audio" : "empty reply");
        else c.pacer.endTurn(f.turnId);
        return;
    }
  }

  const takeTurn = async (turn: TSttTurn) => {
    if (reply && !reply.genDone) cancelReply(reply);
    const rep = newReply(++turnSeq, now());
    reply = rep;
    rep.sttAbort = turn.abort;
    rep.metrics.endpointMs = Math.round(turn.endpointMs);
    guard.arm(rep.turnId);
    let r;
    try {
      r = await turn.result;
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
    c.recorder.turn({ speaker: "caller", text, startedAt: callerStartedAt, endedAt: new Date() });
    ctx?.history.push({ role: "user", text });
    log.info({ turnId: rep.turnId, text }, "caller said");
    rep.tPushed = now();
    pipeline.process({ kind: "data", type: "transcript", turnId: rep.turnId, text, metrics: rep.metrics }, () => {});
  };

  const stt = createSpeculativeStt({
    transcribe: (pcm, ac) => deps.providers.stt.transcribe({ pcm, sampleRate: 8000, language: "he", signal: ac.signal, simulatorHint: c.script[hintIdx] }),
    vad: () => vad,
    endpointMs: () => opts.endpointMs ?? 500,
    onTurn: (t) => void takeTurn(t),
    live: () => !ended,
  });

  const bargeIn = (tFrame: number) => {
    const heard = c.pacer.clear();
    c.stats.bargeIns++;
    c.stats.bargeInClearMs.push(now() - tFrame);
    const rep = heard ? replies.get(heard.turnId) : undefined;
    if (reply && !reply.genDone) cancelReply(reply);
    else interrupt("barge-in");
    if (rep && heard) {
      rep.cancelled = true;
      persistReply(rep, heard.heardText, true);
    }
    if (reply && (reply === rep || reply.cancelled)) reply = undefined;
    log.info({ turnId: heard?.turnId, heardMs: heard?.playedMs }, "barge-in: cleared playback");
  };

  return {
    name: "pipeline",
    start(context) {
      c = context;
      log = context.log;
      guard = createReplyGuard({ clock: context.clock, push: (f) => onFrame(f), replyTimeoutMs: opts.replyTimeoutMs, hardTimeoutMs: opts.hardTimeoutMs });
      const p = context.start.customParameters;
      ctxPromise = context.info.then(
        (i) => {
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
    },
    greeting(text) {
      if (turnSeq > 0 || replies.has(0)) return false;
      const rep = newReply(0, now());
      rep.text = text;
      rep.genDone = true;
      return true;
    },
    audio(mulaw, t0) {
      const ev = vad.push(mulawToPcm16(mulaw));
      if (ev?.type === "onset") {
        callerStartedAt = new Date();
        bargedThisUtterance = false;
      }
      if (ev) stt.onVad(ev);
      if (!bargedThisUtterance && vad.speaking && vad.speechMs >= (opts.bargeInMs ?? 120) && (c.pacer.speaking || (reply && !reply.genDone))) {
        bargedThisUtterance = true;
        bargeIn(t0);
      }
    },
    text(text) {
      void takeTurn({ result: Promise.resolve({ text, ms: 0 }), abort: new AbortController(), endpointMs: 0 });
    },
    firstChunk(turnId) {
      const rep = replies.get(turnId);
      if (turnId === 0 || !rep) return;
      const firstFrameMs = now() - rep.t0;
      rep.metrics.firstFrameMs = Math.round(firstFrameMs);
      rep.metrics.totalMs = Math.round(firstFrameMs + (rep.metrics.endpointMs ?? 0));
      if (rep.tPushed !== undefined && rep.tTts !== undefined && rep.tSttDone !== undefined) {
        // Kesher's own time on the critical path: endpoint (or STT done, if later) → transcript
        // pushed, plus TTS first byte → first frame out. STT may finish before the endpoint
        // (speculative transcription at a pause).
        const own = rep.tPushed - Math.max(rep.t0, rep.tSttDone) + (now() - rep.tTts);
        rep.metrics.ownOverheadMs = Math.round(own * 100) / 100;
        c.stats.turnOverheadMs.push(own);
      }
      c.stats.turnFirstFrameMs.push(firstFrameMs);
    },
    turnPlayed(turnId) {
      const rep = replies.get(turnId);
      if (!rep) return;
      persistReply(rep, rep.text, false);
      if (reply === rep) reply = undefined;
      if (rep.hangup) {
        log.info("agent ended the call");
        deps.hangup?.();
      } else if (rep.transfer) deps.onAction?.("transfer");
    },
    close(reason) {
      ended = true;
      interrupt(reason);
      stt.abort();
      guard.close();
      for (const rep of replies.values()) if (rep.audioStarted || rep.turnId === 0 || rep.fallback) persistReply(rep, rep.text, true);
    },
  };
}
