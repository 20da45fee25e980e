/**
 * The OpenAI Realtime engine for one Twilio media stream. Caller μ-law goes
 * upstream without a PCM detour (realtime-caller-audio.ts: batched, bounded, never
 * dropped silently); the socket is configured as soon as it opens, without waiting long for the
 * database (the business prompt follows in a second `session.update`); the
 * greeting goes in as a real assistant audio item with our id, so a barge-in
 * during it truncates an item the API knows; model audio deltas go to Twilio through the
 * pacer (marks tell what was heard). Barge-in: the model's VAD reports
 * speech → Twilio `clear`, `response.cancel`, and `conversation.item.truncate`
 * at the milliseconds the caller actually heard. Tools run through the shared
 * registry; transfer/end act once the spoken sentence has played. Turns and
 * metrics go through the same recorder as the pipeline engine; the media
 * session (realtime/media-session.ts) does the rest, as for the pipeline.
 */
import { createEventBus } from "../../core/kernel/events";
import { buildSystemPrompt } from "../../core/conversation/brain/prompts";
import { createFollowUpQueue } from "../../core/conversation/brain/tools/follow-up-queue";
import { runTool } from "../../core/conversation/brain/tools/tool-registry";
import type { TToolScope } from "../../core/conversation/brain/tools/types";
import type { TCallSession, TCallSessionDeps } from "../call-session";
import { createMediaSession, type TEngine, type TEngineContext } from "../media-session";
import type { TCallInfo } from "../persist/call-recorder";
import { connectRealtime, sessionUpdateEvent } from "../../core/conversation/providers/realtime/openai-realtime";
import { createAssistantItems, safeJson, truncateTranscript as truncate, type TAssistantItem, type TRealtimeEngineOptions, type TRealtimeHooks } from "./realtime-turns";
import { createCallerAudio } from "./realtime-caller-audio";
export { truncateTranscript, type TRealtimeEngineOptions, type TRealtimeHooks } from "./realtime-turns";

