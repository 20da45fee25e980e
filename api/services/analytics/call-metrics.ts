/**
 * Latency of calls for the dashboard: per-stage averages and p95 over the
 * assistant turns (end of speech → STT → LLM first token → TTS first byte →
 * first frame out), greeting time to first frame, per engine, and the latest
 * calls with their own numbers. Business-scoped like every CRM service.
 */
import { and, desc, eq, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { TDb } from "../../../db/client";
import { callLogs, conversationTurns } from "../../../db/schema";
import type { TScope } from "../../../core/domain/scope";

export const ZCallMetricsInput = z.object({
  from: z.iso.datetime({ offset: true, message: "תאריך לא תקין" }).optional(),
  to: z.iso.datetime({ offset: true, message: "תאריך לא תקין" }).optional(),
  limit: z.number().int().min(1).max(200).optional(),
});
export type TCallMetricsInput = z.infer<typeof ZCallMetricsInput>;

const ZStat = z.object({ count: z.number(), avg: z.number().nullable(), p95: z.number().nullable() });
const STAGES = ["endpointMs", "sttMs", "llmFirstTokenMs", "ttsFirstByteMs", "firstFrameMs", "totalMs"] as const;

export const ZCallMetrics = z.object({
  stages: z.object(Object.fromEntries(STAGES.map((s) => [s, ZStat])) as Record<(typeof STAGES)[number], typeof ZStat>),
  greetingFirstFrameMs: ZStat,
  fallbackTurns: z.number(),
  byEngine: z.array(z.object({ engine: z.string(), calls: z.number(), avgTurnMs: z.number().nullable(), bargeIns: z.number() })),
  calls: z.array(
    z.object({
      id: z.string(),
      startedAt: z.string(),
      engine: z.string().nullable(),
      turns: z.number().nullable(),
      avgTurnMs: z.number().nullable(),
      p95TurnMs: z.number().nullable(),
      greetingFirstFrameMs: z.number().nullable(),
      bargeIns: z.number().nullable(),
      framesLost: z.number().nullable(),
    }),
  ),
});
export type TCallMetricsReport = z.infer<typeof ZCallMetrics>;

const num = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);
const stat = (expr: SQL) => ({
  count: sql<number>`count(${expr})::int`,
  avg: sql<number | null>`avg(${expr})::float8`,
  p95: sql<number | null>`percentile_cont(0.95) within group (order by ${expr})`,
});

export async function callMetrics(db: TDb, scope: TScope, raw: TCallMetricsInput = {}): Promise<TCallMetricsReport> {
  const input = ZCallMetricsInput.parse(raw);
  const to = input.to ? new Date(input.to) : new Date();
  const from = input.from ? new Date(input.from) : new Date(to.getTime() - 30 * 86_400_000);
  const b = scope.businessId;
  const turnWhere = and(eq(conversationTurns.businessId, b), sql`${conversationTurns.startedAt} >= ${from.toISOString()}::timestamptz`, sql`${conversationTurns.startedAt} < ${to.toISOString()}::timestamptz`, sql`${conversationTurns.metrics} is not null`);
  const callWhere = and(eq(callLogs.businessId, b), sql`${callLogs.startedAt} >= ${from.toISOString()}::timestamptz`, sql`${callLogs.startedAt} < ${to.toISOString()}::timestamptz`);
  const m = (k: string) => sql`(${conversationTurns.metrics}->>${sql.raw(`'${k}'`)})::float8`;
  const cm = (k: string) => sql`(${callLogs.metrics}->>${sql.raw(`'${k}'`)})::float8`;

  const stageSelect = Object.fromEntries(STAGES.flatMap((s) => Object.entries(stat(m(s))).map(([k, v]) => [`${s}_${k}`, v]))) as Record<string, SQL>;
  const [stages, greeting, fallbacks, engines, recent] = await Promise.all([
    db.select(stageSelect).from(conversationTurns).where(turnWhere),
    db.select(stat(cm("greetingFirstFrameMs"))).from(callLogs).where(callWhere),
    db.select({ n: sql<number>`count(*)::int` }).from(conversationTurns).where(and(turnWhere, sql`${conversationTurns.metrics}->>'fallback' is not null`)),
    db
      .select({
        engine: sql<string>`coalesce(${callLogs.engine}, 'pipeline')`,
        calls: sql<number>`count(*)::int`,
        avgTurnMs: sql<number | null>`avg(${cm("avgTurnMs")})::float8`,
        bargeIns: sql<number>`coalesce(sum(${cm("bargeIns")}), 0)::int`,
      })
      .from(callLogs)
      .where(and(callWhere, sql`${callLogs.metrics} <> '{}'::jsonb`))
      .groupBy(sql`1`),
    db
      .select({ id: callLogs.id, startedAt: callLogs.startedAt, engine: callLogs.engine, metrics: callLogs.metrics })
      .from(callLogs)
      .where(and(callWhere, sql`${callLogs.metrics} <> '{}'::jsonb`))
      .orderBy(desc(callLogs.startedAt), desc(callLogs.id))
      .limit(input.limit ?? 20),
  ]);
  const row = (stages[0] ?? {}) as Record<string, unknown>;
  return {
    stages: Object.fromEntries(STAGES.map((s) => [s, { count: Number(row[`${s}_count`] ?? 0), avg: num(row[`${s}_avg`]), p95: num(row[`${s}_p95`]) }])) as TCallMetricsReport["stages"],
    greetingFirstFrameMs: { count: Number(greeting[0]?.count ?? 0), avg: num(greeting[0]?.avg), p95: num(greeting[0]?.p95) },
    fallbackTurns: Number(fallbacks[0]?.n ?? 0),
    byEngine: engines.map((e) => ({ engine: e.engine, calls: Number(e.calls), avgTurnMs: num(e.avgTurnMs), bargeIns: Number(e.bargeIns) })),
    calls: recent.map((c) => ({
      id: c.id,
      startedAt: c.startedAt.toISOString(),
      engine: c.engine,
      turns: c.metrics.turns ?? null,
      avgTurnMs: c.metrics.avgTurnMs ?? null,
      p95TurnMs: c.metrics.p95TurnMs ?? null,
      greetingFirstFrameMs: c.metrics.greetingFirstFrameMs ?? null,
      bargeIns: c.metrics.bargeIns ?? null,
      framesLost: c.metrics.framesLost ?? null,
    })),
  };
}
