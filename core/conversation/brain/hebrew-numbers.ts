/**
 * Hebrew numbers, both ways: spoken words → number (for the NLU: "שלושה מיליון
 * ומאתיים אלף", "ארבעה וחצי") and number → natural spoken words (for the voice:
 * 3,250,000 → "שלושה מיליון מאתיים וחמישים אלף").
 */

/** Unit words (both genders, construct forms) → value. */
const UNITS: Record<string, number> = {
  אפס: 0,
  אחד: 1, אחת: 1,
  שניים: 2, שתיים: 2, שני: 2, שתי: 2, שנים: 2, שתים: 2,
  שלושה: 3, שלוש: 3, שלושת: 3, שלשה: 3, שלש: 3,
  ארבעה: 4, ארבע: 4, ארבעת: 4,
  חמישה: 5, חמש: 5, חמשת: 5, חמשה: 5,
  שישה: 6, שש: 6, ששת: 6, ששה: 6,
  שבעה: 7, שבע: 7, שבעת: 7,
  שמונה: 8, שמונת: 8,
  תשעה: 9, תשע: 9, תשעת: 9,
  עשרה: 10, עשר: 10, עשרת: 10,
};

const TENS: Record<string, number> = {
  עשרים: 20, שלושים: 30, ארבעים: 40, חמישים: 50, שישים: 60, שבעים: 70, שמונים: 80, תשעים: 90,
};

const HUNDREDS: Record<string, number> = { מאה: 100, מאתיים: 200 };
const THOUSANDS: Record<string, number> = { אלף: 1000, אלפים: 1000, אלפיים: 2000 };
const MILLIONS: Record<string, number> = { מיליון: 1_000_000, מליון: 1_000_000, מיליונים: 1_000_000 };

/** True when the word (with a leading ו/ב stripped) is part of a spoken number. */
export function isNumberWord(word: string): boolean {
  const w = stripConj(word);
  return w in UNITS || w in TENS || w in HUNDREDS || w === "מאות" || w in THOUSANDS || w in MILLIONS || w === "חצי" || /^\d/.test(w);
}

function stripConj(word: string): string {
  if (word.length > 2 && word.startsWith("ו")) {
    const rest = word.slice(1);
    if (rest in UNITS || rest in TENS || rest in HUNDREDS || rest in THOUSANDS || rest in MILLIONS || rest === "חצי" || /^\d/.test(rest)) return rest;
  }
  return word;
}

/**
 * Parse a run of spoken Hebrew number words (and digits) into a value.
 * Returns undefined when the words do not form a number.
 *
 * @example parseHebrewNumberWords(["שלושה", "מיליון", "ומאתיים", "אלף"]) // 3_200_000
 */
export function parseHebrewNumberWords(words: string[]): number | undefined {
  let total = 0;
  let current = 0;
  let seen = false;
  let lastScale = 1;
  for (let i = 0; i < words.length; i++) {
    const w = stripConj(words[i]!);
    const next = words[i + 1] ? stripConj(words[i + 1]!) : undefined;
    if (/^\d+(\.\d+)?$/.test(w)) {
      current += Number(w);
      seen = true;
    } else if (w in UNITS) {
      // "אחת עשרה", "שלושה עשר": a unit followed by עשר/עשרה is a teen.
      if ((next === "עשר" || next === "עשרה") && UNITS[w]! < 10) {
        current += UNITS[w]! + 10;
        i++;
      } else current += UNITS[w]!;
      seen = true;
    } else if (w in TENS) {
      current += TENS[w]!;
      seen = true;
    } else if (w in HUNDREDS) {
      current += HUNDREDS[w]!;
      seen = true;
    } else if (w === "מאות") {
      current = (current || 1) * 100;
      seen = true;
    } else if (w in THOUSANDS) {
      const v = THOUSANDS[w]!;
      total += v === 2000 ? 2000 + current * 1000 : (current || 1) * 1000;
      current = 0;
      lastScale = 1000;
      seen = true;
    } else if (w in MILLIONS) {
      total += (current || 1) * 1_000_000;
      current = 0;
      lastScale = 1_000_000;
      seen = true;
    } else if (w === "חצי" && seen) {
      // "מיליון וחצי" = 1.5M, "ארבעה וחצי" = 4.5, "שבעת אלפים וחצי" = 7500.
      if (current === 0 && total > 0) total += lastScale / 2;
      else current += 0.5;
    } else if (w === "רבע" && seen && current === 0 && total > 0) {
      total += lastScale / 4;
    } else {
      return undefined;
    }
  }
  if (!seen) return undefined;
  // "שלושה מיליון שלוש מאות" means 3,300,000: after millions, a bare count below 1000 is thousands.
  if (lastScale === 1_000_000 && current >= 1 && current < 1000 && Number.isInteger(current)) return total + current * 1000;
  return total + current;
}

