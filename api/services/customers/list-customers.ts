import { and, arrayContains, count, eq, inArray, isNull, lte, or, sql, type SQL } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { customers } from "../../../db/schema";
import { cursorValue, decodeCursor, encodeCursor } from "../cursor";
import { cappedCount, newestMatches, recentHits } from "../search/newest-matches";
import { planQuery, type TQueryPlan } from "../search/plan-query";
import { matchesAny } from "../search/search-sources";
import type { TScope } from "../../../core/domain/scope";
import { toCustomerDto, type TCustomerDto } from "./customer-dto";

export const CUSTOMER_SORTS = ["newest", "oldest", "updated", "updated_asc", "name", "name_desc"] as const;
export type TCustomerSort = (typeof CUSTOMER_SORTS)[number];

export interface TCustomerFilters {
  search?: string;
  status?: TCustomerDto["status"];
  source?: TCustomerDto["source"];
  tag?: string;
  assignedUserId?: string;
  /** Leads nobody owns yet. */
  unassigned?: boolean;
  /** What the lead wants: deal type, a wanted city (loosely: "רמת-גן" = "רמת גן"), a budget up to. */
  dealType?: "sale" | "rent";
  city?: string;
  budgetUpTo?: number;
  /** Not touched (no update) for at least this many days. */
  staleDays?: number;
  /** Include test-call leads ("שיחת ניסיון"), hidden by default. */
  includeTest?: boolean;
  /** The search as planned by resolveSearch() (normalised, typos corrected through the lexicon). */
  searchPlan?: TQueryPlan;
}

/** Normalised name + notes + email + tags (stored, trigram-indexed column). */
export function customerDocSql(): SQL {
  return sql`${customers.searchDoc}`;
}

/** A planned search on customers: name, notes, email, tags — and what they want ("רמת גן" finds a buyer who wants Ramat Gan) — or phone digits. */
export function customerSearchMatch(plan: TQueryPlan): SQL {
  const parts: SQL[] = [matchesAny(customerDocSql(), plan.variants), matchesAny(customers.reqPlaces, plan.variants)];
  if (plan.digits) parts.push(sql`${customers.phoneDigits} like ${"%" + plan.digits + "%"}`);
  return or(...parts)!;
}

/** WHERE conditions for the filters, always scoped to the business. Call resolveSearch() first when searching. */
export function customerConditions(scope: TScope, f: TCustomerFilters): SQL[] {
  const where: SQL[] = [eq(customers.businessId, scope.businessId)];
  if (!f.includeTest) where.push(eq(customers.isTest, false));
  if (f.status) where.push(eq(customers.status, f.status));
  if (f.source) where.push(eq(customers.source, f.source));
  if (f.tag) where.push(arrayContains(customers.tags, [f.tag]));
  if (f.assignedUserId) where.push(eq(customers.assignedUserId, f.assignedUserId));
  if (f.unassigned) where.push(isNull(customers.assignedUserId));
  if (f.dealType) where.push(eq(customers.reqDealType, f.dealType));
  if (f.city?.trim()) where.push(sql`${customers.reqPlaces} like '%' || kesher_norm(${f.city.trim()}) || '%'`);
  if (f.budgetUpTo !== undefined) where.push(lte(customers.reqBudgetMax, f.budgetUpTo));
  if (f.staleDays) where.push(sql`${customers.updatedAt} <= now() - make_interval(days => ${f.staleDays}::int)`);
  const plan = f.searchPlan;
  if (plan?.variants.length) {
    where.push(customerSearchMatch(plan));
  } else if (f.search?.trim() && !plan) {
    throw new Error("customerConditions: call resolveSearch() before searching");
  }
  return where;
}

/** Filters with the search planned: normalised, phone digits, typos corrected through the lexicon. */
export async function resolveSearch<T extends TCustomerFilters>(db: TDb, scope: TScope, f: T): Promise<T> {
  if (!f.search?.trim() || f.searchPlan) return f;
  return { ...f, searchPlan: await planQuery(db, scope.businessId, f.search) };
}

const SORT_KEY: Record<TCustomerSort, { key: SQL; dir: "asc" | "desc"; cast: string }> = {
  newest: { key: sql`${customers.createdAt}`, dir: "desc", cast: "timestamptz" },
  oldest: { key: sql`${customers.createdAt}`, dir: "asc", cast: "timestamptz" },
  updated: { key: sql`${customers.updatedAt}`, dir: "desc", cast: "timestamptz" },
  name: { key: sql`coalesce(${customers.fullName}, '')`, dir: "asc", cast: "text" },
  updated_asc: { key: sql`${customers.updatedAt}`, dir: "asc", cast: "timestamptz" },
  name_desc: { key: sql`coalesce(${customers.fullName}, '')`, dir: "desc", cast: "text" },
};

