/**
 * Turn-taking helpers: does a transcript look like a finished Hebrew
 * sentence? If so the session may end the caller's turn after a short pause
 * instead of the full endpointing silence.
 */

/** Words after which a speaker is rarely done ("I want a…", "in…", "and…"). */
const DANGLING = new Set([
  "ו", "של", "עם", "על", "אל", "את", "או", "אבל", "כי", "ש", "אם", "גם", "רק", "כמו", "בין", "עד", "לפני", "אחרי",
  "אני", "אנחנו", "רוצה", "רוצים", "מחפש", "מחפשת", "מחפשים", "צריך", "צריכה", "בערך", "אולי", "כזה", "כאילו",
  "אה", "אמ", "אממ", "אהה", "יעני", "בעצם", "ב", "ל", "מ", "ה",
]);

/**
 * True when the words look complete: sentence punctuation at the end, or at
 * least three words that do not end on a connective, preposition or filler.
 *
 * @example
 *   looksComplete("אני מחפש דירה ברמת גן.") // true
 *   looksComplete("אני מחפש דירה עם")        // false
 */
export function looksComplete(text: string): boolean {
  const t = text.trim();
  if (!t) return false;
  if (/[,،:;\-–]$/.test(t)) return false;
  const words = t.replace(/[.!?…"״׳']+$/u, "").split(/\s+/).filter(Boolean);
  const last = words[words.length - 1] ?? "";
  if (DANGLING.has(last)) return false;
  if (/[.!?…]$/.test(t)) return true;
  return words.length >= 3;
}
