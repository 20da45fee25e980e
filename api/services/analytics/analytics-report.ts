/**
 * The analytics page: calls per day (AI-handled vs transferred), handling
 * time, per-turn latency percentiles, leads by source, the status funnel,
 * conversion to viewings and deals, WhatsApp response times and revenue,
 * for an inclusive date range in the business's time zone.
 */
import { and, eq, gte, inArray, isNotNull, lt, ne, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import { z } from "zod";
import type { TDb } from "../../../db/client";
import { appointmentRequests, businesses, callLogs, conversationTurns, customers, invoices, paymentLinks, whatsappMessages } from "../../../db/schema";
import { AppError } from "../../../core/kernel/errors";
import { israelToday } from "../invoices/invoice-rules";
import type { TScope } from "../../../core/domain/scope";
import { parseInput } from "../../lib/parse-input";

export const ZReportRange = z.object({
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  /** Count test calls and their leads ("שיחת ניסיון"), left out by default. */
  includeTest: z.boolean().optional(),
});
export type TReportRange = z.infer<typeof ZReportRange>;

const ZPercentiles = z.object({ count: z.number(), avg: z.number().nullable(), p50: z.number().nullable(), p90: z.number().nullable(), p95: z.number().nullable(), p99: z.number().nullable() });

export const ZAnalyticsReport = z.object({
  from: z.string(),
  to: z.string(),
  days: z.array(
    z.object({ day: z.string(), calls: z.number(), aiHandled: z.number(), transferred: z.number(), newLeads: z.number(), whatsappIn: z.number(), invoicedAgorot: z.number(), paidAgorot: z.number() }),
  ),
  calls: z.object({ total: z.number(), aiHandled: z.number(), transferred: z.number(), missed: z.number(), avgHandlingSec: z.number().nullable() }),
  turnLatencyMs: ZPercentiles,
  leadsBySource: z.array(z.object({ source: z.string(), count: z.number() })),
  funnel: z.array(z.object({ status: z.string(), count: z.number(), reached: z.number() })),
  conversion: z.object({ leads: z.number(), withViewing: z.number(), won: z.number(), viewingRate: z.number().nullable(), dealRate: z.number().nullable() }),
  whatsappResponseSec: ZPercentiles,
  revenue: z.object({ invoicedAgorot: z.number(), creditedAgorot: z.number(), netAgorot: z.number(), paidAgorot: z.number(), paidViaLinksAgorot: z.number() }),
  /** Calls by sentiment from post-call analysis ("unknown": not analysed). */
  callsBySentiment: z.array(z.object({ sentiment: z.string(), count: z.number() })),
});
export type TAnalyticsReport = z.infer<typeof ZAnalyticsReport>;

/** Funnel order; "lost" is shown but never counted as reaching a later stage. */
const FUNNEL = ["new", "contacted", "qualified", "viewing", "negotiation", "won"] as const;

const n = (v: unknown) => Number(v ?? 0);
const nn = (v: unknown) => (v === null || v === undefined ? null : Math.round(Number(v) * 10) / 10);
const rate = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 1000) / 10);

/** Resolve the range: default the last 30 days up to today (Israel). */
export function resolveRange(input: TReportRange): { from: string; to: string } {
  const to = input.to ?? israelToday();
  const from = input.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 29 * 86400_000).toISOString().slice(0, 10);
  if (from > to) throw new AppError("BAD_REQUEST", "from after to", { userMessage: "תאריך ההתחלה מאוחר מתאריך הסיום" });
  if (Date.parse(to) - Date.parse(from) > 366 * 86400_000) throw new AppError("BAD_REQUEST", "range too long", { userMessage: "טווח התאריכים ארוך משנה" });
  return { from, to };
}

function percentiles(expr: SQL) {
  return {
    count: sql<number>`count(${expr})::int`,
    avg: sql<number | null>`avg(${expr})::float8`,
    p50: sql<number | null>`percentile_cont(0.5) within group (order by ${expr})`,
    p90: sql<number | null>`percentile_cont(0.9) within group (order by ${expr})`,
    p95: sql<number | null>`percentile_cont(0.95) within group (order by ${expr})`,
    p99: sql<number | null>`percentile_cont(0.99) within group (order by ${expr})`,
  };
}
const pct = (r: Record<string, unknown> | undefined) => ({ count: n(r?.count), avg: nn(r?.avg), p50: nn(r?.p50), p90: nn(r?.p90), p95: nn(r?.p95), p99: nn(r?.p99) });

