import { and, eq, notInArray } from "drizzle-orm";
import { z } from "zod";
import type { TDb } from "../../../db/client";
import { customers, properties } from "../../../db/schema";
import { toCustomerDto, ZCustomer } from "../customers/customer-dto";
import { findCustomer } from "../customers/customer-input";
import type { TScope } from "../scope";
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
  const rows = await db
    .select()
    .from(customers)
    // The hard requirements run in SQL: only possible matches leave the database.
    .where(and(eq(customers.businessId, scope.businessId), notInArray(customers.status, ["won", "lost"]), ...customerMatchPrefilter(property)));
  return rows
    .filter((c) => Object.keys(c.requirements ?? {}).length > 0)
    .map((c) => {
      const m = scoreMatch(c.requirements, property);
      return m ? { customer: toCustomerDto(c), ...m } : null;
    })
    .filter((m): m is NonNullable<typeof m> => m !== null)
    .sort((a, b) => b.score - a.score)
    .slice(0, MAX_RESULTS);
}