// ---------------------------------------------------------------- speaking

const M_UNITS = ["", "אחד", "שניים", "שלושה", "ארבעה", "חמישה", "שישה", "שבעה", "שמונה", "תשעה"];
const F_UNITS = ["", "אחת", "שתיים", "שלוש", "ארבע", "חמש", "שש", "שבע", "שמונה", "תשע"];
const M_TEENS = ["עשרה", "אחד עשר", "שנים עשר", "שלושה עשר", "ארבעה עשר", "חמישה עשר", "שישה עשר", "שבעה עשר", "שמונה עשר", "תשעה עשר"];
const F_TEENS = ["עשר", "אחת עשרה", "שתים עשרה", "שלוש עשרה", "ארבע עשרה", "חמש עשרה", "שש עשרה", "שבע עשרה", "שמונה עשרה", "תשע עשרה"];
const TENS_W = ["", "", "עשרים", "שלושים", "ארבעים", "חמישים", "שישים", "שבעים", "שמונים", "תשעים"];
const HUNDREDS_W = ["", "מאה", "מאתיים", "שלוש מאות", "ארבע מאות", "חמש מאות", "שש מאות", "שבע מאות", "שמונה מאות", "תשע מאות"];
const THOUSANDS_CONSTRUCT = ["", "אלף", "אלפיים", "שלושת אלפים", "ארבעת אלפים", "חמשת אלפים", "ששת אלפים", "שבעת אלפים", "שמונת אלפים", "תשעת אלפים", "עשרת אלפים"];

/** Components of 1..999 without the joining ו (added by the caller). */
function below1000(n: number, feminine: boolean): string[] {
  const parts: string[] = [];
  const h = Math.floor(n / 100);
  const rest = n % 100;
  if (h) parts.push(HUNDREDS_W[h]!);
  if (rest >= 10 && rest < 20) parts.push((feminine ? F_TEENS : M_TEENS)[rest - 10]!);
  else {
    const t = Math.floor(rest / 10);
    const u = rest % 10;
    if (t) parts.push(TENS_W[t]!);
    if (u) parts.push((feminine ? F_UNITS : M_UNITS)[u]!);
  }
  return parts;
}

function joinGroup(parts: string[]): string {
  return parts.map((p, i) => (i === parts.length - 1 && i > 0 ? `ו${p}` : p)).join(" ");
}

/**
 * A whole number in natural spoken Hebrew (masculine counting, as for shekels).
 *
 * @example hebrewNumber(3_250_000) // "שלושה מיליון מאתיים וחמישים אלף"
 * @example hebrewNumber(7_800)     // "שבעת אלפים ושמונה מאות"
 */
export function hebrewNumber(value: number, opts: { feminine?: boolean } = {}): string {
  const n = Math.round(Math.abs(value));
  if (n === 0) return "אפס";
  const millions = Math.floor(n / 1_000_000);
  const thousands = Math.floor((n % 1_000_000) / 1000);
  const rest = n % 1000;
  const components: string[] = [];
  if (millions) components.push(millions === 1 ? "מיליון" : millions === 2 ? "שני מיליון" : `${joinGroup(below1000(millions, false))} מיליון`);
  if (thousands) {
    if (thousands <= 10) components.push(THOUSANDS_CONSTRUCT[thousands]!);
    else components.push(`${joinGroup(below1000(thousands, false))} אלף`);
  }
  if (rest) {
    const parts = below1000(rest, opts.feminine ?? false);
    // Below a thousand the group's own ו joins its last part; otherwise the number's last component takes it.
    if (components.length === 0) return joinGroup(parts);
    components.push(...parts);
  }
  if (components.length > 1) {
    const last = components.length - 1;
    // "שלושה מיליון וחמש מאות אלף" but "שלושה מיליון מאתיים וחמישים אלף" (that group already has its ו).
    if (!components[last]!.startsWith("ו") && !components[last]!.includes(" ו")) components[last] = `ו${components[last]}`;
  }
  return components.join(" ");
}

/**
 * A price spoken naturally with the currency.
 *
 * @example speakPrice(3_250_000) // "שלושה מיליון מאתיים וחמישים אלף שקל"
 */
export function speakPrice(shekels: number): string {
  return `${hebrewNumber(shekels)} שקל`;
}

/**
 * Room count spoken naturally: 4 → "ארבעה חדרים", 3.5 → "שלושה וחצי חדרים", 1 → "חדר אחד".
 */
export function speakRooms(rooms: number): string {
  const whole = Math.floor(rooms);
  const half = rooms - whole >= 0.5;
  if (whole === 1 && !half) return "חדר אחד";
  if (whole === 1 && half) return "אחד וחצי חדרים";
  return `${hebrewNumber(whole)}${half ? " וחצי" : ""} חדרים`;
}
