/**
 * The SQL prefilters in api/services/properties/match-prefilter.ts must never
 * change a matching result, only how many rows leave the database. On a
 * seeded mix of requirements (edge budgets, rooms off by one, cities written
 * with maqaf/hyphen or as part of a longer name, partial and empty
 * requirements) both directions are compared with `scoreMatch` run in JS
 * over every row.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq, inArray, notInArray } from "drizzle-orm";
import { customers, properties, type TRequirements } from "../db/schema";
import { seedDemo } from "../db/seed/seed-demo";
import { matchCustomers, matchProperties } from "../api/services/properties/match-properties";
import { scoreMatch } from "../api/services/properties/match-score";
import { toPropertyDto } from "../api/services/properties/property-dto";
import type { TScope } from "../core/domain/scope";
import { DB_KINDS, createTestDb, type TTestDb, TEST_PASSWORD_COST } from "./helpers/db";

const CITIES = ["תל אביב", "תל אביב-יפו", "רמת גן", "רמת-גן", "רמת־גן", "גבעתיים", "ירושלים", "חיפה"];
const TYPES = ["apartment", "office", "penthouse", "garden_apartment", "duplex", "studio", "store"] as const;

/** Small deterministic PRNG so a failure reproduces. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

for (const kind of DB_KINDS) {
  describe(`matching prefilters keep results identical (${kind})`, () => {
    let db: TTestDb;
    let scope: TScope;
    const prices: number[] = [];

    beforeAll(async () => {
      db = await createTestDb(kind);
      const businessId = (await seedDemo(db.db, { adminPassword: "demo-password-123", passwordCost: TEST_PASSWORD_COST })).businessId!;
      scope = { businessId, userId: null, ip: null };
      const r = rng(7);
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
      const props = Array.from({ length: 60 }, (_, i) => {
        const dealType = r() < 0.5 ? "sale" : "rent";
        const price = dealType === "sale" ? 1_000_000 + Math.round(r() * 40) * 100_000 : 3000 + Math.round(r() * 40) * 250;
        prices.push(price);
        return { businessId, title: `נכס ${i}`, dealType, propertyType: pick(TYPES), city: pick(CITIES), rooms: r() < 0.1 ? null : 1 + Math.round(r() * 10) / 2, sizeSqm: 40 + Math.round(r() * 100), price, status: "available" } as const;
      });
      await db.db.insert(properties).values(props);
      const reqs: TRequirements[] = [{}, { dealType: "sale" }, { propertyType: "office" }, { cities: ["תל אביב"] }, { cities: ["רמת גן"], roomsMin: 3 }];
      for (let i = 0; i < 220; i++) {
        const q: TRequirements = {};
        if (r() < 0.8) q.dealType = r() < 0.5 ? "sale" : "rent";
        if (r() < 0.7) q.propertyType = r() < 0.3 ? "office" : "apartment";
        if (r() < 0.7) q.cities = r() < 0.2 ? [pick(CITIES), pick(CITIES)] : [pick(CITIES)];
        if (r() < 0.6) q.roomsMin = 1 + Math.round(r() * 8) / 2;
        if (r() < 0.6) q.roomsMax = (q.roomsMin ?? 1) + Math.round(r() * 4) / 2;
        // Budgets at and around the 10% slack boundary of real listing prices.
        if (r() < 0.7) q.budgetMax = Math.round(pick(prices) / pick([1, 1.1, 1.0999, 1.1001, 0.9, 1.3]));
        reqs.push(q);
      }
      // Leads whose city shares a word with רמת גן but is another city: they pass the SQL prefilter with the
      // best score bound and fail scoreMatch, so listing → leads has to read past its first batch.
      for (let i = 0; i < 140; i++) reqs.push({ dealType: i % 2 ? "sale" : "rent", cities: ["רמת השרון"], budgetMax: i % 2 ? 10_000_000 : 100_000 });
      await db.db.insert(customers).values(
        reqs.map((requirements, i) => ({ businessId, fullName: `לקוח ${i}`, phone: `+97254${String(1_000_000 + i).padStart(7, "0")}`, requirements, status: i % 9 === 0 ? ("won" as const) : ("new" as const) })),
      );
    }, 60_000);
    afterAll(() => db.destroy());

    const topScores = (scores: number[]) => scores.sort((a, b) => b - a).slice(0, 30);

    /** listing → leads for every listing equals scoreMatch run over every open lead; returns how many matches were compared. */
    const compareListingToLeads = async () => {
      const open = await db.db.select().from(customers).where(and(eq(customers.businessId, scope.businessId), notInArray(customers.status, ["won", "lost"])));
      const listings = await db.db.select().from(properties).where(eq(properties.businessId, scope.businessId));
      let compared = 0;
      for (const row of listings) {
        const p = toPropertyDto(row);
        const expected = new Map<string, number>();
        for (const c of open) {
          if (Object.keys(c.requirements).length === 0) continue;
          const m = scoreMatch(c.requirements, p);
          if (m) expected.set(c.id, m.score);
        }
        const got = await matchCustomers(db.db, scope, p.id);
        for (const g of got) expect(expected.get(g.customer.id)).toBe(g.score);
        expect(got.map((g) => g.score)).toEqual(topScores([...expected.values()]));
        compared += expected.size;
      }
      return compared;
    };

    test("listing → leads: same matches and scores as scoring every open lead", async () => {
      // The data set is not degenerate: plenty of matches were compared.
      expect(await compareListingToLeads()).toBeGreaterThan(200);
    }, 60_000);

    test("listing → leads follows lead changes (the match keys are kept by triggers): edited, won, reopened, deleted", async () => {
      const all = await db.db.select().from(customers).where(eq(customers.businessId, scope.businessId)).orderBy(customers.phone);
      const r = rng(11);
      for (const c of all.slice(0, 40)) {
        await db.db
          .update(customers)
          .set({ requirements: { ...c.requirements, cities: [CITIES[Math.floor(r() * CITIES.length)]!], budgetMax: r() < 0.5 ? 50_000_000 : 2_000 } })
          .where(eq(customers.id, c.id));
      }
      await db.db.update(customers).set({ status: "won" }).where(inArray(customers.id, all.slice(40, 60).map((c) => c.id)));
      await db.db.update(customers).set({ status: "new" }).where(inArray(customers.id, all.filter((c) => c.status === "won").slice(0, 10).map((c) => c.id)));
      await db.db.update(customers).set({ requirements: {} }).where(inArray(customers.id, all.slice(60, 70).map((c) => c.id)));
      await db.db.delete(customers).where(inArray(customers.id, all.slice(70, 80).map((c) => c.id)));
      expect(await compareListingToLeads()).toBeGreaterThan(200);
    }, 60_000);

    test("customer → listings: same matches and scores as scoring every listing", async () => {
      const all = await db.db.select().from(customers).where(eq(customers.businessId, scope.businessId));
      const listings = (await db.db.select().from(properties).where(and(eq(properties.businessId, scope.businessId), eq(properties.status, "available")))).map(toPropertyDto);
      let compared = 0;
      for (const c of all) {
        const expected = new Map<string, number>();
        for (const p of listings) {
          const m = scoreMatch(c.requirements, p);
          if (m) expected.set(p.id, m.score);
        }
        const got = await matchProperties(db.db, scope, c.id);
        for (const g of got) expect(expected.get(g.property.id)).toBe(g.score);
        expect(got.map((g) => g.score)).toEqual(topScores([...expected.values()]));
        compared += expected.size;
      }
      expect(compared).toBeGreaterThan(200);
    }, 60_000);
  });
}
