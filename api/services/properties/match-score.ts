/**
 * How well a listing fits what a customer asked for: a 0–100 score and the
 * Hebrew reasons behind it, or null when a hard requirement fails (wrong deal
 * or type, other city, far over budget, rooms far off). Pure; used in both
 * directions (customer → listings, listing → customers).
 */
import type { TRequirements } from "../../../db/schema";
import { normalizeSearch } from "../search/hebrew-text";

export interface TMatchable {
  dealType: "sale" | "rent";
  propertyType: string;
  city: string;
  neighborhood: string | null;
  rooms: number | null;
  sizeSqm: number | null;
  price: number;
}

export interface TMatch {
  score: number;
  reasons: string[];
}

const APARTMENT_LIKE = new Set(["apartment", "penthouse", "garden_apartment", "duplex", "studio"]);
const OFFICE_LIKE = new Set(["office", "store"]);
/** Over budget by up to this share still shows, with fewer points. */
const BUDGET_SLACK = 0.1;

// One formatter: constructing Intl.NumberFormat per reason dominated matching 100k leads.
const ILS = new Intl.NumberFormat("he-IL");
const shekels = (n: number) => `${ILS.format(n)} ₪`;
/** Normalised words of a place name ("רמת-גן" → ["רמת", "גן"]). */
export const placeWords = (name: string) => normalizeSearch(name).split(" ").filter(Boolean);
/**
 * Same city: the words of one name are all words of the other ("תל אביב" and "תל אביב-יפו"), after
 * normalisation. Word-based (not substring) so the SQL prefilter can find it through an index on the words.
 */
const sameCity = (a: string, b: string) => {
  const x = placeWords(a);
  const y = placeWords(b);
  if (!x.length || !y.length) return false;
  const [short, long] = x.length <= y.length ? [x, new Set(y)] : [y, new Set(x)];
  return short.every((w) => long.has(w));
};

export function scoreMatch(req: TRequirements, p: TMatchable): TMatch | null {
  const reasons: string[] = [];
  let score = 0;

  if (req.dealType) {
    if (req.dealType !== p.dealType) return null;
    score += 10;
    reasons.push(p.dealType === "sale" ? "עסקת מכירה כמבוקש" : "להשכרה כמבוקש");
  }
  if (req.propertyType) {
    const ok = req.propertyType === "office" ? OFFICE_LIKE.has(p.propertyType) : APARTMENT_LIKE.has(p.propertyType);
    if (!ok) return null;
    score += 10;
    reasons.push(req.propertyType === "office" ? "נכס מסחרי/משרד" : "דירה כמבוקש");
  }
  if (req.cities?.length) {
    const city = req.cities.find((c) => sameCity(c, p.city));
    if (!city) return null;
    score += 25;
    reasons.push(`בעיר המבוקשת: ${p.city}`);
  }
  if (req.neighborhoods?.length && p.neighborhood) {
    if (req.neighborhoods.some((n) => sameCity(n, p.neighborhood!))) {
      score += 5;
      reasons.push(`בשכונה המבוקשת: ${p.neighborhood}`);
    }
  }
  if (req.budgetMax !== undefined) {
    if (p.price <= req.budgetMax) {
      score += 30;
      reasons.push(`במסגרת התקציב (${shekels(p.price)})`);
    } else if (p.price <= req.budgetMax * (1 + BUDGET_SLACK)) {
      const pct = Math.round(((p.price - req.budgetMax) / req.budgetMax) * 100);
      score += 10;
      reasons.push(`מעט מעל התקציב (${pct}%)`);
    } else {
      return null;
    }
  }
  if (p.rooms !== null && (req.roomsMin !== undefined || req.roomsMax !== undefined)) {
    const min = req.roomsMin ?? 0;
    const max = req.roomsMax ?? Number.POSITIVE_INFINITY;
    const off = p.rooms < min ? min - p.rooms : p.rooms > max ? p.rooms - max : 0;
    if (off === 0) {
      score += 15;
      reasons.push(`${p.rooms} חדרים כמבוקש`);
    } else if (off <= 1) {
      score += 5;
      reasons.push(`${p.rooms} חדרים (קרוב לבקשה)`);
    } else {
      return null;
    }
  }
  if (req.sizeMin !== undefined && p.sizeSqm !== null && p.sizeSqm >= req.sizeMin) {
    score += 5;
    reasons.push(`${p.sizeSqm} מ״ר`);
  }
  return { score: Math.min(100, score), reasons };
}
