/**
 * Rule-based Hebrew NLU for the local brain (no keys). Tolerant of the
 * prefixes ב/ל/מ/ה/ו, of hyphens and gershayim (ת״א, רמת-גן), of spoken
 * numbers ("שלושה מיליון ומאתיים אלף", "ארבעה וחצי") and of short phone
 * answers when the dialog tells it what it just asked (`expecting`).
 */
import { isNumberWord, parseHebrewNumberWords } from "./hebrew-numbers";
import { parseTimeParts, type TTimeParts } from "./hebrew-time";
import { CITIES, NEIGHBORHOODS, NOT_A_NAME } from "./nlu-lexicon";

export type TDealType = "sale" | "rent";
export type TPropertyType = "apartment" | "office" | "penthouse" | "garden_apartment" | "duplex" | "studio" | "store";
export type TSlot = "dealType" | "propertyType" | "city" | "rooms" | "budget" | "name" | "time" | "viewing" | "choice" | "anything_else" | "message";

/** Everything one utterance said. Absent fields were not mentioned. */
export interface TNlu {
  text: string;
  dealType?: TDealType;
  propertyType?: TPropertyType;
  city?: string;
  neighborhood?: string;
  rooms?: number;
  /** Maximum budget in whole shekels (rent: monthly). */
  budget?: number;
  name?: string;
  time?: TTimeParts;
  yesNo?: "yes" | "no";
  /** "לא משנה", "גמיש": the caller does not mind (skip the slot). */
  dontCare?: boolean;
  goodbye?: boolean;
  human?: boolean;
  greeting?: boolean;
  thanks?: boolean;
  correction?: boolean;
  /** 0-based pick among proposed listings ("הראשונה", "השנייה"). */
  choice?: number;
  /** A question about a proposed listing ("כמה היא עולה?", "איפה זה?", "יש חניה?"). */
  askDetails?: "price" | "location" | "general";
}

export interface TNluOptions {
  /** What the dialog just asked; lets bare answers ("ארבעה", "דני") count. */
  expecting?: TSlot;
  /** Deal type known so far, to scale bare budgets ("שלוש וחצי" = 3.5M for sale, 3,500 for rent). */
  dealType?: TDealType;
}

