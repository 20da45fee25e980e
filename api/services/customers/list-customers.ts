import { and, arrayContains, count, eq, or, sql, type SQL } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { customers } from "../../../db/schema";
import { cursorValue, decodeCursor, encodeCursor } from "../cursor";
import { phoneDigits, textMatches } from "../search/hebrew-text";
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
}

/** WHERE conditions for the filters, always scoped to the business. */
export function customerConditions(scope: TScope, f: TCustomerFilters): SQL[] {
  const where: SQL[] = [eq(customers.businessId, scope.businessId)];
  if (f.status) where.push(eq(customers.status, f.status));
  if (f.source) where.push(eq(customers.source, f.source));
  if (f.tag) where.push(arrayContains(customers.tags, [f.tag]));
  if (f.assignedUserId) where.push(eq(customers.assignedUserId, f.assignedUserId));
  const q = f.search?.trim();
  if (q) {
    const digits = phoneDigits(q);
    const parts: SQL[] = [
      textMatches(customers.fullName, q),
      textMatches(customers.notes, q),
      textMatches(customers.email, q),
      textMatches(sql`array_to_string(${customers.tags}, ' ')`, q),
    ];
    if (digits) parts.push(sql`regexp_replace(coalesce(${customers.phone}, ''), '\\D', '', 'g') like ${"%" + digits + "%"}`);
    where.push(or(...parts)!);
  }
  return where;
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
  const base = customerConditions(scope, input);
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
  const rows = await db
    .select({ row: customers, sortKey: sql<string>`(${sort.key})::text` })
    .from(customers)
    .where(and(...where))
    .orderBy(sql`${sort.key} ${dir}`, sql`${customers.id} ${dir}`)
    .limit(limit + 1);
  const [totalRow] = await db.select({ n: count() }).from(customers).where(and(...base));
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => toCustomerDto(r.row)),
    nextCursor: rows.length > limit && last ? encodeCursor({ v: last.sortKey, id: last.row.id }) : null,
    total: Number(totalRow?.n ?? 0),
  };
}
