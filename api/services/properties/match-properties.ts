import { and, eq, inArray, notInArray } from "drizzle-orm";
import { z } from "zod";
import type { TDb } from "../../../db/client";
import { customers, properties } from "../../../db/schema";
import { toCustomerDto, ZCustomer } from "../customers/customer-dto";
import { findCustomer } from "../customers/customer-input";
import type { TScope } from "../../../core/domain/scope";
import { customerMatchPrefilter, propertyMatchPrefilter } from "./match-prefilter";
import { scoreMatch } from "./match-score";
import { findProperty, toPropertyDto, ZProperty } from "./property-dto";

export const ZPropertyMatch = z.object({ property: ZProperty, score: z.number(), reasons: z.array(z.string()) });
export const ZCustomerMatch = z.object({ customer: ZCustomer, score: z.number(), reasons: z.array(z.string()) });

const MAX_RESULTS = 30;

/** Available listings that fit a customer's requirements, best first. */
export async function matchProperties(db: TDb, scope: TScope, customerId: string): Promise<z.infer<typeof ZPropertyMatch>[]> {
  const customer = await findCustomer(db, scope.businessId, customerId);
  const rows = await db
    .select()
    .from(properties)
    .where(and(eq(properties.businessId, scope.businessId), eq(properties.status, "available"), ...propertyMatchPrefilter(customer.requirements ?? {})));
  return rows
    .map((p) => {
      const dto = toPropertyDto(p);
      const m = scoreMatch(customer.requirements ?? {}, dto);
      return m ? { property: dto, ...m } : null;
    })
    .filter((m): m is NonNullable<typeof m> => m !== null)
    .sort((a, b) => b.score - a.score || a.property.price - b.property.price)
    .slice(0, MAX_RESULTS);
}

/** Open leads (not won/lost) whose requirements a listing fits, best first. */
export async function matchCustomers(db: TDb, scope: TScope, propertyId: string): Promise<z.infer<typeof ZCustomerMatch>[]> {
  const property = toPropertyDto(await findProperty(db, scope.businessId, propertyId));
  // Two phases: score the candidates from (id, requirements) only, then load the full rows of
  // the best 30 — at 100k leads, shipping every candidate's whole row dominated the time.
  const candidates = await db
    .select({ id: customers.id, requirements: customers.requirements })
    .from(customers)
    // The hard requirements run in SQL: only possible matches leave the database.
    .where(and(eq(customers.businessId, scope.businessId), notInArray(customers.status, ["won", "lost"]), ...customerMatchPrefilter(property)));
  const best = candidates
    .filter((c) => Object.keys(c.requirements ?? {}).length > 0)
    .map((c) => {
      const m = scoreMatch(c.requirements, property);
      return m ? { id: c.id, ...m } : null;
    })
    .filter((m): m is NonNullable<typeof m> => m !== null)
    .sort((a, b) => b.score - a.score)
    .slice(0, MAX_RESULTS);
  if (!best.length) return [];
  const full = new Map(
    (await db.select().from(customers).where(and(eq(customers.businessId, scope.businessId), inArray(customers.id, best.map((b) => b.id))))).map((c) => [c.id, c]),
  );
  return best.flatMap((b) => {
    const c = full.get(b.id);
    return c ? [{ customer: toCustomerDto(c), score: b.score, reasons: b.reasons }] : [];
  });
}
