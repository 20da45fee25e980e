/**
 * Dashboard numbers for one business. "Today" is the business's local day
 * (Asia/Jerusalem by default), not UTC.
 */
import { and, count, eq, gte, inArray, lt, sql } from "drizzle-orm";
import { z } from "zod";
import type { TDb } from "../../../db/client";
import { appointmentRequests, businesses, callLogs, conversationTurns, customers, tasks } from "../../../db/schema";
import type { TScope } from "../../../core/domain/scope";

export const ZOverview = z.object({
  from: z.string(),
  to: z.string(),
  callsToday: z.number(),
  callsInRange: z.number(),
  answeredInRange: z.number(),
  avgCallDurationSec: z.number().nullable(),
  newLeads: z.number(),
  upcomingViewings: z.number(),
  openTasks: z.number(),
  overdueTasks: z.number(),
  avgTurnLatencyMs: z.number().nullable(),
  p95TurnLatencyMs: z.number().nullable(),
  customersByStatus: z.record(z.string(), z.number()),
  callsByDay: z.array(z.object({ day: z.string(), calls: z.number() })),
});
export type TOverview = z.infer<typeof ZOverview>;

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Math.round(Number(v)));

export async function analyticsOverview(db: TDb, scope: TScope, input: { from?: string; to?: string; includeTest?: boolean }): Promise<TOverview> {
  const b = scope.businessId;
  // Test calls and their leads ("שיחת ניסיון") stay out of the numbers unless asked for.
  const realCalls = input.includeTest ? undefined : eq(callLogs.isTest, false);
  const realCustomers = input.includeTest ? undefined : eq(customers.isTest, false);
  const to = input.to ? new Date(input.to) : new Date();
  const from = input.from ? new Date(input.from) : new Date(to.getTime() - 30 * 24 * 3600_000);
  const [biz] = await db.select({ tz: businesses.timezone }).from(businesses).where(eq(businesses.id, b)).limit(1);
  const tz = biz?.tz ?? "Asia/Jerusalem";
  const startOfToday = sql`(date_trunc('day', now() at time zone ${tz}) at time zone ${tz})`;
  const inRange = (col: typeof callLogs.startedAt | typeof conversationTurns.startedAt) => and(gte(col, from), lt(col, to));
  const now = new Date();

  const [today, range, leads, viewings, openT, overdueT, latency, byStatus, byDay] = await Promise.all([
    db.select({ n: count() }).from(callLogs).where(and(eq(callLogs.businessId, b), realCalls, sql`${callLogs.startedAt} >= ${startOfToday}`)),
    db
      .select({
        n: count(),
        answered: sql<number>`count(*) filter (where ${callLogs.answeredAt} is not null)`,
        avgDur: sql<number | null>`avg(${callLogs.durationSec})`,
      })
      .from(callLogs)
      .where(and(eq(callLogs.businessId, b), realCalls, inRange(callLogs.startedAt))),
    db.select({ n: count() }).from(customers).where(and(eq(customers.businessId, b), realCustomers, gte(customers.createdAt, from), lt(customers.createdAt, to))),
    db
      .select({ n: count() })
      .from(appointmentRequests)
      .where(and(eq(appointmentRequests.businessId, b), gte(appointmentRequests.startsAt, now), inArray(appointmentRequests.status, ["requested", "confirmed"]))),
    db.select({ n: count() }).from(tasks).where(and(eq(tasks.businessId, b), eq(tasks.status, "open"))),
    db.select({ n: count() }).from(tasks).where(and(eq(tasks.businessId, b), eq(tasks.status, "open"), lt(tasks.dueAt, now))),
    db
      .select({
        avg: sql<number | null>`avg((${conversationTurns.metrics}->>'totalMs')::float)`,
        p95: sql<number | null>`percentile_cont(0.95) within group (order by (${conversationTurns.metrics}->>'totalMs')::float)`,
      })
      .from(conversationTurns)
      .where(
        and(
          eq(conversationTurns.businessId, b),
          inRange(conversationTurns.startedAt),
          sql`${conversationTurns.metrics}->>'totalMs' is not null`,
        ),
      ),
    db.select({ status: customers.status, n: count() }).from(customers).where(and(eq(customers.businessId, b), realCustomers)).groupBy(customers.status),
    db
      .select({ day: sql<string>`to_char(${callLogs.startedAt} at time zone ${tz}, 'YYYY-MM-DD')`, n: count() })
      .from(callLogs)
      .where(and(eq(callLogs.businessId, b), realCalls, inRange(callLogs.startedAt)))
      .groupBy(sql`1`)
      .orderBy(sql`1`),
  ]);
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    callsToday: Number(today[0]?.n ?? 0),
    callsInRange: Number(range[0]?.n ?? 0),
    answeredInRange: Number(range[0]?.answered ?? 0),
    avgCallDurationSec: num(range[0]?.avgDur),
    newLeads: Number(leads[0]?.n ?? 0),
    upcomingViewings: Number(viewings[0]?.n ?? 0),
    openTasks: Number(openT[0]?.n ?? 0),
    overdueTasks: Number(overdueT[0]?.n ?? 0),
    avgTurnLatencyMs: num(latency[0]?.avg),
    p95TurnLatencyMs: num(latency[0]?.p95),
    customersByStatus: Object.fromEntries(byStatus.map((r) => [r.status, Number(r.n)])),
    callsByDay: byDay.map((r) => ({ day: r.day, calls: Number(r.n) })),
  };
}