/** Lower noise: niqqud, gershayim variants, hyphens, thousands separators. */
export function normalizeHebrew(text: string): string {
  return text
    .replace(/[\u0591-\u05C7]/g, (c) => (c === "\u05BE" ? " " : ""))
    .replace(/[״“”]/g, '"')
    .replace(/[׳’‘`]/g, "'")
    .replace(/(\d),(?=\d{3}\b)/g, "$1")
    .replace(/₪\s*(\d)/g, "$1 ₪ ")
    .replace(/(\d)\s*₪/g, "$1 ₪")
    .replace(/(\S)-(?=\S)/g, "$1 ")
    .replace(/\s+/g, " ")
    .trim();
}

const B = "(?:^|[\\s,.!?;:])";
const E = "(?=$|[\\s,.!?;:])";
const PREFIX = "(?:ו?(?:ב|ל|מ|ה|מה|וב|ול|ומ|שב|כ)?)";

const GLOBAL = new WeakMap<RegExp, RegExp>();
function lastMatchIndex(text: string, re: RegExp): number {
  let idx = -1;
  let g = GLOBAL.get(re);
  if (!g) GLOBAL.set(re, (g = new RegExp(re.source, "g")));
  g.lastIndex = 0;
  for (let m = g.exec(text); m; m = g.exec(text)) {
    idx = m.index;
    if (m[0].length === 0) g.lastIndex++;
  }
  return idx;
}

const SALE = new RegExp(`${B}(?:לקנות|לקניה|לקנייה|קנייה|קניה|לרכוש|רכישה|למכירה|קונה|קונים|למכור|מכירה|בקנייה|בקניה)${E}`);
const RENT = new RegExp(`${B}(?:לשכור|שכירות|להשכרה|השכרה|שוכר|שוכרת|שוכרים|לשכירות|בשכירות|שכירה)${E}`);

const PROPERTY_TYPES: Array<[TPropertyType, RegExp]> = [
  ["garden_apartment", new RegExp(`${B}${PREFIX}(?:דירת גן|דירות גן)${E}`)],
  ["penthouse", new RegExp(`${B}${PREFIX}(?:פנטהאוז|פנטהאוס|פנטאוז|דירת גג|דירות גג)${E}`)],
  ["duplex", new RegExp(`${B}${PREFIX}(?:דופלקס|דופלקסים)${E}`)],
  ["studio", new RegExp(`${B}${PREFIX}(?:סטודיו|דירת סטודיו)${E}`)],
  ["office", new RegExp(`${B}${PREFIX}(?:משרד|משרדים|משרדי)${E}`)],
  ["store", new RegExp(`${B}${PREFIX}(?:חנות|חנויות)${E}`)],
  ["apartment", new RegExp(`${B}${PREFIX}(?:דירה|דירת|דירות|דירונת)${E}`)],
];

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, (c) => `\\${c}`);

const CITY_RES = Object.entries(CITIES).map(
  ([city, variants]) => [city, new RegExp(`${B}${PREFIX}(?:${variants.map(escapeRe).join("|")})${E}`)] as const,
);
const HOOD_RES = NEIGHBORHOODS.map((n) => [n, new RegExp(`${B}${PREFIX}(?:שכונת |שכונה )?(?:${n.variants.map(escapeRe).join("|")})${E}`)] as const);

const NAME_INTRO = /(?:^|[\s,.!?])(?:קוראים לי|שמי|השם שלי(?: הוא| זה)?|מדבר|מדברת|פה|כאן)\s+([^\s,.!?]+)(?:\s+([^\s,.!?]+))?/;
const I_AM = /(?:^|[\s,.!?])אני\s+([^\s,.!?]+)(?:\s+([^\s,.!?]+))?/;

function nameWordOk(w: string | undefined): w is string {
  if (!w || w.length < 2) return false;
  if (!/^[א-ת'"]+$/.test(w)) return false;
  if (NOT_A_NAME.has(w) || (w.startsWith("ו") && (NOT_A_NAME.has(w.slice(1)) || w === "ואני"))) return false;
  if (isNumberWord(w)) return false;
  if (SALE.test(` ${w} `) || RENT.test(` ${w} `)) return false;
  if (PROPERTY_TYPES.some(([, re]) => re.test(` ${w} `))) return false;
  if (CITY_RES.some(([, re]) => re.test(` ${w} `))) return false;
  return true;
}

function extractName(t: string, expecting: TSlot | undefined): { name: string; span: string } | undefined {
  const intro = t.match(NAME_INTRO);
  const m = intro ?? t.match(I_AM);
  if (m && nameWordOk(m[1])) {
    const name = nameWordOk(m[2]) && (intro || expecting === "name") ? `${m[1]} ${m[2]}` : m[1];
    return { name, span: name };
  }
  if (expecting === "name") {
    const words = t
      .replace(/[,.!?]/g, " ")
      .split(" ")
      .filter(Boolean)
      .filter((w) => !/^(כן|בטח|אוקיי|בסדר|שמי|השם|שלי|זה|הוא|תרשמי|תרשום|על|שם)$/.test(w));
    const mentionsPlace = CITY_RES.some(([, re]) => re.test(t)) || HOOD_RES.some(([, re]) => re.test(t));
    if (!mentionsPlace && words.length >= 1 && words.length <= 3 && nameWordOk(words[0])) {
      const name = nameWordOk(words[1]) ? `${words[0]} ${words[1]}` : words[0];
      return { name, span: name };
    }
  }
  return undefined;
}

/** Runs of number tokens with their neighbours, for rooms and budget. */
function numberRuns(t: string): Array<{ words: string[]; before?: string; after?: string; value: number }> {
  const tokens = t.replace(/[,!?;]/g, " ").split(" ").filter(Boolean).map((w) => w.replace(/\.$/, ""));
  const runs: Array<{ words: string[]; before?: string; after?: string; value: number }> = [];
  let i = 0;
  while (i < tokens.length) {
    const first = cleanNumberToken(tokens[i]!);
    if (!first || first === "חצי" || (/^ו/.test(tokens[i]!) && first !== tokens[i])) {
      i++;
      continue;
    }
    const words = [first];
    let j = i + 1;
    while (j < tokens.length && isNumberWord(tokens[j]!)) words.push(tokens[j++]!);
    const value = parseHebrewNumberWords(words);
    if (value !== undefined) runs.push({ words, before: tokens[i - 1], after: tokens[j], value });
    i = j;
  }
  return runs;
}

function cleanNumberToken(w: string): string | undefined {
  if (isNumberWord(w)) return w;
  const m = w.match(/^(?:ב|כ|ל|מ|ה|עד)(.+)$/);
  if (m && isNumberWord(m[1]!)) return m[1]!;
  return undefined;
}

const MONEY_AFTER = /^(?:שקל|שקלים|ש"ח|שח|₪|ש'|nis)$/i;
const MONEY_BEFORE = /^(?:תקציב|בתקציב|עד|של|בערך|סביבות|בסביבות|מקסימום|כ|מחיר|במחיר|לשלם|משלם|להוציא)$/;
const SCALE_WORD = /^(?:ו?(?:מיליון|מליון|מיליונים|אלף|אלפים|אלפיים))$/;
const ROOMS_AFTER = /^(?:חדרים|חדר|חד'|חדרי)$/;

/** Compiled-once regexes for patterns built from strings (parsing runs on every utterance). */
const RX = new Map<string, RegExp>();
function rx(source: string): RegExp {
  let r = RX.get(source);
  if (!r) {
    r = new RegExp(source);
    RX.set(source, r);
  }
  return r;
}

/**
 * Understand one utterance.
 *
 * @example parseUtterance("מחפש לקנות דירת 4 חדרים ברמת-גן עד 3.3 מיליון").budget // 3_300_000
 */
export function parseUtterance(raw: string, opts: TNluOptions = {}): TNlu {
  let t = normalizeHebrew(raw);
  const out: TNlu = { text: t };
  const name = extractName(t, opts.expecting);
  if (name) {
    out.name = name.name;
    t = t.replace(name.span, " ");
  }

  const saleAt = lastMatchIndex(t, SALE);
  const rentAt = lastMatchIndex(t, RENT);
  if (saleAt >= 0 || rentAt >= 0) out.dealType = saleAt > rentAt ? "sale" : "rent";

  // The last mention wins ("לא דירה, משרד"); on the same spot the more specific type (listed first) wins.
  let typeAt = -1;
  for (const [type, re] of PROPERTY_TYPES) {
    const at = lastMatchIndex(t, re);
    if (at > typeAt) {
      typeAt = at;
      out.propertyType = type;
    }
  }

  let cityAt = -1;
  for (const [city, re] of CITY_RES) {
    const at = lastMatchIndex(t, re);
    if (at > cityAt) {
      cityAt = at;
      out.city = city;
    }
  }
  let hoodAt = -1;
  for (const [hood, re] of HOOD_RES) {
    const at = lastMatchIndex(t, re);
    if (at > hoodAt) {
      hoodAt = at;
      out.neighborhood = hood.name;
      if (cityAt < 0 || out.city === hood.city) out.city = hood.city;
    }
  }

  for (const run of numberRuns(t)) {
    const hasScale = run.words.some((w) => SCALE_WORD.test(w));
    if (run.after && ROOMS_AFTER.test(run.after) && run.value > 0 && run.value <= 20 && !hasScale) {
      out.rooms = run.value;
      continue;
    }
    const money = hasScale || (run.after && MONEY_AFTER.test(run.after)) || (run.before && MONEY_BEFORE.test(run.before) && run.value >= 1000);
    if (money && run.value >= 500) out.budget = Math.max(out.budget ?? 0, Math.round(run.value));
  }
  const roomWord = t.match(rx(`${B}(?:חדר אחד|חדר וחצי)${E}`));
  if (roomWord && out.rooms === undefined) out.rooms = roomWord[0].includes("וחצי") ? 1.5 : 1;

  // Bare answers to the question just asked.
  if (opts.expecting === "rooms" && out.rooms === undefined) {
    const run = numberRuns(t).find((r) => r.value > 0 && r.value <= 12 && !r.words.some((w) => SCALE_WORD.test(w)));
    if (run) out.rooms = run.value;
  }
  if (opts.expecting === "budget" && out.budget === undefined) {
    const run = numberRuns(t).find((r) => r.value > 0);
    if (run) {
      let v = run.value;
      if (v < 100) v *= opts.dealType === "rent" ? 1000 : 1_000_000;
      else if (v < 1000 && opts.dealType !== "rent") v *= 1000;
      if (v >= 500) out.budget = Math.round(v);
    }
  }

  const time = parseTimeParts(t);
  if (time) {
    // An hour alone counts only when a time is expected or a day/period is also said ("בחמש" may be rooms or a price).
    const strong = time.dayOffset !== undefined || time.weekday !== undefined || time.date !== undefined || time.period !== undefined || time.inMinutes !== undefined;
    if (strong || opts.expecting === "time" || opts.expecting === "viewing") out.time = time;
  }

  if (rx(`${B}(?:לא משנה|לא חשוב|מה שיש|גמיש|גמישה|פתוח לכל|פתוחה לכל|לא אכפת לי|אין לי העדפה|לא יודע|לא יודעת)${E}`).test(t)) out.dontCare = true;
  const noRe = rx(`(?:^|[\\s,.!?])(?:לא|ממש לא|אין צורך|לא מעוניין|לא מעוניינת|לא תודה|פחות|עדיף שלא)${E}`);
  // Strong yes words count anywhere; weak ones ("רוצה", "אפשר", "בסדר") only at the start of the answer.
  const yesStrong = rx(`(?:^|[\\s,.!?])(?:כן|בטח|בהחלט|אשמח|נשמע טוב|סבבה|יאללה|בשמחה|ודאי|כמובן|מצוין|מעולה)${E}`);
  const yesWeak = /^(?:אוקיי|אוקי|בסדר|למה לא|נכון|מתאים|בדיוק|רוצה|אפשר|קדימה|יופי|טוב|נהדר)(?:$|[\s,.!?])/;
  if (!out.dontCare && noRe.test(t) && !/^(?:כן|בטח|בהחלט)/.test(t)) out.yesNo = "no";
  else if (yesStrong.test(t) || yesWeak.test(t)) out.yesNo = "yes";

  if (rx(`${B}(?:להתראות|ביי|ביביי|יום טוב|ערב טוב לך|לילה טוב|שבוע טוב|זהו זה|זה הכל|זה הכול|זהו תודה|זהו, תודה|סיימנו|אין לי עוד שאלות|נדבר|שיהיה יום טוב)${E}`).test(t)) {
    out.goodbye = true;
  }
  if (rx(`${B}${PREFIX}(?:נציג|נציגה|נציגים|בן אדם|בנאדם|אדם אמיתי|מישהו אמיתי|סוכן|סוכנת|גורם אנושי|אנושי|מוקדן|מוקדנית|מנהל|מנהלת)${E}`).test(t)) {
    out.human = true;
  }
  if (/^(?:שלום|היי|הי|הלו|בוקר טוב|ערב טוב|צהריים טובים|אהלן|אהלן וסהלן)(?:$|[\s,.!?])/.test(t)) out.greeting = true;
  if (rx(`${B}(?:תודה|תודה רבה|תודה לך)${E}`).test(t)) out.thanks = true;
  if (rx(`${B}(?:בעצם|טעיתי|התכוונתי|סליחה|תתקן|תתקני|רגע)${E}`).test(t)) out.correction = true;

  if (/כמה (?:זה |היא |הוא |היה )?עולה|מה המחיר|מה המחיר שלה|כמה כסף/.test(t)) out.askDetails = "price";
  else if (/(?:^|\s)איפה(?=$|[\s?,.!])|מה הכתובת|באיזה רחוב|איזה רחוב|כתובת/.test(t)) out.askDetails = "location";
  else if (/(?:עוד |יותר )?פרטים|ספר(?:י)? לי (?:עוד|על)|באיזו קומה|איזו קומה|יש (?:שם )?(?:חניה|מרפסת|מעלית|ממ"ד|מחסן)|כמה מטר|מה הגודל/.test(t)) out.askDetails = "general";

  const choice = t.match(rx(`${B}(?:ה)?(?:אפשרות |דירה |נכס |משרד )?(?:ה)?(ראשונה|ראשון|שנייה|שניה|שני|שלישית|שלישי|אחרונה|אחרון)${E}`));
  if (choice && !/יום (?:ה)?(?:ראשון|שני|שלישי)/.test(t)) {
    const w = choice[1]!;
    out.choice = w.startsWith("ראשו") ? 0 : w.startsWith("שני") ? 1 : w.startsWith("שליש") ? 2 : -1;
  }
  return out;
}
