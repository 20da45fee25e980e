/**
 * A search word that matches hundreds of customers (a common surname) takes a
 * "common" plan (newest-matches.ts: the page found among the newest rows, or the
 * recency index walked with no sort): the page is still exactly the newest
 * matches, in order, with the right total, and non-matching and test customers
 * stay out. Past SEARCH_TOTAL_CAP matches the total is the cap, flagged as a
 * lower bound, and the page is unchanged. PGlite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { listCustomers, SEARCH_TOTAL_CAP } from "../api/services/customers/list-customers";
import { COMMON_MATCHES } from "../api/services/search/newest-matches";
import { customers } from "../db/schema";
import { createTestDb, DB_KINDS, rowsOf, type TTestDb } from "./helpers/db";

const MATCHES = COMMON_MATCHES + 60;
const T0 = Date.parse("2026-06-01T08:00:00Z");

// Every 3rd customer matches: the page is among the newest rows (recentHits). Every 40th: too sparse for that
// window, but more than COMMON_MATCHES, so the counted plan walks the recency index without a sort.
for (const [kind, EVERY] of DB_KINDS.flatMap((k) => [[k, 3], [k, 40]] as const)) {
  describe(`customers.list search over a common word, 1 customer in ${EVERY} (${kind})`, () => {
    let h: TTestDb;
    let businessId = "";

    beforeAll(async () => {
      h = await createTestDb(kind, { seeded: true });
      businessId = rowsOf<{ id: string }>(await h.db.execute(sql`select id from businesses order by created_at limit 1`))[0]!.id;
      // Interleaved with customers named otherwise; matches are minutes apart, newest last.
      const rows = Array.from({ length: MATCHES * EVERY }, (_, i) => ({
        businessId,
        fullName: i % EVERY === 0 ? `אבי כהן ${i}` : `דנה לוי ${i}`,
        createdAt: new Date(T0 + i * 60_000),
        updatedAt: new Date(T0 + i * 60_000),
      }));
      for (let i = 0; i < rows.length; i += 500) await h.db.insert(customers).values(rows.slice(i, i + 500));
      // The newest "כהן" of all is a test lead: left out by default.
      await h.db.insert(customers).values({ businessId, fullName: "כהן שיחת ניסיון", isTest: true, createdAt: new Date(T0 + (EVERY + 1) * MATCHES * 60_000) } as typeof customers.$inferInsert);
    }, 180_000);
    afterAll(() => h?.destroy());

    test(`${MATCHES} matches: the newest 50 in order, total exact, next page continues`, async () => {
      const scope = { businessId } as Parameters<typeof listCustomers>[1];
      const first = await listCustomers(h.db, scope, { search: "כהן", limit: 50 });
      expect(first.total).toBe(MATCHES);
      expect(first.totalCapped).toBe(false);
      const expected = Array.from({ length: MATCHES }, (_, k) => `אבי כהן ${(MATCHES - 1 - k) * EVERY}`);
      expect(first.items.map((c) => c.fullName)).toEqual(expected.slice(0, 50));
      const second = await listCustomers(h.db, scope, { search: "כהן", limit: 50, cursor: first.nextCursor! });
      expect(second.items.map((c) => c.fullName)).toEqual(expected.slice(50, 100));
    });
  });
}

// More matches than the total counts: the total is the cap, flagged; the page and the next one are still the newest matches.
for (const kind of DB_KINDS) {
  describe(`customers.list search past the total's cap (${kind})`, () => {
    const OVER = SEARCH_TOTAL_CAP + 100;
    let h: TTestDb;
    let businessId = "";

    beforeAll(async () => {
      h = await createTestDb(kind, { seeded: true });
      businessId = rowsOf<{ id: string }>(await h.db.execute(sql`select id from businesses order by created_at limit 1`))[0]!.id;
      // 2 in 3 match ("שרון"), newest last; the others are named otherwise.
      const rows = Array.from({ length: Math.ceil((OVER * 3) / 2) }, (_, i) => ({
        businessId,
        fullName: i % 3 === 2 ? `דנה לוי ${i}` : `יעל שרון ${i}`,
        createdAt: new Date(T0 + i * 60_000),
        updatedAt: new Date(T0 + i * 60_000),
      }));
      for (let i = 0; i < rows.length; i += 500) await h.db.insert(customers).values(rows.slice(i, i + 500));
    }, 180_000);
    afterAll(() => h?.destroy());

    test(`${SEARCH_TOTAL_CAP + 100} matches: total is the cap and flagged; pages in order; unfiltered total exact`, async () => {
      const scope = { businessId } as Parameters<typeof listCustomers>[1];
      const all = Array.from({ length: Math.ceil((OVER * 3) / 2) }, (_, i) => i).filter((i) => i % 3 !== 2).reverse();
      const expected = all.map((i) => `יעל שרון ${i}`);
      expect(expected.length).toBeGreaterThan(SEARCH_TOTAL_CAP);
      const first = await listCustomers(h.db, scope, { search: "שרון", limit: 50 });
      expect(first.total).toBe(SEARCH_TOTAL_CAP);
      expect(first.totalCapped).toBe(true);
      expect(first.items.map((c) => c.fullName)).toEqual(expected.slice(0, 50));
      const second = await listCustomers(h.db, scope, { search: "שרון", limit: 50, cursor: first.nextCursor! });
      expect(second.items.map((c) => c.fullName)).toEqual(expected.slice(50, 100));
      // By name, not the recency walk: still capped, still in order.
      const byName = await listCustomers(h.db, scope, { search: "שרון", sort: "name", limit: 20 });
      expect(byName.totalCapped).toBe(true);
      expect(byName.items.map((c) => c.fullName)).toEqual([...expected].sort().slice(0, 20));
      // No search: the exact count, however many.
      const unfiltered = await listCustomers(h.db, scope, { limit: 1 });
      expect(unfiltered.totalCapped).toBe(false);
      expect(unfiltered.total).toBeGreaterThanOrEqual(Math.ceil((OVER * 3) / 2));
    });
  });
}
