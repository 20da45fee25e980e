/**
 * Hebrew-aware search helpers. Place names and titles are written with
 * hyphens or the maqaf ("רמת-גן", "רמת־גן") and abbreviations with gershayim
 * ("ת״א", "ת\"א"); people type "רמת גן" and "תא". Both sides are normalised
 * the same way (in JS for the query, in SQL for the column) before trigram
 * matching.
 */
import { sql, type SQL, type SQLWrapper } from "drizzle-orm";

const DASHES = /[-\u05BE\u2010-\u2015]/g;
const QUOTES = /["'\u05F3\u05F4\u201C\u201D\u2018\u2019`]/g;
const NIQQUD = /[\u0591-\u05C7]/g;

/** Normalise a search query: dashes → space, quote marks and niqqud removed, spaces collapsed, lower-case. */
export function normalizeSearch(q: string): string {
  return q.replace(NIQQUD, (ch) => (ch === "\u05BE" ? " " : "")).replace(DASHES, " ").replace(QUOTES, "").replace(/\s+/g, " ").trim().toLowerCase();
}

/**
 * The same normalisation in SQL: `kesher_norm()` (migration 0002). Hot search
 * paths do not call it per row: customers, properties, call summaries and
 * turns carry stored, trigram-indexed normalised columns (migration 0003).
 */
export function normSql(col: SQLWrapper | SQL): SQL {
  return sql`kesher_norm(${col})`;
}

/** Queries shorter than this (after normalisation) match by substring only. */
export const FUZZY_MIN_LENGTH = 4;

/**
 * How a query is matched. "exact": substring after normalisation (prefix or
 * infix; GIN-trigram indexed). "fuzzy": trigram word similarity (`<%`, pg_trgm's
 * default threshold 0.6) for typos, used only by listing search (a small
 * table); customers, calls and global search correct typos through the
 * lexicon (plan-query.ts) instead. Fuzzy is a fallback used only when nothing matches exactly, so a
 * common word never turns a search into a similarity scan of every row.
 */
export type TMatchMode = "exact" | "fuzzy";

export function normMatches(normalised: SQL, q: string, mode: TMatchMode = "exact"): SQL {
  const n = normalizeSearch(q);
  // Short queries share a trigram with almost everything: substring only.
  if (mode === "fuzzy" && n.length >= FUZZY_MIN_LENGTH) return sql`(${n} <% ${normalised})`;
  return sql`(${normalised} like ${"%" + escapeLike(n) + "%"})`;
}

/** "exact" when the probe finds a substring match (or the query is too short for fuzzy), else "fuzzy". */
export async function pickMatchMode(q: string, hasExact: () => Promise<boolean>): Promise<TMatchMode> {
  // Phone-like queries are matched on digits; fuzzy text over digits matches everything.
  if (normalizeSearch(q).length < FUZZY_MIN_LENGTH || phoneDigits(q)) return "exact";
  return (await hasExact()) ? "exact" : "fuzzy";
}

/** `normMatches` over one column (normalised per row: only for small tables). */
export function textMatches(col: SQLWrapper | SQL, q: string, mode: TMatchMode = "exact"): SQL {
  return normMatches(normSql(col), q, mode);
}

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Digits of a phone-like query in the form stored numbers contain ("054-123" → "54123"). */
export function phoneDigits(q: string): string | null {
  const digits = q.replace(/\D/g, "");
  if (digits.length < 3 || /[^\d\s()+\-]/.test(q.trim())) return null;
  return digits.replace(/^972/, "").replace(/^0/, "");
}
