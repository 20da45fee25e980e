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

/** The same normalisation as SQL over a column (or any text expression). */
export function normSql(col: SQLWrapper | SQL): SQL {
  return sql`lower(regexp_replace(regexp_replace(translate(coalesce(${col}, ''), ${"-\u05BE\u2010\u2011\u2012\u2013\u2014\u2015"}, '        '), ${"[\"'\u05F3\u05F4\u201C\u201D\u2018\u2019`\u0591-\u05BD\u05BF-\u05C7]"}, '', 'g'), '\\s+', ' ', 'g'))`;
}

/** Minimum word_similarity for a fuzzy hit (typos, missing letters). */
export const WORD_SIMILARITY_MIN = 0.5;
/** Queries shorter than this (after normalisation) match by substring only. */
export const FUZZY_MIN_LENGTH = 4;

/**
 * Condition "column matches the query": substring (prefix/infix, exact after
 * normalisation) or trigram word similarity for near misses.
 */
export function textMatches(col: SQLWrapper | SQL, q: string): SQL {
  const n = normalizeSearch(q);
  const norm = normSql(col);
  const like = sql`${norm} like ${"%" + escapeLike(n) + "%"}`;
  // Short queries share a trigram with almost everything: substring only.
  if (n.length < FUZZY_MIN_LENGTH) return sql`(${like})`;
  return sql`(${like} or word_similarity(${n}, ${norm}) >= ${WORD_SIMILARITY_MIN})`;
}

/** Relevance of a column for ordering results (1 = exact substring). */
export function textScore(col: SQLWrapper | SQL, q: string): SQL<number> {
  const n = normalizeSearch(q);
  const norm = normSql(col);
  return sql<number>`(case when ${norm} like ${"%" + escapeLike(n) + "%"} then 1 else word_similarity(${n}, ${norm}) end)`;
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
