/**
 * The dashboard test call ("שיחת ניסיון"): a call logged exactly like a real
 * one — a `call_logs` row with a synthetic `TEST-…` CallSid, every turn in
 * `conversation_turns`, leads and viewings written by the agent's own tools,
 * live `call.*` events — but the caller types (or picks) lines instead of
 * speaking. Text in, Kesher's text and audio out.
 */
import { and, asc, eq, sql } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { businesses, callLogs, conversationTurns } from "../../../db/schema";
import type { TTurnMetrics } from "../../../db/schema/calls";
import type { TAgent, THistoryItem, TConversationContext } from "../../../core/conversation/brain/types";
import { AppError } from "../../../core/kernel/errors";
import type { TEventBus } from "../../../core/kernel/events";
import type { TLogger } from "../../../core/kernel/logger";
import type { TScope } from "../../../core/domain/scope";
import { synthesizeAnswer, type TSpokenAudio } from "./synthesize-answer";
import { markTestLead } from "../calls/test-calls";
import { rememberState, type TTestCallRuntime } from "./test-call-runtime";

export interface TTestCallDeps {
  db: TDb;
  events: TEventBus;
  log: TLogger;
  runtime: TTestCallRuntime;
}

export interface TTestTurn {
  seq: number;
  speaker: "caller" | "assistant" | "tool";
  text: string;
  toolName: string | null;
  metrics: TTurnMetrics | null;
}

export interface TTestAnswer {
  callId: string;
  turns: TTestTurn[];
  /** Kesher's spoken answer (absent when the agent said nothing). */
  audio: TSpokenAudio | null;
  /** The agent asked to transfer or hang up; the UI ends the call. */
  action: "transfer" | "hangup" | null;
}

export const TEST_CALL_PREFIX = "TEST-";
const MAX_TEXT = 500;

async function loadBusiness(db: TDb, businessId: string) {
  const [b] = await db.select().from(businesses).where(eq(businesses.id, businessId)).limit(1);
  if (!b) throw new AppError("NOT_FOUND", "business not found", { userMessage: "העסק לא נמצא" });
  return b;
}

async function loadTestCall(db: TDb, scope: TScope, callId: string) {
  const [call] = await db
    .select()
    .from(callLogs)
    .where(and(eq(callLogs.id, callId), eq(callLogs.businessId, scope.businessId)))
    .limit(1);
  if (!call || !call.callSid.startsWith(TEST_CALL_PREFIX)) throw new AppError("NOT_FOUND", "test call not found", { userMessage: "שיחת הניסיון לא נמצאה" });
  return call;
}

async function insertTurn(db: TDb, businessId: string, callId: string, t: Omit<TTestTurn, "seq">, toolPayload?: unknown): Promise<TTestTurn> {
  // seq = next in this call; (call_id, seq) is unique, so a race fails loudly instead of interleaving.
  const [row] = await db
    .insert(conversationTurns)
    .values({
      businessId,
      callId,
      seq: sql`(select coalesce(max(${conversationTurns.seq}), 0) + 1 from ${conversationTurns} where ${conversationTurns.callId} = ${callId})`,
      speaker: t.speaker,
      text: t.text,
      toolName: t.toolName,
      toolPayload: toolPayload ?? null,
      metrics: t.metrics,
      endedAt: new Date(),
    })
    .returning({ seq: conversationTurns.seq });
  return { ...t, seq: row!.seq };
}

/**
 * Open a test call: the row is written first (as the voice webhook does),
 * then the greeting is spoken and stored as turn 1.
 */
