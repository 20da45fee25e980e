/**
 * Post-call analysis of one call: read its turns, analyse (GPT-4o with a JSON
 * schema when a client is given, else rules; GPT failures fall back to the
 * rules), store summary/sentiment/lead score on `call_logs` and the customer,
 * and add the next-best action as a `tasks` row for staff. Idempotent: a call
 * that already has a summary is not analysed again.
 */
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import type OpenAI from "openai";
import type { TDb } from "../../../db/client";
import { appointmentRequests, callLogs, conversationTurns, customers, tasks } from "../../../db/schema";
import type { TEventBus } from "../../../core/kernel/events";
import type { TLogger } from "../../../core/kernel/logger";
import { analyzeWithGpt } from "./analysis-gpt";
import { analyzeWithRules, type TCallAnalysis } from "./analysis-rules";

export interface TAnalyzeCallDeps {
  db: TDb;
  log: TLogger;
  events?: TEventBus;
  /** OpenAI client (with a key); absent → rules only. */
  openai?: OpenAI | null;
  model?: string;
}

export interface TAnalyzeCallResult extends TCallAnalysis {
  callId: string;
  taskId: string | null;
  /** True when the call had been analysed before (nothing written). */
  skipped: boolean;
}

/**
 * @param opts.force analyse again even if the call has a summary (a recorded message arrived
 *   after the stream ended: the new words must reach the summary and the staff task).
 */
export async function analyzeCall(deps: TAnalyzeCallDeps, callId: string, opts: { force?: boolean } = {}): Promise<TAnalyzeCallResult | null> {
  const { db } = deps;
  const log = deps.log.child({ callId, component: "analysis" });
  const [call] = await db.select().from(callLogs).where(eq(callLogs.id, callId)).limit(1);
  if (!call) return null;
  if (call.summary && !opts.force) {
    return {
      callId,
      taskId: null,
      skipped: true,
      summary: call.summary,
      sentiment: (call.sentiment as TCallAnalysis["sentiment"]) ?? "neutral",
      sentimentScore: call.sentimentScore ?? 0,
      leadScore: call.leadScore ?? 0,
      leadReasons: call.leadReasons ?? [],
      nextAction: { title: "", description: "", priority: "normal" },
      engine: "stored",
    };
  }
  const turns = await db
    .select({ speaker: conversationTurns.speaker, text: conversationTurns.text, toolName: conversationTurns.toolName, toolPayload: conversationTurns.toolPayload })
    .from(conversationTurns)
    .where(eq(conversationTurns.callId, callId))
    .orderBy(asc(conversationTurns.seq));
  const booked = await db
    .select({ id: appointmentRequests.id })
    .from(appointmentRequests)
    .where(and(eq(appointmentRequests.callId, callId), inArray(appointmentRequests.status, ["requested", "confirmed"])));
  const input = { turns: turns.filter((t) => t.speaker !== "staff") as Parameters<typeof analyzeWithRules>[0]["turns"], bookedViewings: booked.length, transferred: call.transferred };

  let analysis: TCallAnalysis;
  if (deps.openai && input.turns.some((t) => t.speaker === "caller")) {
    try {
      analysis = await analyzeWithGpt(deps.openai, input, { model: deps.model, signal: AbortSignal.timeout(30_000) });
    } catch (err) {
      log.warn({ err }, "GPT analysis failed; using the rules");
      analysis = analyzeWithRules(input);
    }
  } else analysis = analyzeWithRules(input);

  const taskId = await db.transaction(async (tx) => {
    const [updated] = await tx
      .update(callLogs)
      .set({ summary: analysis.summary, sentiment: analysis.sentiment, sentimentScore: analysis.sentimentScore, leadScore: analysis.leadScore, leadReasons: analysis.leadReasons })
      // `summary is null` makes a concurrent second analysis a no-op (one task per call).
      .where(and(eq(callLogs.id, callId), eq(callLogs.businessId, call.businessId), opts.force ? undefined : isNull(callLogs.summary)))
      .returning({ id: callLogs.id });
    if (!updated) return null;
    if (call.customerId) {
      await tx
        .update(customers)
        .set({ leadScore: analysis.leadScore, sentiment: analysis.sentiment, sentimentScore: analysis.sentimentScore })
        .where(and(eq(customers.id, call.customerId), eq(customers.businessId, call.businessId)));
    }
    const [task] = await tx
      .insert(tasks)
      .values({
        businessId: call.businessId,
        customerId: call.customerId,
        callId,
        title: analysis.nextAction.title,
        description: `${analysis.nextAction.description}\n\nסיכום השיחה: ${analysis.summary}`.trim(),
        priority: analysis.nextAction.priority,
        dueAt: new Date(Date.now() + (analysis.nextAction.priority === "high" ? 4 : 24) * 3_600_000),
      })
      .returning({ id: tasks.id });
    return task?.id ?? null;
  });
  log.info({ engine: analysis.engine, leadScore: analysis.leadScore, sentiment: analysis.sentiment }, "call analysed");
  deps.events?.publish({ type: "call.updated", businessId: call.businessId, callId, status: call.status });
  return { ...analysis, callId, taskId, skipped: false };
}
