/**
 * The newest rows that match a search, fast whether the words are rare or
 * everywhere. The planner cannot tell "רונית פרץ" (a few rows) from "מעלית"
 * (every seventh transcript line) from statistics, and each needs the other
 * plan: rare words → the trigram index finds every match and the few are
 * sorted; common words → walk the recency index backwards and stop at the
 * limit. A capped count through the index decides which (it stops after
 * CAP rows either way).
 */
import { desc, sql, type SQL } from "drizzle-orm";
import type { AnyPgColumn, PgTable } from "drizzle-orm/pg-core";
import type { TDb } from "../../../db/client";

/** More matches than this: the term is common, walk the recency index. */
export const COMMON_MATCHES = 400;

/** Count matches of `where` in `table`, stopping at COMMON_MATCHES. */
export async function cappedCount(db: TDb, table: PgTable, where: SQL): Promise<number> {
  const inner = db.select({ one: sql`1` }).from(table).where(where).limit(COMMON_MATCHES).as("capped");
  const [row] = await db.select({ n: sql<number>`count(*)::int` }).from(inner);
  return Number(row?.n ?? 0);
}

/**
 * Inside a transaction: bitmap and sequential scans and sorts off until it
 * ends, in one round trip (`set_config(…, true)` is `SET LOCAL`).
 * Trigram selectivity of a short word is badly underestimated (כהן: 9 rows
 * planned, 4,748 real), so the planner would rather filter another index and
 * sort; without a sort the ordered index must drive (customers.list "כהן" at
 * 100k: 218 ms → 2.4 ms). A query no index can order still gets its sort.
 * No parallel workers: a walk that stops after a few hundred rows would
 * wait for their start-up (calls search 'כהן' at 100k: 10 → 190 ms).
 */
export async function ordered(tx: TDb): Promise<void> {
  await tx.execute(
    sql`select set_config('enable_bitmapscan', 'off', true), set_config('enable_seqscan', 'off', true), set_config('enable_sort', 'off', true),
        set_config('max_parallel_workers_per_gather', '0', true)`,
  );
}

/**
 * Run `fetch` (a query ordered by a recency index, with a small limit) with
 * the plan that suits how many rows match: none → skip; few → the trigram
 * bitmap and a sort (plain index scans off); many → bitmap and sequential scans and sorts off,
 * so the ordered index drives and stops at the limit. `fetch` reads one
 * table (a join would lose its index probes with index scans off): select
 * ids and fetch the rows by id, as `newestIds` does.
 */
export async function newestMatches<T>(db: TDb, count: number, fetch: (db: TDb) => Promise<T[]>): Promise<T[]> {
  if (count === 0) return [];
  if (count < COMMON_MATCHES) {
    // Few: every match from the trigram bitmap, then sort. Left to itself the planner, trusting a high
    // estimate (960 planned, 232 real), walked the recency index through 19,000 rows instead (18 ms).
    return db.transaction(async (tx) => {
      await tx.execute(sql`select set_config('enable_indexscan', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)`);
      return fetch(tx as unknown as TDb);
    });
  }
  return alongRecency(db, fetch);
}

/** Run `fetch` with the recency index driving (`ordered`): for a word too common to read every match. */
export function alongRecency<T>(db: TDb, fetch: (db: TDb) => Promise<T[]>): Promise<T[]> {
  return db.transaction(async (tx) => {
    await ordered(tx as unknown as TDb);
    return fetch(tx as unknown as TDb);
  });
}

/** How many of the newest rows `recentHits` examines per wanted hit (a word on 1 row in 25 or more is found there). */
export const RECENT_WINDOW_PER_HIT = 25;

/**
 * The ids of the newest `limit` rows of `table` that satisfy `base` and
 * `match`, when they are all among the newest `limit × 25` rows satisfying
 * `base`: the recency index is read in order and the match tested per row,
 * so a common word is answered after a few dozen rows, with no count and no
 * plan settings. Null when the window holds fewer hits (a rarer word): use
 * the counted plan then. Same rows, same order, as the full query.
 */
export async function recentHits<T extends string | number>(
  db: TDb,
  t: { table: PgTable; id: AnyPgColumn; at: AnyPgColumn },
  base: SQL,
  match: SQL,
  limit: number,
  perHit = RECENT_WINDOW_PER_HIT,
): Promise<T[] | null> {
  const recent = db
    .select({ id: sql<T>`${t.id}`.as("id"), at: sql`${t.at}`.as("at"), hit: sql<boolean>`coalesce(${match}, false)`.as("hit") })
    .from(t.table)
    .where(base)
    .orderBy(desc(t.at), desc(t.id))
    .limit(limit * perHit)
    .as("recent");
  const rows = await db.select({ id: recent.id }).from(recent).where(sql`${recent.hit}`).orderBy(sql`${recent.at} desc, ${recent.id} desc`).limit(limit);
  return rows.length === limit ? rows.map((r) => r.id) : null;
}

/**
 * Ids of the newest `limit` rows satisfying `base` and `match`, in order
 * (newest first): `recentHits` when the word is common; else one statement
 * reads at most COMMON_MATCHES matches (the trigram index, no order) and
 * returns the newest of them with how many it read, which is every match
 * when fewer than the cap; at the cap the word is common after all and the
 * recency index is walked (`alongRecency`). Before, the count and the page
 * were two statements, the page in a transaction (4 round trips → 1).
 */
export async function newestIds<T extends string | number>(
  db: TDb,
  t: { table: PgTable; id: AnyPgColumn; at: AnyPgColumn },
  base: SQL,
  match: SQL,
  limit: number,
  perHit = RECENT_WINDOW_PER_HIT,
): Promise<T[]> {
  // The window first: for a common word the capped read would build the trigram bitmap of every match
  // (turns "ארנונה" at 1M turns: 89 ms when both ran at once).
  const recent = await recentHits<T>(db, t, base, match, limit, perHit);
  if (recent) return recent;
  const where = sql`${base} and ${match}`;
  const capped = db
    .select({ id: sql<T>`${t.id}`.as("id"), at: sql`${t.at}`.as("at") })
    .from(t.table)
    .where(where)
    .limit(COMMON_MATCHES)
    .as("capped");
  const few = await db
    .select({ id: capped.id, n: sql<number>`count(*) over ()`.as("n") })
    .from(capped)
    .orderBy(sql`${capped.at} desc, ${capped.id} desc`)
    .limit(limit);
  if (!few.length || Number(few[0]!.n) < COMMON_MATCHES) return few.map((r) => r.id);
  const rows = await alongRecency(db, (d) =>
    d.select({ id: sql<T>`${t.id}` }).from(t.table).where(where).orderBy(desc(t.at), desc(t.id)).limit(limit),
  );
  return rows.map((r) => r.id);
}