export async function analyticsReport(db: TDb, scope: TScope, input: TReportRange = {}): Promise<TAnalyticsReport> {
  const { from, to } = resolveRange(parseInput(ZReportRange, input));
  const b = scope.businessId;
  const realCalls = input.includeTest ? undefined : eq(callLogs.isTest, false);
  const realCustomers = input.includeTest ? undefined : eq(customers.isTest, false);
  const [biz] = await db.select({ tz: businesses.timezone }).from(businesses).where(eq(businesses.id, b));
  const tz = biz?.tz ?? "Asia/Jerusalem";
  const start = sql`((${from}::date)::timestamp at time zone ${tz})`;
  const end = sql`(((${to}::date) + 1)::timestamp at time zone ${tz})`;
  const within = (col: AnyPgColumn) => and(sql`${col} >= ${start}`, sql`${col} < ${end}`);
  const dayOf = (col: AnyPgColumn) => sql<string>`to_char(${col} at time zone ${tz}, 'YYYY-MM-DD')`;
  const aiHandled = sql<number>`count(*) filter (where not ${callLogs.transferred} and ${callLogs.answeredAt} is not null)::int`;
  const transferred = sql<number>`count(*) filter (where ${callLogs.transferred})::int`;
  const billable = inArray(invoices.type, ["tax_invoice", "tax_invoice_receipt"]);

  const [callDays, callTotals, latency, leadDays, bySource, byStatus, viewed, waDays, waResp, invDays, revenue, viaLinks] = await Promise.all([
    db
      .select({ day: dayOf(callLogs.startedAt), calls: sql<number>`count(*)::int`, aiHandled, transferred })
      .from(callLogs)
      .where(and(eq(callLogs.businessId, b), realCalls, within(callLogs.startedAt)))
      .groupBy(sql`1`),
    db
      .select({
        total: sql<number>`count(*)::int`,
        aiHandled,
        transferred,
        missed: sql<number>`count(*) filter (where ${callLogs.answeredAt} is null)::int`,
        avgHandlingSec: sql<number | null>`avg(${callLogs.durationSec}) filter (where ${callLogs.answeredAt} is not null)::float8`,
      })
      .from(callLogs)
      .where(and(eq(callLogs.businessId, b), realCalls, within(callLogs.startedAt))),
    db
      .select(percentiles(sql`(${conversationTurns.metrics}->>'totalMs')::float8`))
      .from(conversationTurns)
      .where(and(eq(conversationTurns.businessId, b), within(conversationTurns.startedAt), sql`${conversationTurns.metrics}->>'totalMs' is not null`)),
    db
      .select({ day: dayOf(customers.createdAt), count: sql<number>`count(*)::int` })
      .from(customers)
      .where(and(eq(customers.businessId, b), realCustomers, within(customers.createdAt)))
      .groupBy(sql`1`),
    db
      .select({ source: customers.source, count: sql<number>`count(*)::int` })
      .from(customers)
      .where(and(eq(customers.businessId, b), realCustomers, within(customers.createdAt)))
      .groupBy(customers.source),
    db
      .select({ status: customers.status, count: sql<number>`count(*)::int` })
      .from(customers)
      .where(and(eq(customers.businessId, b), realCustomers, within(customers.createdAt)))
      .groupBy(customers.status),
    db
      .select({ count: sql<number>`count(distinct ${customers.id})::int` })
      .from(customers)
      .innerJoin(appointmentRequests, and(eq(appointmentRequests.customerId, customers.id), ne(appointmentRequests.status, "cancelled")))
      .where(and(eq(customers.businessId, b), realCustomers, within(customers.createdAt))),
    db
      .select({ day: dayOf(whatsappMessages.sentAt), count: sql<number>`count(*)::int` })
      .from(whatsappMessages)
      .where(and(eq(whatsappMessages.businessId, b), eq(whatsappMessages.direction, "in"), within(whatsappMessages.sentAt)))
      .groupBy(sql`1`),
    // First reply to each customer turn: an inbound message whose previous message in the thread was not inbound.
    db.execute(sql`
      with thread as (
        select id, customer_id, direction, sent_at,
               lag(direction) over (partition by customer_id order by sent_at, id) as prev_dir
        from whatsapp_messages
        where business_id = ${b} and customer_id is not null
      ), turns as (
        select t.sent_at,
               (select min(o.sent_at) from whatsapp_messages o
                 where o.business_id = ${b} and o.customer_id = t.customer_id and o.direction = 'out' and o.sent_at >= t.sent_at) as replied_at
        from thread t
        where t.direction = 'in' and (t.prev_dir is null or t.prev_dir <> 'in') and t.sent_at >= ${start} and t.sent_at < ${end}
      ), d as (select extract(epoch from (replied_at - sent_at))::float8 as sec from turns where replied_at is not null)
      select count(sec)::int as count, avg(sec)::float8 as avg,
             percentile_cont(0.5) within group (order by sec) as p50, percentile_cont(0.9) within group (order by sec) as p90,
             percentile_cont(0.95) within group (order by sec) as p95, percentile_cont(0.99) within group (order by sec) as p99
      from d`),
    db
      .select({
        day: sql<string>`to_char(${invoices.issueDate}, 'YYYY-MM-DD')`,
        invoiced: sql<number>`coalesce(sum(${invoices.subtotalAgorot}) filter (where ${billable}), 0)::float8`,
        credited: sql<number>`coalesce(sum(${invoices.subtotalAgorot}) filter (where ${invoices.type} = 'credit_note'), 0)::float8`,
        paid: sql<number>`coalesce(sum(${invoices.totalAgorot}) filter (where ${billable} and ${invoices.status} = 'paid'), 0)::float8`,
      })
      .from(invoices)
      .where(and(eq(invoices.businessId, b), gte(invoices.issueDate, from), sql`${invoices.issueDate} <= ${to}::date`))
      .groupBy(sql`1`),
    db
      .select({
        invoiced: sql<number>`coalesce(sum(${invoices.subtotalAgorot}) filter (where ${billable}), 0)::float8`,
        credited: sql<number>`coalesce(sum(${invoices.subtotalAgorot}) filter (where ${invoices.type} = 'credit_note'), 0)::float8`,
        paid: sql<number>`coalesce(sum(${invoices.totalAgorot}) filter (where ${billable} and ${invoices.status} = 'paid'), 0)::float8`,
      })
      .from(invoices)
      .where(and(eq(invoices.businessId, b), gte(invoices.issueDate, from), sql`${invoices.issueDate} <= ${to}::date`)),
    db
      .select({ sum: sql<number>`coalesce(sum(${paymentLinks.amountAgorot}), 0)::float8` })
      .from(paymentLinks)
      .where(and(eq(paymentLinks.businessId, b), eq(paymentLinks.status, "paid"), isNotNull(paymentLinks.paidAt), within(paymentLinks.paidAt))),
  ]);

  // Every day of the range, zeros included, so charts have no holes.
  const days: TAnalyticsReport["days"] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    const c = callDays.find((r) => r.day === day);
    const inv = invDays.find((r) => r.day === day);
    days.push({
      day,
      calls: n(c?.calls),
      aiHandled: n(c?.aiHandled),
      transferred: n(c?.transferred),
      newLeads: n(leadDays.find((r) => r.day === day)?.count),
      whatsappIn: n(waDays.find((r) => r.day === day)?.count),
      invoicedAgorot: n(inv?.invoiced) - n(inv?.credited),
      paidAgorot: n(inv?.paid),
    });
  }
  const statusCount = (s: string) => n(byStatus.find((r) => r.status === s)?.count);
  const leads = byStatus.reduce((a, r) => a + n(r.count), 0);
  const funnel = [...FUNNEL, "lost" as const].map((status) => {
    const idx = FUNNEL.indexOf(status as (typeof FUNNEL)[number]);
    const reached = status === "lost" ? statusCount("lost") : FUNNEL.slice(idx).reduce((a, s) => a + statusCount(s), 0) + (idx === 0 ? statusCount("lost") : 0);
    return { status, count: statusCount(status), reached };
  });
  const won = statusCount("won");
  const withViewing = n(viewed[0]?.count);
  const bySentiment = await db
    .select({ sentiment: sql<string>`coalesce(${callLogs.sentiment}, 'unknown')`, count: sql<number>`count(*)::int` })
    .from(callLogs)
    .where(and(eq(callLogs.businessId, b), realCalls, within(callLogs.startedAt)))
    .groupBy(sql`1`);
  const wa = (Array.isArray(waResp) ? waResp : ((waResp as { rows?: unknown[] }).rows ?? []))[0] as Record<string, unknown> | undefined;
  const ct = callTotals[0];
  const rv = revenue[0];
  return {
    from,
    to,
    days,
    calls: { total: n(ct?.total), aiHandled: n(ct?.aiHandled), transferred: n(ct?.transferred), missed: n(ct?.missed), avgHandlingSec: nn(ct?.avgHandlingSec) },
    turnLatencyMs: pct(latency[0] as Record<string, unknown> | undefined),
    leadsBySource: bySource.map((r) => ({ source: r.source, count: n(r.count) })).sort((a, c) => c.count - a.count),
    funnel,
    conversion: { leads, withViewing, won, viewingRate: rate(withViewing, leads), dealRate: rate(won, leads) },
    whatsappResponseSec: pct(wa),
    revenue: {
      invoicedAgorot: n(rv?.invoiced),
      creditedAgorot: n(rv?.credited),
      netAgorot: n(rv?.invoiced) - n(rv?.credited),
      paidAgorot: n(rv?.paid),
      paidViaLinksAgorot: n(viaLinks[0]?.sum),
    },
    callsBySentiment: bySentiment.map((r) => ({ sentiment: r.sentiment, count: n(r.count) })).sort((a, c) => c.count - a.count),
  };
}