export async function startTestCall(deps: TTestCallDeps, scope: TScope, opts: { callerPhone?: string | null } = {}): Promise<TTestAnswer> {
  const business = await loadBusiness(deps.db, scope.businessId);
  const callSid = `${TEST_CALL_PREFIX}${crypto.randomUUID()}`;
  const [call] = await deps.db
    .insert(callLogs)
    .values({
      businessId: scope.businessId,
      callSid,
      fromNumber: opts.callerPhone ?? null,
      toNumber: business.phoneNumber,
      direction: "test",
      status: "in_progress",
      mode: "stream",
      engine: `test:${deps.runtime.agent.name}`,
      answeredAt: new Date(),
    })
    .returning();
  const log = deps.log.child({ callSid, callId: call!.id });
  log.info({ userId: scope.userId }, "test call started");
  deps.events.publish({ type: "call.started", businessId: scope.businessId, callId: call!.id, callSid, from: call!.fromNumber });

  const greeting = business.settings.greetingText?.trim() || `שלום, הגעתם ל${business.name}. איך אפשר לעזור לכם היום?`;
  const audio = await synthesizeAnswer(deps.runtime.tts, greeting, { voice: business.settings.voice });
  const turn = await insertTurn(deps.db, scope.businessId, call!.id, {
    speaker: "assistant",
    text: greeting,
    toolName: null,
    metrics: { ttsFirstByteMs: audio.firstByteMs },
  });
  deps.events.publish({ type: "call.turn", businessId: scope.businessId, callId: call!.id, seq: turn.seq, speaker: turn.speaker, text: turn.text });
  return { callId: call!.id, turns: [turn], audio, action: null };
}

/** One exchange: store the caller's line, run the agent (tools included), store and speak its answer. */
export async function sayInTestCall(deps: TTestCallDeps, scope: TScope, input: { callId: string; text: string }): Promise<TTestAnswer> {
  const text = input.text.replace(/\s+/g, " ").trim();
  if (!text) throw new AppError("BAD_REQUEST", "empty caller line", { userMessage: "יש לכתוב מה המתקשר אומר" });
  if (text.length > MAX_TEXT) throw new AppError("BAD_REQUEST", "caller line too long", { userMessage: `משפט ארוך מדי (עד ${MAX_TEXT} תווים)` });
  const call = await loadTestCall(deps.db, scope, input.callId);
  if (call.status !== "in_progress") throw new AppError("CONFLICT", "test call already ended", { userMessage: "השיחה הסתיימה. התחילו שיחת ניסיון חדשה" });
  const business = await loadBusiness(deps.db, scope.businessId);
  const log = deps.log.child({ callSid: call.callSid, callId: call.id });

  const prior = await deps.db
    .select({ speaker: conversationTurns.speaker, text: conversationTurns.text })
    .from(conversationTurns)
    .where(eq(conversationTurns.callId, call.id))
    .orderBy(asc(conversationTurns.seq));
  const history: THistoryItem[] = prior.map((t) => ({ role: t.speaker === "caller" ? "user" : t.speaker === "tool" ? "tool" : "assistant", text: t.text }));

  const callerTurn = await insertTurn(deps.db, scope.businessId, call.id, { speaker: "caller", text, toolName: null, metrics: null });
  deps.events.publish({ type: "call.turn", businessId: scope.businessId, callId: call.id, seq: callerTurn.seq, speaker: "caller", text });

  const state = deps.runtime.states.get(call.id) ?? {};
  const ctx: TConversationContext = {
    businessId: scope.businessId,
    channel: "test_call",
    callId: call.id,
    customerId: call.customerId,
    callerPhone: call.fromNumber,
    history,
    systemPrompt: business.settings.systemPrompt,
    businessName: business.name,
    state,
  };

  const t0 = performance.now();
  let reply = "";
  let firstTokenMs: number | undefined;
  let action: TTestAnswer["action"] = null;
  const turns: TTestTurn[] = [callerTurn];
  const run = async (agent: TAgent) => {
    for await (const ev of agent.reply({ text, ctx })) {
      if (ev.type === "text") {
        firstTokenMs ??= performance.now() - t0;
        reply += ev.delta;
      } else if (ev.type === "metrics") firstTokenMs = ev.firstTokenMs;
      else if (ev.type === "action") action = ev.action;
      else if (ev.type === "tool") {
        const t = await insertTurn(deps.db, scope.businessId, call.id, { speaker: "tool", text: JSON.stringify(ev.result ?? null).slice(0, 2000), toolName: ev.name, metrics: null }, { args: ev.args, result: ev.result });
        turns.push(t);
      }
    }
  };
  try {
    await run(deps.runtime.agent);
  } catch (err) {
    // Same policy as a phone call: if nothing was said yet, the local brain answers instead.
    if (!deps.runtime.fallbackAgent || reply) {
      log.error({ err }, "test call agent failed");
      throw new AppError("UNAVAILABLE", "agent failed", { userMessage: "קשר לא הצליח לענות כרגע, נסו שוב", cause: err });
    }
    log.warn({ err, agent: deps.runtime.agent.name }, "test call agent failed; falling back to the local agent");
    await run(deps.runtime.fallbackAgent);
  }
  rememberState(deps.runtime, call.id, ctx.state);
  const llmMs = performance.now() - t0;

  reply = reply.replace(/\s+/g, " ").trim();
  let audio: TSpokenAudio | null = null;
  if (reply) {
    audio = await synthesizeAnswer(deps.runtime.tts, reply, { voice: business.settings.voice });
    const metrics: TTurnMetrics = {
      llmFirstTokenMs: Math.round(firstTokenMs ?? llmMs),
      ttsFirstByteMs: audio.firstByteMs,
      totalMs: Math.round(llmMs + audio.firstByteMs),
    };
    const t = await insertTurn(deps.db, scope.businessId, call.id, { speaker: "assistant", text: reply, toolName: null, metrics });
    turns.push(t);
    deps.events.publish({ type: "call.turn", businessId: scope.businessId, callId: call.id, seq: t.seq, speaker: "assistant", text: reply });
  }
  // The agent's lead tool may have found or created the customer: link the call like a real one.
  if (ctx.customerId && ctx.customerId !== call.customerId) {
    await deps.db.update(callLogs).set({ customerId: ctx.customerId }).where(eq(callLogs.id, call.id));
    // A lead the test call created is a test lead: kept out of lists, pickers and analytics.
    await markTestLead(deps.db, scope.businessId, ctx.customerId, call.startedAt);
  }
  log.info({ turns: turns.length, llmMs: Math.round(llmMs), tool: turns.some((t) => t.speaker === "tool") }, "test call turn");
  if (action) await endTestCall(deps, scope, { callId: call.id });
  return { callId: call.id, turns, audio, action };
}

