/**
 * search_properties: available listings of the caller's business that match
 * what the caller asked for. When nothing matches exactly, the search relaxes
 * step by step (neighbourhood → rooms ±1 → budget +20%) and says what it relaxed,
 * so the agent can be honest about it.
 */
import { and, asc, eq, gte, ilike, inArray, lte, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { properties } from "../../../../db/schema";
import { normalizeHebrew, parseUtterance } from "../nlu";
import type { TToolDataDeps, TToolScope } from "./types";

export const PROPERTY_TYPES = ["apartment", "office", "penthouse", "garden_apartment", "duplex", "studio", "store"] as const;

export const ZSearchPropertiesArgs = z.object({
  dealType: z.enum(["sale", "rent"]).optional().describe("sale = buying, rent = renting"),
  propertyType: z.enum(PROPERTY_TYPES).optional().describe("apartment also matches garden apartments, penthouses, duplexes and studios"),
  city: z.string().max(60).optional().describe("City in Hebrew, e.g. רמת גן"),
  neighborhood: z.string().max(60).optional().describe("Neighbourhood in Hebrew, e.g. הבורסה"),
  roomsMin: z.number().min(0).max(20).optional(),
  roomsMax: z.number().min(0).max(20).optional(),
  budgetMax: z.number().int().min(0).optional().describe("Maximum price in whole shekels (monthly rent for rentals)"),
  sizeMin: z.number().int().min(0).max(100_000).optional().describe("Square metres, e.g. 100 for 'about 120 m²'"),
  sizeMax: z.number().int().min(0).max(100_000).optional(),
  street: z.string().trim().min(2).max(60).optional().describe("A street the caller named (a specific advert they saw)"),
  limit: z.number().int().min(1).max(10).optional(),
});
export type TSearchPropertiesArgs = z.infer<typeof ZSearchPropertiesArgs>;

export interface TPropertyHit {
  id: string;
  title: string;
  dealType: "sale" | "rent";
  propertyType: string;
  city: string;
  neighborhood: string | null;
  street: string | null;
  rooms: number | null;
  sizeSqm: number | null;
  floor: number | null;
  totalFloors: number | null;
  price: number;
  features: string[];
}

export interface TSearchPropertiesResult {
  total: number;
  items: TPropertyHit[];
  /** Criteria loosened to find these (empty when the match is exact). */
  relaxed: Array<"neighborhood" | "rooms" | "size" | "budget">;
}

const APARTMENT_LIKE = ["apartment", "garden_apartment", "penthouse", "duplex", "studio"] as const;

/** Latin spellings a model may send despite the prompt. */
const LATIN_CITIES: Record<string, string> = {
  "tel aviv": "תל אביב", "tel aviv-yafo": "תל אביב", "tel aviv yafo": "תל אביב", "ramat gan": "רמת גן", jerusalem: "ירושלים", haifa: "חיפה",
  givatayim: "גבעתיים", "petah tikva": "פתח תקווה", "petach tikva": "פתח תקווה", herzliya: "הרצליה", "rishon lezion": "ראשון לציון",
  "rishon letzion": "ראשון לציון", netanya: "נתניה", raanana: "רעננה", "ra'anana": "רעננה",
};

/** Canonical city spelling ("רמת-גן", "ת״א", "Ramat Gan" → "רמת גן", "תל אביב"). */
function canonicalCity(city: string): string {
  return LATIN_CITIES[city.trim().toLowerCase()] ?? parseUtterance(city).city ?? normalizeHebrew(city);
}

export async function searchProperties(deps: TToolDataDeps, scope: TToolScope, raw: TSearchPropertiesArgs): Promise<TSearchPropertiesResult> {
  const args = ZSearchPropertiesArgs.parse(raw);
  const limit = args.limit ?? 3;
  const city = args.city ? canonicalCity(args.city) : undefined;
  const hood = args.neighborhood ? (parseUtterance(args.neighborhood).neighborhood ?? normalizeHebrew(args.neighborhood)) : undefined;

  const attempt = async (opts: { hood: boolean; roomsSlack: number; budgetFactor: number }) => {
    const where: SQL[] = [eq(properties.businessId, scope.businessId), eq(properties.status, "available")];
    if (args.dealType) where.push(eq(properties.dealType, args.dealType));
    if (args.propertyType) {
      where.push(args.propertyType === "apartment" ? inArray(properties.propertyType, [...APARTMENT_LIKE]) : eq(properties.propertyType, args.propertyType));
    }
    if (city) where.push(eq(properties.city, city));
    if (hood && opts.hood) where.push(eq(properties.neighborhood, hood));
    if (args.roomsMin !== undefined) where.push(gte(properties.rooms, args.roomsMin - opts.roomsSlack));
    if (args.roomsMax !== undefined) where.push(lte(properties.rooms, args.roomsMax + opts.roomsSlack));
    // The rooms step also widens the size band by a quarter each way.
    if (args.sizeMin !== undefined) where.push(gte(properties.sizeSqm, Math.floor(args.sizeMin * (opts.roomsSlack ? 0.75 : 1))));
    if (args.sizeMax !== undefined) where.push(lte(properties.sizeSqm, Math.ceil(args.sizeMax * (opts.roomsSlack ? 1.25 : 1))));
    if (args.street) where.push(ilike(properties.street, `%${args.street.replace(/[%_\\]/g, "")}%`));
    // Callers quote round numbers: allow 5% over the stated budget before calling it a relaxation.
    if (args.budgetMax !== undefined) where.push(lte(properties.price, Math.round(args.budgetMax * 1.05 * opts.budgetFactor)));
    const target = args.budgetMax ?? 0;
    const rows = await deps.db
      .select()
      .from(properties)
      .where(and(...where))
      .orderBy(
        ...(hood ? [sql`case when ${properties.neighborhood} = ${hood} then 0 else 1 end`] : []),
        target ? sql`abs(${properties.price} - ${target})` : asc(properties.price),
        asc(properties.id),
      )
      .limit(limit);
    return rows;
  };

  const steps: Array<{ hood: boolean; roomsSlack: number; budgetFactor: number; relaxed: TSearchPropertiesResult["relaxed"] }> = [
    { hood: true, roomsSlack: 0, budgetFactor: 1, relaxed: [] },
    { hood: false, roomsSlack: 0, budgetFactor: 1, relaxed: ["neighborhood"] },
    { hood: false, roomsSlack: 1, budgetFactor: 1, relaxed: ["neighborhood", "rooms"] },
    { hood: false, roomsSlack: 1, budgetFactor: 1.2, relaxed: ["neighborhood", "rooms", "budget"] },
  ];
  for (const step of steps) {
    if (!hood && step.relaxed.length === 1) continue;
    const rows = await attempt(step);
    if (rows.length) {
      const sized = args.sizeMin !== undefined || args.sizeMax !== undefined;
      const roomed = args.roomsMin !== undefined || args.roomsMax !== undefined;
      const relaxed = step.relaxed
        .flatMap((r) => (r === "rooms" && sized ? (roomed ? (["rooms", "size"] as const) : (["size"] as const)) : [r]))
        .filter((r) => (r === "neighborhood" ? Boolean(hood) : r === "rooms" ? roomed : r === "size" ? sized : args.budgetMax !== undefined));
      deps.log.debug({ businessId: scope.businessId, count: rows.length, relaxed }, "search_properties");
      return {
        total: rows.length,
        relaxed,
        items: rows.map((p) => ({
          id: p.id,
          title: p.title,
          dealType: p.dealType,
          propertyType: p.propertyType,
          city: p.city,
          neighborhood: p.neighborhood,
          street: p.street,
          rooms: p.rooms === null ? null : Number(p.rooms),
          sizeSqm: p.sizeSqm,
          floor: p.floor,
          totalFloors: p.totalFloors,
          price: p.price,
          features: p.features,
        })),
      };
    }
  }
  return { total: 0, items: [], relaxed: [] };
}
