import { and, arrayContains, count, eq, or, sql, type SQL } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { customers } from "../../../db/schema";
import { cursorValue, decodeCursor, encodeCursor } from "../cursor";
import { businessIs, normMatches, phoneDigits, pickMatchMode, withTrigramPlan, type TMatchMode } from "../search/hebrew-text";
import type { TScope } from "../scope";
import { toCustomerDto, type TCustomerDto } from "./customer-dto";

export const CUSTOMER_SORTS = ["newest", "oldest", "updated", "name"] as const;
export type TCustomerSort = (typeof CUSTOMER_SORTS)[number];

export interface TCustomerFilters {
  search?: string;
  status?: TCustomerDto["status"];
  source?: TCustomerDto["source"];
  tag?: string;
  assignedUserId?: string;
  /** Resolved by resolveSearchMode(); "exact" when omitted. */
  searchMode?: TMatchMode;
}

/** Normalised name + notes + email + tags (stored, trigram-indexed column). */
export function customerDocSql(): SQL {
  return sql`${customers.searchDoc}`;
}

/** WHERE conditions for the filters, always scoped to the business. */
export function customerConditions(scope: TScope, f: TCustomerFilters): SQL[] {
  const where: SQL[] = [businessIs(customers.businessId, scope.businessId, f.search?.trim() ? f.searchMode : "exact")];
  if (f.status) where.push(eq(customers.status, f.status));
  if (f.source) where.push(eq(customers.source, f.source));
  if (f.tag) where.push(arrayContains(customers.tags, [f.tag]));
  if (f.assignedUserId) where.push(eq(customers.assignedUserId, f.assignedUserId));
  const q = f.search?.trim();
  if (q) {
    const digits = phoneDigits(q);
    const parts: SQL[] = [normMatches(customerDocSql(), q, f.searchMode)];
    if (digits) parts.push(sql`${customers.phoneDigits} like ${"%" + digits + "%"}`);
    where.push(or(...parts)!);
  }
  return where;
}

/** Filters with the search mode decided: exact substring if anything matches, else fuzzy. */
export async function resolveSearchMode<T extends TCustomerFilters>(db: TDb, scope: TScope, f: T): Promise<T & Pick<TCustomerFilters, "searchMode">> {
  if (!f.search?.trim()) return f;
  const searchMode = await pickMatchMode(f.search, async () => {
    const rows = await db
      .select({ id: customers.id })
      .from(customers)
      .where(and(...customerConditions(scope, { ...f, searchMode: "exact" })))
      .limit(1);
    return rows.length > 0;
  });
  return { ...f, searchMode };
}

const SORT_KEY: Record<TCustomerSort, { key: SQL; dir: "asc" | "desc"; cast: string }> = {
  newest: { key: sql`${customers.createdAt}`, dir: "desc", cast: "timestamptz" },
  oldest: { key: sql`${customers.createdAt}`, dir: "asc", cast: "timestamptz" },
  updated: { key: sql`${customers.updatedAt}`, dir: "desc", cast: "timestamptz" },
  name: { key: sql`coalesce(${customers.fullName}, '')`, dir: "asc", cast: "text" },
};

/**
 * Customers of the business, filtered and keyset-paginated (stable under
 * inserts: the cursor is the last row's sort value + id, not an offset).
 */
export async function listCustomers(
  db: TDb,
  scope: TScope,
  input: TCustomerFilters & { sort?: TCustomerSort; cursor?: string; limit?: number },
): Promise<{ items: TCustomerDto[]; nextCursor: string | null; total: number }> {
  const limit = input.limit ?? 50;
  const sort = SORT_KEY[input.sort ?? "newest"];
  const filters = await resolveSearchMode(db, scope, input);
  const base = customerConditions(scope, filters);
  const where = [...base];
  const cursor = decodeCursor(input.cursor);
  if (cursor) {
    const v = sql`${cursorValue(cursor.v, sort.cast)}::${sql.raw(sort.cast)}`;
    where.push(
      sort.dir === "desc"
        ? sql`(${sort.key}, ${customers.id}) < (${v}, ${cursor.id}::uuid)`
        : sql`(${sort.key}, ${customers.id}) > (${v}, ${cursor.id}::uuid)`,
    );
  }
  const dir = sort.dir === "desc" ? sql`desc` : sql`asc`;
  const [rows, totalRow] = await withTrigramPlan(db, filters.searchMode ?? "exact", async (q) => [
    await q
      .select({ row: customers, sortKey: sql<string>`(${sort.key})::text` })
      .from(customers)
      .where(and(...where))
      .orderBy(sql`${sort.key} ${dir}`, sql`${customers.id} ${dir}`)
      .limit(limit + 1),
    (await q.select({ n: count() }).from(customers).where(and(...base)))[0],
  ] as const);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => toCustomerDto(r.row)),
    nextCursor: rows.length > limit && last ? encodeCursor({ v: last.sortKey, id: last.row.id }) : null,
    total: Number(totalRow?.n ?? 0),
  };
}
