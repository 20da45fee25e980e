/**
 * The hard requirements of `scoreMatch` as SQL, so listing → leads matching
 * reads only the customers that can possibly match instead of every open lead
 * of the business (100k rows at agency scale). It is a superset filter:
 * anything it lets through is still judged by `scoreMatch` in JS, and it
 * never drops a customer `scoreMatch` would accept (budget slack is a little
 * wider than the JS one; non-numeric or missing values pass).
 */
import { eq, inArray, lte, sql, type SQL } from "drizzle-orm";
import { customers, properties, type TRequirements } from "../../../db/schema";
import { normalizeSearch } from "../search/hebrew-text";
import type { TMatchable } from "./match-score";

const APARTMENT_LIKE = new Set(["apartment", "penthouse", "garden_apartment", "duplex", "studio"]);
const OFFICE_LIKE = new Set(["office", "store"]);

/** SQL conditions on `customers.requirements` that every match for `p` satisfies. */
export function customerMatchPrefilter(p: TMatchable): SQL[] {
  const r = customers.requirements;
  const num = (key: string) => sql`(case when jsonb_typeof(${r}->${key}) = 'number' then (${r}->>${key})::numeric end)`;
  const where: SQL[] = [
    sql`${r} <> '{}'::jsonb`,
    sql`coalesce(${r}->>'dealType', ${p.dealType}) = ${p.dealType}`,
    // Budget: JS allows 10% over; 11% here keeps float rounding on the safe side.
    sql`coalesce(${num("budgetMax")} * 1.11 >= ${p.price}, true)`,
  ];
  const accepted = OFFICE_LIKE.has(p.propertyType) ? "office" : APARTMENT_LIKE.has(p.propertyType) ? "apartment" : null;
  where.push(accepted ? sql`coalesce(${r}->>'propertyType', ${accepted}) = ${accepted}` : sql`${r}->>'propertyType' is null`);
  if (p.rooms !== null) {
    where.push(sql`coalesce(${num("roomsMin")} - 1 <= ${p.rooms}, true)`, sql`coalesce(${num("roomsMax")} + 1 >= ${p.rooms}, true)`);
  }
  // Cities: same-city means equal or either contains the other after normalisation (see match-score.ts).
  const city = normalizeSearch(p.city);
  where.push(sql`(jsonb_typeof(${r}->'cities') is distinct from 'array' or jsonb_array_length(${r}->'cities') = 0 or exists (
    select 1 from jsonb_array_elements_text(${r}->'cities') as c(name)
    where position(kesher_norm(c.name) in ${city}) > 0 or position(${city} in kesher_norm(c.name)) > 0))`);
  return where;
}

/** SQL conditions on `properties` that every listing matching `req` satisfies (customer → listings). */
export function propertyMatchPrefilter(req: TRequirements): SQL[] {
  const where: SQL[] = [];
  if (req.dealType === "sale" || req.dealType === "rent") where.push(eq(properties.dealType, req.dealType));
  if (req.propertyType === "office") where.push(inArray(properties.propertyType, [...OFFICE_LIKE] as ("office" | "store")[]));
  else if (req.propertyType) where.push(inArray(properties.propertyType, [...APARTMENT_LIKE] as ("apartment" | "penthouse" | "garden_apartment" | "duplex" | "studio")[]));
  if (typeof req.budgetMax === "number") where.push(lte(properties.price, Math.ceil(req.budgetMax * 1.11)));
  return where;
}