/** Hang up: status completed, duration, latency summary in metrics, `call.ended`. Idempotent. */
export async function endTestCall(deps: TTestCallDeps, scope: TScope, input: { callId: string }): Promise<{ callId: string; durationSec: number }> {
  const call = await loadTestCall(deps.db, scope, input.callId);
  if (call.status !== "in_progress") return { callId: call.id, durationSec: call.durationSec ?? 0 };
  const endedAt = new Date();
  const durationSec = Math.max(0, Math.round((endedAt.getTime() - call.startedAt.getTime()) / 1000));
  const rows = await deps.db.select({ metrics: conversationTurns.metrics, speaker: conversationTurns.speaker }).from(conversationTurns).where(eq(conversationTurns.callId, call.id));
  const totals = rows
    .filter((r) => r.speaker === "assistant" && typeof r.metrics?.totalMs === "number")
    .map((r) => r.metrics!.totalMs!)
    .sort((a, b) => a - b);
  const avg = totals.length ? Math.round(totals.reduce((a, b) => a + b, 0) / totals.length) : undefined;
  const p95 = totals.length ? totals[Math.min(totals.length - 1, Math.ceil(totals.length * 0.95) - 1)] : undefined;
  await deps.db
    .update(callLogs)
    .set({ status: "completed", endedAt, durationSec, metrics: { ...call.metrics, turns: rows.filter((r) => r.speaker === "caller").length, avgTurnMs: avg, p95TurnMs: p95 } })
    .where(eq(callLogs.id, call.id));
  deps.runtime.states.delete(call.id);
  deps.events.publish({ type: "call.ended", businessId: scope.businessId, callId: call.id, durationSec });
  deps.log.info({ callId: call.id, durationSec }, "test call ended");
  return { callId: call.id, durationSec };
}
