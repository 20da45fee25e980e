/**
 * A search word that matches hundreds of customers (a common surname) takes a
 * "common" plan (newest-matches.ts: the page found among the newest rows, or the
 * recency index walked with no sort): the page is still exactly the newest
 * matches, in order, with the right total, and non-matching and test customers
 * stay out. PGlite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { listCustomers } from "../api/services/customers/list-customers";
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
      const expected = Array.from({ length: MATCHES }, (_, k) => `אבי כהן ${(MATCHES - 1 - k) * EVERY}`);
      expect(first.items.map((c) => c.fullName)).toEqual(expected.slice(0, 50));
      const second = await listCustomers(h.db, scope, { search: "כהן", limit: 50, cursor: first.nextCursor! });
      expect(second.items.map((c) => c.fullName)).toEqual(expected.slice(50, 100));
    });
  });
}
