/**
 * Turn-taking helpers: does a transcript look like a finished Hebrew
 * sentence? If so the session may end the caller's turn after a short pause
 * instead of the full endpointing silence. Tuned on the corpus in
 * turn.test.ts: a caller who pauses after "ו…", "אבל", "של", "ש…", a
 * preposition, a construct noun ("דירת", "בשכונת") or in the middle of a
 * number ("שלוש מאות ו", "מיליון ומאתיים") is not done.
 */

/** Words after which a speaker is not done even if the recogniser wrote a full stop ("and…", "of…", "with…", "that I…"). */
const DANGLING = new Set([
  // connectives and prefixes said alone
  "ו", "ש", "ב", "ל", "מ", "ה", "כ", "וב", "ול", "ומ", "וה", "וש", "שב", "של", "כש", "או", "אבל", "כי", "אם", "גם", "רק", "אז", "ואז",
  "וגם", "ויש", "ואני", "ואם", "שאם", "כלומר", "נגיד", "למשל", "כמו", "כאילו", "יעני", "בעצם", "אולי", "כזה", "כזאת",
  // prepositions and relations that need an object
  "עם", "על", "אל", "את", "בין", "לבין", "עד", "מעל", "מתחת", "לפני", "אחרי", "ליד", "מול", "אצל", "בתוך", "בלי", "בשביל",
  "לגבי", "בקשר", "בנוגע", "מאשר", "הכי", "בערך", "בסביבות", "סביבות", "מקסימום", "מינימום",
  // "that I…", "that it…": a relative clause has started
  "שאני", "שאנחנו", "שזה", "שזאת", "שהוא", "שהיא", "שיש", "שאין", "שיהיה", "שתהיה", "שאפשר", "שלא", "שגם", "שנמצא", "שנמצאת",
  // construct nouns and phrases waiting for their noun
  "דירת", "שכונת", "בשכונת", "רחוב", "ברחוב", "ברח'", "קומת", "בקומה", "ביום", "בשעה",
  // fillers
  "אה", "אמ", "אממ", "אמממ", "אהה", "אההה", "רגע",
]);

/** Words that usually continue ("I want…", "something more…") unless the recogniser heard the sentence end. */
const OPEN_ENDED = new Set([
  "אני", "אנחנו", "רוצה", "רוצים", "מחפש", "מחפשת", "מחפשים", "צריך", "צריכה", "צריכים", "מעוניין", "מעוניינת", "מתעניין", "הוא", "היא",
  "מספר",
]);

/** "משהו יותר…" waits for the adjective; "קטן יותר" is whole. */
const COMPARATIVE = new Set(["יותר", "פחות"]);
const VAGUE = new Set(["משהו", "קצת", "הרבה", "עוד", "מעט"]);

/** Question words that end a turn only when the recogniser heard the question ("איפה?"). */
const ASKING = new Set(["איפה", "כמה", "מה", "איזה", "איזו", "מתי", "באיזה", "באיזו", "למה", "איך"]);

const HUNDREDS = /^ו?(?:מאה|מאתיים|מאות)$/;
const THOUSANDS = /^ו?(?:אלף|אלפים|אלפיים)$/;
const MILLIONS = /^ו?(?:מיליון|מליון|מיליונים)$/;

/**
 * A number cut off mid-count: hundreds with no thousands after a million
 * ("שלושה מיליון ומאתיים", "מיליון שמונה מאות") or with no unit at all
 * ("משרד של מאה"); "חמשת אלפים ושש מאות" is a whole amount.
 */
function numberCutOff(words: string[]): boolean {
  const last = words[words.length - 1]!;
  if (!HUNDREDS.test(last)) return false;
  for (let i = words.length - 2; i >= 0 && i >= words.length - 5; i--) {
    if (THOUSANDS.test(words[i]!)) return false;
    if (MILLIONS.test(words[i]!)) return true;
  }
  return true;
}

/**
 * True when the words look complete: sentence punctuation at the end, or at
 * least three words that do not end on a connective, preposition, construct
 * noun, filler or a number mid-count.
 *
 * @example
 *   looksComplete("אני מחפש דירה ברמת גן.") // true
 *   looksComplete("אני מחפש דירה עם")        // false
 *   looksComplete("עד שלושה מיליון ו")        // false
 */
export function looksComplete(text: string): boolean {
  const t = text.trim();
  if (!t) return false;
  if (/[,،:;\-–]$/.test(t)) return false;
  const words = t.replace(/[.!?…"״׳']+$/u, "").split(/\s+/).filter(Boolean);
  const last = words[words.length - 1] ?? "";
  if (DANGLING.has(last)) return false;
  if (numberCutOff(words)) return false;
  if (/[.!?…]$/.test(t)) return true;
  if (ASKING.has(last) || OPEN_ENDED.has(last)) return false;
  if (COMPARATIVE.has(last) && (words.length < 2 || VAGUE.has(words[words.length - 2]!))) return false;
  return words.length >= 3;
}
