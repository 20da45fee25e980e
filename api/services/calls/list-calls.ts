import { and, eq, gte, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { callLogs, customers } from "../../../db/schema";
import { decodeCursor, cursorValue, encodeCursor } from "../cursor";
import { normMatches, phoneDigits, pickMatchMode, withTrigramPlan, type TMatchMode } from "../search/hebrew-text";
import { newestMatchingCallIds } from "../search/newest-calls";
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

/**
 * "The caller's customer record matches": a subquery on the customers
 * search index instead of an OR across the join, which would force a scan.
 */
export function callerMatches(businessId: string, q: string, mode: TMatchMode): SQL {
  return sql`${callLogs.customerId} in (select ${customers.id} from ${customers} where ${customers.businessId} = ${businessId} and ${normMatches(sql`${customers.searchDoc}`, q, mode)})`;
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
  let mode: TMatchMode = "exact";
  if (q) {
    const digits = phoneDigits(q);
    const own = (mode: TMatchMode) => {
      const parts: SQL[] = [normMatches(sql`${callLogs.summaryNorm}`, q, mode)];
      if (digits) parts.push(sql`${callLogs.fromDigits} like ${"%" + digits + "%"}`);
      return or(...parts)!;
    };
    // Exact: the summary side and the caller side as two indexed queries (newest-calls.ts), then the page by id.
    const caller = normMatches(sql`${customers.searchDoc}`, q, "exact");
    const ids = await newestMatchingCallIds(db, { businessId: scope.businessId, where, own: own("exact"), caller, limit: limit + 1 });
    mode = await pickMatchMode(q, async () => ids.length > 0);
    if (mode === "exact") {
      if (!ids.length) return { items: [], nextCursor: null };
      where.splice(0, where.length, eq(callLogs.businessId, scope.businessId), inArray(callLogs.id, ids));
    } else {
      where.push(or(callerMatches(scope.businessId, q, mode), own(mode))!);
    }
  }
  const rows = await withTrigramPlan(db, mode, (d) =>
    joined(d)
      .where(and(...where))
      .orderBy(sql`${callLogs.startedAt} desc`, sql`${callLogs.id} desc`)
      .limit(limit + 1),
  );
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => toCallDto(r.call, r.customerName)),
    nextCursor: rows.length > limit && last ? encodeCursor({ v: last.sortKey, id: last.call.id }) : null,
  };
}
