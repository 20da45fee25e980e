import { and, eq, inArray, notInArray, sql } from "drizzle-orm";
import { z } from "zod";
import { rowsOf, type TDb } from "../../../db/client";
import { customers, properties, type TRequirements } from "../../../db/schema";
import { toCustomerDto, ZCustomer } from "../customers/customer-dto";
import { findCustomer } from "../customers/customer-input";
import type { TScope } from "../../../core/domain/scope";
import { leadKeyPrefilter, leadKeyScoreBound, propertyMatchPrefilter } from "./match-prefilter";
import { scoreMatch } from "./match-score";
import { findProperty, toPropertyDto, ZProperty } from "./property-dto";

export const ZPropertyMatch = z.object({ property: ZProperty, score: z.number(), reasons: z.array(z.string()) });
export const ZCustomerMatch = z.object({ customer: ZCustomer, score: z.number(), reasons: z.array(z.string()) });

const MAX_RESULTS = 30;

/** Available listings that fit a customer's requirements, best first. */
export async function matchProperties(db: TDb, scope: TScope, customerId: string): Promise<z.infer<typeof ZPropertyMatch>[]> {
  const customer = await findCustomer(db, scope.businessId, customerId);
  const req = customer.requirements ?? {};
  // Two phases, as for leads below: score from the columns scoreMatch reads, then load the best 30 whole.
  const candidates = await db
    .select({
      id: properties.id,
      dealType: properties.dealType,
      propertyType: properties.propertyType,
      city: properties.city,
      neighborhood: properties.neighborhood,
      rooms: properties.rooms,
      sizeSqm: properties.sizeSqm,
      price: properties.price,
    })
    .from(properties)
    .where(and(eq(properties.businessId, scope.businessId), eq(properties.status, "available"), ...propertyMatchPrefilter(req)));
  const best = candidates
    .map((p) => {
      const m = scoreMatch(req, { ...p, rooms: p.rooms === null ? null : Number(p.rooms) });
      return m ? { id: p.id, price: p.price, ...m } : null;
    })
    .filter((m): m is NonNullable<typeof m> => m !== null)
    .sort((a, b) => b.score - a.score || a.price - b.price)
    .slice(0, MAX_RESULTS);
  if (!best.length) return [];
  const full = new Map(
    (await db.select().from(properties).where(and(eq(properties.businessId, scope.businessId), inArray(properties.id, best.map((b) => b.id))))).map((p) => [p.id, p]),
  );
  return best.flatMap((b) => {
    const p = full.get(b.id);
    return p ? [{ property: toPropertyDto(p), score: b.score, reasons: b.reasons }] : [];
  });
}

/** Open leads (not won/lost) whose requirements a listing fits, best first. */
export async function matchCustomers(db: TDb, scope: TScope, propertyId: string): Promise<z.infer<typeof ZCustomerMatch>[]> {
  const property = toPropertyDto(await findProperty(db, scope.businessId, propertyId));
  // Candidates come best score bound first (leadKeyScoreBound) in growing batches, from the covering key of
  // customer_match_keys (an index-only read, no customer rows); only a batch's requirements are then read.
  // Scoring stops once the 30th best exact score reaches the bound of the rows not read yet. At 100k leads,
  // reading every candidate's customer row (~8,000 pages for one city) dominated the time.
  const bound = leadKeyScoreBound(property);
  const keyWhere = sql.join([sql`k.business_id = ${scope.businessId}`, ...leadKeyPrefilter(property)], sql` and `);
  const scored: { id: string; score: number; reasons: string[] }[] = [];
  // A lead of a two-word city ("רמת גן") has a key row per word. The rows are read in a total order (bound, lead,
  // word) and a lead already read is skipped, instead of `select distinct`, which sorted every candidate row
  // (11,480 for Ramat Gan) where the top-N sort keeps only a batch.
  const seen = new Set<string>();
  for (let offset = 0, batch = 64; ; offset += batch, batch *= 4) {
    const rows = rowsOf<{ id: string; bound: number }>(
      await db.execute(sql`select k.customer_id as id, ${bound} as bound from customer_match_keys k where ${keyWhere}
        order by 2 desc, 1, k.city_word limit ${batch} offset ${offset}`),
    );
    const keys = rows.filter((k) => !seen.has(k.id) && seen.add(k.id));
    const reqs = keys.length
      ? new Map(
          (
            await db
              .select({ id: customers.id, requirements: customers.requirements })
              .from(customers)
              .where(and(eq(customers.businessId, scope.businessId), notInArray(customers.status, ["won", "lost"]), inArray(customers.id, keys.map((k) => k.id))))
          ).map((c) => [c.id, c.requirements]),
        )
      : new Map<string, TRequirements>();
    for (const k of keys) {
      const requirements = reqs.get(k.id);
      if (!requirements || Object.keys(requirements).length === 0) continue;
      const m = scoreMatch(requirements, property);
      if (m) scored.push({ id: k.id, ...m });
    }
    scored.sort((x, y) => y.score - x.score);
    const last = rows[rows.length - 1];
    if (rows.length < batch || !last || (scored.length >= MAX_RESULTS && scored[MAX_RESULTS - 1]!.score >= Number(last.bound))) break;
  }
  const best = scored.slice(0, MAX_RESULTS);
  if (!best.length) return [];
  const full = new Map(
    (await db.select().from(customers).where(and(eq(customers.businessId, scope.businessId), inArray(customers.id, best.map((b) => b.id))))).map((c) => [c.id, c]),
  );
  return best.flatMap((b) => {
    const c = full.get(b.id);
    return c ? [{ customer: toCustomerDto(c), score: b.score, reasons: b.reasons }] : [];
  });
}
