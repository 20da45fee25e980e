/**
 * Rule-based Hebrew NLU for the local brain (no keys). Tolerant of the
 * prefixes ב/ל/מ/ה/ו, of hyphens and gershayim (ת״א, רמת-גן), of spoken
 * numbers ("שלושה מיליון ומאתיים אלף", "ארבעה וחצי") and of short phone
 * answers when the dialog tells it what it just asked (`expecting`).
 */
import { isNumberWord, parseHebrewNumberWords } from "./hebrew-numbers";
import { parseTimeParts, type TTimeParts } from "./hebrew-time";
import { B, CITY_RES, E, extractName, HOOD_RES, lastMatchIndex, PREFIX, PROPERTY_TYPES, RENT, SALE } from "./nlu-patterns";
import { detectCallback, detectComplaint, detectDetails, detectListingRef, detectOwner, isSizeUnit, type TDetailKind } from "./nlu-intents";

export type TDealType = "sale" | "rent";
export type TPropertyType = "apartment" | "office" | "penthouse" | "garden_apartment" | "duplex" | "studio" | "store";
export type TSlot =
  | "dealType" | "propertyType" | "city" | "rooms" | "size" | "budget" | "name" | "time" | "viewing" | "choice" | "anything_else" | "message"
  /** An owner's property (sell / rent out): what, where, rooms or size, asking price. */
  | "listingType" | "listingCity" | "listingRooms" | "listingSize" | "listingPrice"
  /** After a complaint: a person now, or a callback. */
  | "complaint";

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
  /** Size in square metres ("משרד של מאה עשרים מטר"). */
  sizeSqm?: number;
  /** The caller owns a property and wants to sell it ("sale") or rent it out ("rent"). */
  owner?: TDealType;
  /** Anger or a complaint about the service. */
  complaint?: boolean;
  /** "תחזרו אליי": asks to be called back. */
  callback?: boolean;
  /** A specific advert: the street it named (first word). */
  street?: string;
  /** "ראיתי מודעה…": the caller refers to an advert they saw. */
  seenAd?: boolean;
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
  askDetails?: TDetailKind;
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
    if (isSizeUnit(run.after) && run.value >= 10 && run.value <= 20_000) {
      out.sizeSqm = Math.round(run.value);
      continue;
    }
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
  const expecting = opts.expecting === "listingRooms" ? "rooms" : opts.expecting === "listingPrice" ? "budget" : opts.expecting;
  if ((expecting === "size" || expecting === "listingSize") && out.sizeSqm === undefined) {
    const run = numberRuns(t).find((r) => r.value >= 10 && r.value <= 20_000 && !r.words.some((w) => SCALE_WORD.test(w)));
    if (run) out.sizeSqm = Math.round(run.value);
  }
  if (expecting === "rooms" && out.rooms === undefined) {
    const run = numberRuns(t).find((r) => r.value > 0 && r.value <= 12 && !r.words.some((w) => SCALE_WORD.test(w)));
    if (run) out.rooms = run.value;
  }
  if (expecting === "budget" && out.budget === undefined) {
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

  if (rx(`${B}(?:להתראות|ביי|ביביי|יום טוב|ערב טוב לך|לילה טוב|שבוע טוב|זהו|זהו זה|זה הכל|זה הכול|זהו תודה|זהו, תודה|סיימנו|אין לי עוד שאלות|נדבר|שיהיה יום טוב)${E}`).test(t)) {
    out.goodbye = true;
  }
  if (rx(`${B}${PREFIX}(?:נציג|נציגה|נציגים|בן אדם|בנאדם|אדם אמיתי|מישהו אמיתי|סוכן|סוכנת|גורם אנושי|אנושי|מוקדן|מוקדנית|מנהל|מנהלת)${E}`).test(t)) {
    out.human = true;
  }
  if (/^(?:שלום|היי|הי|הלו|בוקר טוב|ערב טוב|צהריים טובים|אהלן|אהלן וסהלן)(?:$|[\s,.!?])/.test(t)) out.greeting = true;
  if (rx(`${B}(?:תודה|תודה רבה|תודה לך)${E}`).test(t)) out.thanks = true;
  if (rx(`${B}(?:בעצם|טעיתי|התכוונתי|סליחה|תתקן|תתקני|רגע)${E}`).test(t)) out.correction = true;

  out.askDetails = detectDetails(t);
  const owner = detectOwner(t);
  if (owner) {
    // "למכור את הדירה שלי" is a listing on offer, not a search: no buyer deal type.
    out.owner = owner;
    delete out.dealType;
  }
  if (detectComplaint(t)) out.complaint = true;
  if (detectCallback(t)) out.callback = true;
  const ref = detectListingRef(t, (w) => CITY_RES.some(([, re]) => re.test(` ${w} `)));
  if (ref.street) out.street = ref.street;
  if (ref.seenAd) out.seenAd = true;

  const choice = t.match(rx(`${B}(?:ה)?(?:אפשרות |דירה |נכס |משרד )?(?:ה)?(ראשונה|ראשון|שנייה|שניה|שני|שלישית|שלישי|אחרונה|אחרון)${E}`));
  if (choice && !/יום (?:ה)?(?:ראשון|שני|שלישי)/.test(t)) {
    const w = choice[1]!;
    out.choice = w.startsWith("ראשו") ? 0 : w.startsWith("שני") ? 1 : w.startsWith("שליש") ? 2 : -1;
  }
  return out;
}
