/**
 * Turns what someone typed into what the database is asked for: the
 * normalised query, the phone digits it may be, and — when a word is not in
 * the business's search lexicon (table search_terms, kept by triggers) — the
 * lexicon words it most likely meant ("גולדבג" → "גולדברג"). Every search
 * then runs as an exact, trigram-indexed substring match on those variants;
 * no query ever runs a word-similarity scan over customers or transcripts.
 */
import { and, eq, sql } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { searchTerms } from "../../../db/schema";
import { escapeLike, FUZZY_MIN_LENGTH, normalizeSearch, phoneDigits } from "./hebrew-text";

export interface TQueryPlan {
  /** Normalised query (kesher_norm rules). Empty: nothing to search. */
  norm: string;
  /** Normalised phrases to match as substrings; the query itself, or its corrections. */
  variants: string[];
  /** The first correction when a word was corrected ("did you mean"), else null. */
  corrected: string | null;
  /** 1 for the query as typed; the trigram similarity of the correction otherwise. */
  confidence: number;
  /** Digits of a phone-like query ("054-123" → "54123"), else null. */
  digits: string | null;
}

/** Similarity a lexicon word needs to replace a typed word (pg_trgm's `%` default). */
const MIN_SIMILARITY = 0.3;
/** A second candidate is kept when it is this close to the best one. */
const RUNNER_UP_GAP = 0.08;
const MAX_VARIANTS = 4;

/** Lexicon look-up for one word: known (some term contains it) or its nearest terms. */
async function lookUpWord(db: TDb, businessId: string, word: string): Promise<{ known: boolean; candidates: { term: string; sim: number }[] }> {
  const pattern = `%${escapeLike(word)}%`;
  const rows = await db
    .select({ term: searchTerms.term, contains: sql<boolean>`${searchTerms.term} like ${pattern}`, sim: sql<number>`similarity(${searchTerms.term}, ${word})` })
    .from(searchTerms)
    .where(and(eq(searchTerms.businessId, businessId), sql`(${searchTerms.term} like ${pattern} or ${searchTerms.term} % ${word})`))
    .orderBy(sql`2 desc, 3 desc`)
    .limit(20);
  if (rows.some((r) => r.contains)) return { known: true, candidates: [] };
  const candidates = rows.map((r) => ({ term: r.term, sim: Number(r.sim) })).filter((r) => r.sim >= MIN_SIMILARITY);
  return { known: false, candidates };
}

/**
 * Plan a search. Correction is looked up only for words of 4+ letters that
 * no lexicon word contains (a prefix such as "גולד" is already an exact hit).
 */
export async function planQuery(db: TDb, businessId: string, q: string): Promise<TQueryPlan> {
  const norm = normalizeSearch(q);
  const digits = phoneDigits(q);
  if (!norm || digits) return { norm, variants: norm ? [norm] : [], corrected: null, confidence: 1, digits };
  const words = norm.split(" ");
  const looked = await Promise.all(words.map((w) => (w.length >= FUZZY_MIN_LENGTH && !/\d/.test(w) ? lookUpWord(db, businessId, w) : null)));
  if (looked.every((l) => !l || l.known)) return { norm, variants: [norm], corrected: null, confidence: 1, digits };
  let variants: { words: string[]; sim: number }[] = [{ words: [], sim: 1 }];
  words.forEach((w, i) => {
    const l = looked[i];
    const options = l && !l.known && l.candidates.length ? l.candidates.filter((c) => c.sim >= l.candidates[0]!.sim - RUNNER_UP_GAP).slice(0, 2) : [{ term: w, sim: 1 }];
    variants = variants.flatMap((v) => options.map((o) => ({ words: [...v.words, o.term], sim: v.sim * o.sim }))).slice(0, MAX_VARIANTS);
  });
  variants.sort((a, b) => b.sim - a.sim);
  const phrases = variants.map((v) => v.words.join(" "));
  const corrected = phrases[0] !== norm ? phrases[0]! : null;
  return { norm, variants: [...new Set(phrases)], corrected, confidence: corrected ? variants[0]!.sim : 1, digits };
}