/**
 * A search's total stops here: "יותר מ־1,000 לקוחות". A word in 12,500 notes would
 * otherwise be rechecked row by row for the exact number (the trigram index
 * can't count alone): 56–91 ms p95 at 100k customers.
 */
export const SEARCH_TOTAL_CAP = 1000;

/**
 * Matches of a search, counted up to SEARCH_TOTAL_CAP + 1 from the trigram
 * bitmap, so only the first ~1,000 candidates are rechecked. Left alone the
 * planner scans the table and tests every row's document until it has
 * 1,001 ("שפירא", 1 customer in 20: 21,000 rows, 57 ms → 7 ms at 100k).
 */
function searchTotal(db: TDb, where: SQL): Promise<{ n: number }[]> {
  return db.transaction(async (tx) => {
    await tx.execute(
      sql`select set_config('enable_seqscan', 'off', true), set_config('enable_indexscan', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)`,
    );
    const capped = tx.select({ one: sql`1` }).from(customers).where(where).limit(SEARCH_TOTAL_CAP + 1).as("capped");
    return tx.select({ n: sql<number>`count(*)::int` }).from(capped);
  });
}

/**
 * Customers of the business, filtered and keyset-paginated (stable under
 * inserts: the cursor is the last row's sort value + id, not an offset).
 * `total` is exact, except for a search with more than SEARCH_TOTAL_CAP
 * matches: then it is the cap and `totalCapped` is true (a lower bound).
 */
export async function listCustomers(
  db: TDb,
  scope: TScope,
  input: TCustomerFilters & { sort?: TCustomerSort; cursor?: string; limit?: number },
): Promise<{ items: TCustomerDto[]; nextCursor: string | null; total: number; totalCapped: boolean }> {
  const limit = input.limit ?? 50;
  const sort = SORT_KEY[input.sort ?? "newest"];
  const filters = await resolveSearch(db, scope, input);
  const base = customerConditions(scope, filters);
  const after: SQL[] = [];
  const cursor = decodeCursor(input.cursor);
  if (cursor) {
    const v = sql`${cursorValue(cursor.v, sort.cast)}::${sql.raw(sort.cast)}`;
    after.push(
      sort.dir === "desc"
        ? sql`(${sort.key}, ${customers.id}) < (${v}, ${cursor.id}::uuid)`
        : sql`(${sort.key}, ${customers.id}) > (${v}, ${cursor.id}::uuid)`,
    );
  }
  const where = [...base, ...after];
  const dir = sort.dir === "desc" ? sql`desc` : sql`asc`;
  const byCreated = input.sort === undefined || input.sort === "newest" || input.sort === "oldest";
  const searching = Boolean(filters.searchPlan?.variants.length);
  const counting = searching ? searchTotal(db, and(...base)!) : db.select({ n: count() }).from(customers).where(and(...base));
  const fetchPage = (q: TDb, only?: SQL) =>
    q
      .select({ row: customers, sortKey: sql<string>`(${sort.key})::text` })
      .from(customers)
      .where(and(...where, only))
      .orderBy(sql`${sort.key} ${dir}`, sql`${customers.id} ${dir}`)
      .limit(limit + 1);
  // A search matching many customers walks the (business, created_at, id) index instead of sorting every
  // match; a capped count (it stops at COMMON_MATCHES) decides, so the page runs beside the exact total
  // instead of after it (the total of a common word reads thousands of rows).
  const searchPage = async (plan: TQueryPlan) => {
    if (input.sort === undefined || input.sort === "newest") {
      // A common word: the page is among the newest customers (recentHits), no count needed to plan it.
      const rest = [...customerConditions(scope, { ...filters, search: undefined, searchPlan: undefined }), ...after];
      const ids = await recentHits<string>(db, { table: customers, id: customers.id, at: customers.createdAt }, and(...rest)!, customerSearchMatch(plan), limit + 1);
      if (ids) return fetchPage(db, inArray(customers.id, ids));
    }
    return newestMatches(db, await cappedCount(db, customers, and(...base)!), (q) => fetchPage(q));
  };
  const [totalRows, rows] = await Promise.all([counting, filters.searchPlan && byCreated ? searchPage(filters.searchPlan) : fetchPage(db)]);
  const counted = Number(totalRows[0]?.n ?? 0);
  const totalCapped = searching && counted > SEARCH_TOTAL_CAP;
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => toCustomerDto(r.row)),
    nextCursor: rows.length > limit && last ? encodeCursor({ v: last.sortKey, id: last.row.id }) : null,
    total: totalCapped ? SEARCH_TOTAL_CAP : counted,
    totalCapped,
  };
}
