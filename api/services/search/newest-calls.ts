/**
 * The newest calls that match a search by their own columns (summary, the
 * caller's number) or by their caller's customer record (name, notes…).
 * Written as one `own OR customer_id IN (matching customers)`, PostgreSQL
 * hashes every matching customer before it reads the first call (10,000
 * customers for a common word: ~20 ms, twice — count and page). Here each
 * side is its own indexed query that returns only the newest ids, and one
 * primary-key fetch orders their union; the result is the same rows in the
 * same order.
 */
import { and, eq, inArray, sql, type SQL } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { callLogs, customers } from "../../../db/schema";
import { cappedCount, newestMatches, ordered, recentHits } from "./newest-matches";

/**
 * Up to this many matching customers, their calls are found through
 * `call_logs(customer_id)` and sorted; beyond it (≥ 2% of a 100k book) the
 * recency index is walked, checking each call's customer by primary key.
 */
export const CALLER_IDS_MAX = 2000;

/** Newest calls read per wanted hit before the caller side falls back to ids (a name on 1 call in 40 or more). */
export const CALLER_WINDOW_PER_HIT = 40;

export interface TCallMatch {
  businessId: string;
  /** Conditions every result satisfies (business, test calls, status, dates, keyset cursor). */
  where: SQL[];
  /** The call's own columns match (summary, caller digits). */
  own: SQL;
  /** The caller's customer row matches (a condition on `customers`), or null to skip. */
  caller: SQL | null;
  /** How many of the newest ids are needed. */
  limit: number;
}

const newestFirst = sql`${callLogs.startedAt} desc, ${callLogs.id} desc`;

/** Newest calls matching by their own columns: among the newest calls when common, else counted (trigram bitmap and a sort when few, the recency index when many). */
async function byOwn(db: TDb, m: TCallMatch): Promise<string[]> {
  const recent = await recentHits<string>(db, { table: callLogs, id: callLogs.id, at: callLogs.startedAt }, and(...m.where)!, m.own, m.limit);
  if (recent) return recent;
  const where = and(...m.where, m.own)!;
  const n = await cappedCount(db, callLogs, where);
  const rows = await newestMatches(db, n, (d) => d.select({ id: callLogs.id }).from(callLogs).where(where).orderBy(newestFirst).limit(m.limit));
  return rows.map((r) => r.id);
}

/** Newest calls whose caller's customer record matches. */
async function byCaller(db: TDb, m: TCallMatch): Promise<string[]> {
  if (!m.caller) return [];
  // A scalar subquery, not EXISTS: the planner cannot turn it into a join, so each call walked costs one
  // primary-key probe. As EXISTS it may become a semi-join that, trusting a low trigram estimate
  // (כהן: 9 planned, 4,748 real), rescans every customer of the business (calls 'כהן': 10 → 600 ms).
  const isCaller = sql`coalesce((select ${m.caller} from ${customers} where ${customers.id} = ${callLogs.customerId} and ${customers.businessId} = ${m.businessId}), false)`;
  // A common caller name: its calls are among the newest (one probe per call read). The window is wider than
  // for a match on the row itself: a name on 1 call in 20 ("כהן") missed 51 hits in 1,275 calls now and then,
  // and the fallback (2,001 ids, then the walk) costs far more than the extra probes.
  const recent = await recentHits<string>(db, { table: callLogs, id: callLogs.id, at: callLogs.startedAt }, and(...m.where)!, isCaller, m.limit, CALLER_WINDOW_PER_HIT);
  if (recent) return recent;
  const matching = await db
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.businessId, m.businessId), m.caller))
    .limit(CALLER_IDS_MAX + 1);
  if (!matching.length) return [];
  if (matching.length <= CALLER_IDS_MAX) {
    // OFFSET 0 fences the subquery: its calls come from call_logs(customer_id), then sort. Without the
    // fence the planner may walk the recency index filtering by the id list, every call when few match.
    const ids = matching.map((r) => r.id);
    const inner = db
      .select({ id: callLogs.id, startedAt: callLogs.startedAt })
      .from(callLogs)
      .where(and(...m.where, inArray(callLogs.customerId, ids)))
      .offset(0)
      .as("by_caller");
    const rows = await db.select({ id: inner.id }).from(inner).orderBy(sql`${inner.startedAt} desc, ${inner.id} desc`).limit(m.limit);
    return rows.map((r) => r.id);
  }
  return db.transaction(async (tx) => {
    await ordered(tx as unknown as TDb);
    const rows = await tx.select({ id: callLogs.id }).from(callLogs).where(and(...m.where, isCaller)).orderBy(newestFirst).limit(m.limit);
    return rows.map((r) => r.id);
  });
}

/**
 * Ids of the newest `limit` calls satisfying `where` and (`own` or `caller`),
 * unordered; fetch them with `order by started_at desc, id desc limit …`.
 */
export async function newestMatchingCallIds(db: TDb, m: TCallMatch): Promise<string[]> {
  const [own, caller] = await Promise.all([byOwn(db, m), byCaller(db, m)]);
  return [...new Set([...own, ...caller])];
}
