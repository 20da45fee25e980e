import { and, eq, gte, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { callLogs, customers } from "../../../db/schema";
import { decodeCursor, cursorValue, encodeCursor } from "../cursor";
import { newestIds } from "../search/newest-matches";
import { planQuery, type TQueryPlan } from "../search/plan-query";
import { matchesAny } from "../search/search-sources";
import type { TScope } from "../../../core/domain/scope";
import { toCallDto, type TCallDto } from "./call-dto";

export const CALL_STATUSES = ["queued", "ringing", "in_progress", "completed", "busy", "failed", "no_answer", "canceled"] as const;

export interface TCallFilters {
  status?: (typeof CALL_STATUSES)[number];
  search?: string;
  from?: string;
  to?: string;
  customerId?: string;
}

/** call_logs read newest first (the `(business_id, started_at, id)` index), for `newestIds`. */
export const CALLS_BY_RECENCY = { table: callLogs, id: callLogs.id, at: callLogs.startedAt };

/**
 * Newest calls read per wanted hit before a search is counted: a caller name on 1 call in 20 ("כהן") is then
 * found among the newest 51 × 40 calls instead of missing now and then at 25 and paying the count and the
 * ordered walk after the window (calls.list "כהן" at 100k calls: p50 16 → 9 ms).
 */
export const CALL_WINDOW_PER_HIT = 40;

/**
 * A call matches a planned search by its summary, its caller's name (kept on
 * the call, migration 0017) or its caller's number.
 */
export function callSearchMatch(plan: TQueryPlan): SQL {
  const parts = [matchesAny(callLogs.summaryNorm, plan.variants), matchesAny(callLogs.callerNameNorm, plan.variants)];
  if (plan.digits) parts.push(sql`${callLogs.fromDigits} like ${"%" + plan.digits + "%"}`);
  return or(...parts)!;
}

/** Calls with their caller's name (same business only). */
function joined(db: TDb) {
  return db
    .select({ call: callLogs, customerName: customers.fullName, sortKey: sql<string>`${callLogs.startedAt}::text` })
    .from(callLogs)
    .leftJoin(customers, and(eq(customers.id, callLogs.customerId), eq(customers.businessId, callLogs.businessId)));
}

/** Calls of the business, newest first, keyset-paginated on (started_at, id). */
export async function listCalls(
  db: TDb,
  scope: TScope,
  input: TCallFilters & { cursor?: string; limit?: number },
): Promise<{ items: TCallDto[]; nextCursor: string | null }> {
  const limit = input.limit ?? 50;
  const where: SQL[] = [eq(callLogs.businessId, scope.businessId)];
  if (input.status) where.push(eq(callLogs.status, input.status));
  if (input.customerId) where.push(eq(callLogs.customerId, input.customerId));
  if (input.from) where.push(gte(callLogs.startedAt, new Date(input.from)));
  if (input.to) where.push(lt(callLogs.startedAt, new Date(input.to)));
  const q = input.search?.trim();
  const cursor = decodeCursor(input.cursor);
  if (cursor) {
    where.push(sql`(${callLogs.startedAt}, ${callLogs.id}) < (${cursorValue(cursor.v, "timestamptz")}::timestamptz, ${cursor.id}::uuid)`);
  }
  if (q) {
    // Typos are corrected through the search lexicon (plan-query.ts), like customers.list and search.global; the
    // summary, the caller's name and number are indexed columns of call_logs, so the newest matching ids come from
    // one table (newestIds picks the plan by how common the words are) and the page is fetched by id.
    const plan = await planQuery(db, scope.businessId, q);
    if (!plan.variants.length) return { items: [], nextCursor: null };
    const ids = await newestIds<string>(db, CALLS_BY_RECENCY, and(...where)!, callSearchMatch(plan), limit + 1, CALL_WINDOW_PER_HIT);
    if (!ids.length) return { items: [], nextCursor: null };
    where.splice(0, where.length, eq(callLogs.businessId, scope.businessId), inArray(callLogs.id, ids));
  }
  const rows = await joined(db)
    .where(and(...where))
    .orderBy(sql`${callLogs.startedAt} desc`, sql`${callLogs.id} desc`)
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => toCallDto(r.call, r.customerName)),
    nextCursor: rows.length > limit && last ? encodeCursor({ v: last.sortKey, id: last.call.id }) : null,
  };
}
