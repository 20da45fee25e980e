/**
 * The hard requirements of `scoreMatch` as SQL, so listing → leads matching
 * reads only the customers that can possibly match instead of every open lead
 * of the business (100k rows at agency scale). It runs on the lead match keys
 * (migration 0016), which triggers derive from the typed `req_*` columns of
 * `customers.requirements` (migrations 0007/0008), never on the JSON. It is a superset filter:
 * anything it lets through is still judged by `scoreMatch` in JS, and it
 * never drops a customer `scoreMatch` would accept (budget slack is a little
 * wider than the JS one; non-numeric or missing values pass).
 */
import { eq, inArray, lte, sql, type SQL } from "drizzle-orm";
import { properties, type TRequirements } from "../../../db/schema";
import { placeWords, type TMatchable } from "./match-score";

const APARTMENT_LIKE = new Set(["apartment", "penthouse", "garden_apartment", "duplex", "studio"]);
const OFFICE_LIKE = new Set(["office", "store"]);

/**
 * SQL conditions on `customer_match_keys k` (migration 0016: one row per open
 * lead and wanted city word, kept by triggers from the customers' typed
 * requirement columns) that every match for `p` satisfies.
 */
export function leadKeyPrefilter(p: TMatchable): SQL[] {
  const where: SQL[] = [
    sql`(k.deal_type = ${p.dealType} or k.deal_type is null)`,
    // Budget: JS allows 10% over; 11% here keeps float rounding on the safe side. The arithmetic is on the
    // listing's side, once, not on every key row (Ramat Gan: 11,480 rows).
    sql`(k.budget_max is null or k.budget_max >= ${Math.floor(p.price / 1.11)})`,
  ];
  const accepted = OFFICE_LIKE.has(p.propertyType) ? "office" : APARTMENT_LIKE.has(p.propertyType) ? "apartment" : null;
  where.push(accepted ? sql`(k.property_type = ${accepted} or k.property_type is null)` : sql`k.property_type is null`);
  if (p.rooms !== null) {
    where.push(sql`(k.rooms_min is null or k.rooms_min <= ${p.rooms + 1})`, sql`(k.rooms_max is null or k.rooms_max >= ${p.rooms - 1})`);
  }
  // Cities: a lead who names no city has the word '*'; otherwise same city shares at least one word (see sameCity).
  const words = ["*", ...new Set(placeWords(p.city))];
  where.push(sql`k.city_word in (${sql.join(
    words.map((w) => sql`${w}`),
    sql`, `,
  )})`);
  return where;
}

/** SQL conditions on `properties` that every listing matching `req` satisfies (customer → listings). */
export function propertyMatchPrefilter(req: TRequirements): SQL[] {
  const where: SQL[] = [];
  if (req.dealType === "sale" || req.dealType === "rent") where.push(eq(properties.dealType, req.dealType));
  if (req.propertyType === "office") where.push(inArray(properties.propertyType, [...OFFICE_LIKE] as ("office" | "store")[]));
  else if (req.propertyType) where.push(inArray(properties.propertyType, [...APARTMENT_LIKE] as ("apartment" | "penthouse" | "garden_apartment" | "duplex" | "studio")[]));
  if (typeof req.budgetMax === "number") where.push(lte(properties.price, Math.ceil(req.budgetMax * 1.11)));
  // Rooms within one of the range (a listing without rooms always passes).
  if (typeof req.roomsMin === "number") where.push(sql`(${properties.rooms} is null or ${properties.rooms} >= ${req.roomsMin - 1})`);
  if (typeof req.roomsMax === "number") where.push(sql`(${properties.rooms} is null or ${properties.rooms} <= ${req.roomsMax + 1})`);
  // Same city shares at least one normalised word with a wanted city (see sameCity).
  const words = [...new Set((Array.isArray(req.cities) ? req.cities : []).flatMap((c) => (typeof c === "string" ? placeWords(c) : [])))];
  if (Array.isArray(req.cities) && req.cities.length) {
    where.push(
      words.length
        ? sql`string_to_array(kesher_norm(${properties.city}), ' ') && array[${sql.join(
            words.map((w) => sql`${w}`),
            sql`, `,
          )}]::text[]`
        : sql`false`,
    );
  }
  return where;
}

/**
 * An upper bound, in SQL, of the score `scoreMatch` gives a lead for listing
 * `p` (when it gives one), from its `customer_match_keys k` row: for
 * requirements as ZRequirements writes them (numbers are numbers, types are
 * strings) it is the exact score, but for the neighbourhood and the size,
 * which count as earned when asked for. Leads are read best bound first, so
 * the top 30 are settled by the first rows when the bound is tight; a loose
 * part (+5 on every row) would make every read continue to the end.
 */
export function leadKeyScoreBound(p: TMatchable): SQL<number> {
  const asked = (col: string, points: number) => sql.raw(`(case when k.${col} is null then 0 else ${points} end)`);
  const budget = sql`(case when k.budget_max is null then 0 when k.budget_max >= ${p.price} then 30 else 10 end)`;
  const rooms =
    p.rooms === null
      ? sql`0`
      : sql`(case when k.rooms_min is null and k.rooms_max is null then 0
          when (k.rooms_min is null or k.rooms_min <= ${p.rooms}) and (k.rooms_max is null or k.rooms_max >= ${p.rooms}) then 15 else 5 end)`;
  const city = sql`(case when k.any_city then 0 else 25 end)`;
  const neighborhood = p.neighborhood === null ? sql`0` : sql`(case when k.wants_neighborhood then 5 else 0 end)`;
  const size = p.sizeSqm === null ? sql`0` : sql`(case when k.wants_size then 5 else 0 end)`;
  return sql<number>`least(100, ${asked("deal_type", 10)} + ${asked("property_type", 10)} + ${city} + ${neighborhood} + ${budget} + ${rooms} + ${size})::int`;
}