/** The OpenAI Realtime engine behind the shared media session. */
export function createRealtimeEngine(deps: TCallSessionDeps, engine: TRealtimeEngineOptions, hooks?: TRealtimeHooks): TEngine {
  let c!: TEngineContext;
  const t = () => c.clock.now();
  let log = deps.log;
  const localBus = createEventBus();
  let followUps = engine.followUps;
  let upstream: ReturnType<typeof connectRealtime> | undefined;
  let ready = false;
  let ended = false;
  let scope: TToolScope | undefined;
  let tEndpoint: number | undefined;
  let responseActive = false;
  let pendingAction: "transfer" | "hangup" | undefined;
  let greetingAudio: Uint8Array | undefined;
  const { items, byTurn, itemFor, turns, nextTurn } = createAssistantItems();

  const up = (event: Record<string, unknown>) => {
    if (ready && upstream && !ended) upstream.send(event as never);
  };

  /** One append, as a template string straight on the socket (the SDK would JSON.stringify an object). */
  const appendUp = (b64: string) => {
    try {
      upstream!.socket.send(`{"type":"input_audio_buffer.append","audio":"${b64}"}`);
    } catch (err) {
      log.warn({ err }, "realtime append failed");
    }
  };

  // Caller audio: batched appends, held (bounded) until the socket is configured, never dropped silently.
  const callerAudio = createCallerAudio({
    batchMs: engine.appendBatchMs,
    maxBufferedFrames: engine.maxBufferedFrames,
    send: appendUp,
    onDrop(frames, bufferedMs, first) {
      // Count it, say it once, and let the watchdog move the call to the Record flow.
      c.stats.framesLost += frames;
      if (!first) return;
      log.error({ bufferedMs }, "realtime upstream not ready: caller audio dropped");
      hooks?.fatal(new Error("realtime upstream not ready; caller audio dropped"));
    },
  });

  const persist = (it: TAssistantItem, text: string, interrupted: boolean) => {
    if (it.persisted) return;
    it.persisted = true;
    if (text) c.recorder.turn({ speaker: "assistant", text, startedAt: it.startedAt, endedAt: new Date(), interrupted, metrics: it.turnId === 0 ? undefined : it.metrics });
  };

  const act = () => {
    const a = pendingAction;
    if (!a || c.pacer.speaking) return;
    pendingAction = undefined;
    log.info({ action: a }, "realtime agent action");
    if (a === "hangup") deps.hangup?.();
    else deps.onAction?.("transfer");
  };

  const bargeIn = (t0: number) => {
    if (!c.pacer.speaking && !responseActive) return;
    const heard = c.pacer.clear();
    c.stats.bargeIns++;
    c.stats.bargeInClearMs.push(t() - t0);
    if (responseActive) up({ type: "response.cancel" });
    const it = heard ? byTurn.get(heard.turnId) : undefined;
    if (heard && it) {
      // The model's context keeps only what the caller heard (echoed marks), not what was sent.
      const audioEndMs = Math.max(0, Math.min(Math.round(heard.playedMs), Math.round(it.audioMs)));
      up({ type: "conversation.item.truncate", item_id: it.itemId, content_index: 0, audio_end_ms: audioEndMs });
      persist(it, truncate(it.transcript, audioEndMs, it.audioMs), true);
      log.info({ itemId: it.itemId, audioEndMs, sentMs: heard.sentMs }, "barge-in: truncated the assistant item");
    }
  };

  const onTool = async (callId: string, name: string, args: string) => {
    if (!scope) return;
    followUps ??= createFollowUpQueue({ db: deps.db, log: deps.log, events: deps.events ?? localBus });
    const outcome = await runTool({ db: deps.db, events: deps.events ?? localBus, log, followUps }, scope, name, args);
    c.recorder.turn({ speaker: "tool", text: name, startedAt: new Date(), toolName: name, toolPayload: { args: safeJson(args), result: outcome.result } });
    up({ type: "conversation.item.create", item: { type: "function_call_output", call_id: callId, output: JSON.stringify(outcome.result) } });
    if (outcome.action) {
      pendingAction = outcome.action;
      if (!responseActive) act();
    } else up({ type: "response.create" });
  };

  const onUpstream = (ev: { type: string } & Record<string, unknown>) => {
    if (ended) return;
    switch (ev.type) {
      case "input_audio_buffer.speech_started":
        return bargeIn(t());
      case "input_audio_buffer.speech_stopped":
        tEndpoint = t();
        return;
      case "response.created":
        responseActive = true;
        return;
      case "response.output_audio.delta": {
        const it = itemFor(String(ev.item_id));
        // One decode per delta (the pacer cuts it into 40 ms chunks by bytes), no extra copy.
        const bytes: Uint8Array = Buffer.from(String(ev.delta), "base64");
        if (it.audioMs === 0 && tEndpoint !== undefined) it.metrics.llmFirstTokenMs = Math.round(t() - tEndpoint);
        it.audioMs += bytes.length / 8;
        c.pacer.enqueue({ turnId: it.turnId, seq: 0, text: "", mulaw: bytes });
        return;
      }
      case "response.output_audio_transcript.delta":
        itemFor(String(ev.item_id)).transcript += String(ev.delta ?? "");
        return;
      case "response.output_audio_transcript.done":
        itemFor(String(ev.item_id)).transcript = String(ev.transcript ?? "");
        return;
      case "response.output_audio.done": {
        const it = itemFor(String(ev.item_id));
        it.done = true;
        c.pacer.endTurn(it.turnId);
        return;
      }
      case "conversation.item.input_audio_transcription.completed": {
        const text = String(ev.transcript ?? "").trim();
        if (text) c.recorder.turn({ speaker: "caller", text, startedAt: new Date(), endedAt: new Date() });
        return;
      }
      case "response.function_call_arguments.done":
        void onTool(String(ev.call_id), String(ev.name), String(ev.arguments ?? "{}")).catch((err: unknown) => log.error({ err }, "realtime tool failed"));
        return;
      case "response.done":
        responseActive = false;
        for (const it of items.values()) if (it.done && it.audioMs === 0) persist(it, it.transcript, false);
        return act();
      case "error":
        log.warn({ error: ev.error }, "realtime API error event");
        return;
    }
  };

  const instructionsFor = (info: TCallInfo | undefined) =>
    buildSystemPrompt({ businessPrompt: info?.settings.systemPrompt, businessName: info?.businessName, channel: "call", now: engine.now?.() ?? new Date() });

  const configure = (info: TCallInfo | undefined) => {
    if (!upstream || ended) return;
    ready = true;
    up(sessionUpdateEvent({ instructions: instructionsFor(info), vad: engine.vad }));
    const greeting = byTurn.get(0);
    if (greeting && greetingAudio) {
      // A real assistant audio item with our id: a barge-in during the greeting truncates it.
      up({ type: "conversation.item.create", item: { id: greeting.itemId, type: "message", role: "assistant", content: [{ type: "output_audio", audio: Buffer.from(greetingAudio.buffer, greetingAudio.byteOffset, greetingAudio.byteLength).toString("base64"), transcript: greeting.transcript }] } });
    }
    callerAudio.open();
    log.info({ model: engine.model ?? "gpt-realtime", withCallInfo: Boolean(info) }, "realtime session configured");
  };

  const connect = () => {
    const p = c.start.customParameters;
    const ws = connectRealtime({ client: engine.client, model: engine.model, wsOptions: engine.wsOptions });
    upstream = ws;
    ws.on("event", (ev) => onUpstream(ev as unknown as { type: string } & Record<string, unknown>));
    ws.on("error", (err) => log.warn({ err }, "realtime socket error"));
    const opened = new Promise<void>((resolve, reject) => {
      ws.socket.on("open", () => resolve());
      ws.socket.on("close", (code: number) => {
        const err = new Error(`realtime socket closed (${code})`);
        reject(err);
        if (ended || !ready) return;
        ready = false;
        callerAudio.hold();
        c.stats.fallbacks++;
        log.error({ code }, "realtime upstream closed mid-call");
        const apology = deps.prompts.apology();
        if (apology) {
          const turnId = nextTurn();
          c.pacer.enqueue({ turnId, seq: 0, text: apology.text, mulaw: apology.mulaw });
          c.pacer.endTurn(turnId);
        }
        hooks?.fatal(err);
      });
    });
    opened.catch(() => {});
    if (p.businessId) scope = { businessId: p.businessId, channel: "call", callerPhone: p.caller || null, now: engine.now };
    let info: TCallInfo | undefined;
    let infoDone = false;
    // The call row attaches whenever the database answers: never on the media path.
    const attached = c.info.then(
      (i) => {
        info = i;
        infoDone = true;
        scope = { businessId: i.businessId, channel: "call", callId: i.callId, customerId: i.customerId, callerPhone: i.callerPhone, now: engine.now };
        // Configured without it (slow database): the business prompt follows.
        if (ready && !ended) up({ type: "session.update", session: { type: "realtime", instructions: sessionUpdateEvent({ instructions: instructionsFor(i) }).session.instructions } });
      },
      () => {
        infoDone = true;
      },
    );
    const infoOrTimeout = new Promise<void>((resolve) => {
      const timer = c.clock.setTimeout(resolve, engine.infoWaitMs ?? 1000);
      void attached.then(() => {
        c.clock.clearTimeout(timer);
        resolve();
      });
    });
    void Promise.all([opened, infoOrTimeout]).then(
      () => {
        if (!infoDone) log.warn("call row not attached yet; realtime session configured with the generic prompt");
        configure(info);
      },
      (err: unknown) => {
        log.error({ err }, "realtime upstream unavailable");
        c.stats.fallbacks++;
        hooks?.fatal(err);
      },
    );
  };

  return {
    name: "realtime",
    start(context) {
      c = context;
      log = context.log;
      connect();
    },
    greeting(text, audioMs, mulaw) {
      if (turns() > 0 || byTurn.has(0)) return false;
      greetingAudio = mulaw;
      // Client-chosen item ids are allowed (≤ 32 characters); this one is unique per call.
      const itemId = `greet_${crypto.randomUUID().replace(/-/g, "").slice(0, 24)}`;
      byTurn.set(0, { turnId: 0, itemId, transcript: text, audioMs, startedAt: new Date(), metrics: {}, done: true, persisted: false });
      return true;
    },
    audioBase64(payload) {
      callerAudio.base64(payload);
    },
    audio(mulaw) {
      callerAudio.mulaw(mulaw);
    },
    text(text) {
      if (!ready) return;
      c.recorder.turn({ speaker: "caller", text, startedAt: new Date() });
      up({ type: "conversation.item.create", item: { type: "message", role: "user", content: [{ type: "input_text", text }] } });
      tEndpoint = t();
      up({ type: "response.create" });
    },
    firstChunk(turnId) {
      const it = byTurn.get(turnId);
      if (turnId === 0 || !it || tEndpoint === undefined || it.metrics.firstFrameMs !== undefined) return;
      const ms = t() - tEndpoint;
      it.metrics.firstFrameMs = Math.round(ms);
      it.metrics.totalMs = Math.round(ms);
      c.stats.turnFirstFrameMs.push(ms);
    },
    turnPlayed(turnId) {
      const it = byTurn.get(turnId);
      if (it && it.done) persist(it, it.transcript, false);
      act();
    },
    close() {
      ended = true;
      callerAudio.end();
      for (const it of byTurn.values()) if (!it.persisted && (it.audioMs > 0 || it.transcript)) persist(it, it.transcript, !it.done);
      try {
        upstream?.close({ code: 1000, reason: "call ended" });
      } catch (err) {
        log.debug({ err }, "closing the realtime socket");
      }
    },
  };
}

/** A media stream on the OpenAI Realtime engine. */
export function createRealtimeSession(deps: TCallSessionDeps, engine: TRealtimeEngineOptions, hooks?: TRealtimeHooks): TCallSession {
  return createMediaSession(deps, createRealtimeEngine(deps, engine, hooks));
}
