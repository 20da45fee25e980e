/**
 * The NLU's word patterns: deal and property types, cities and
 * neighbourhoods (with the prefixes ב/ל/מ/ה/ו), and how a caller says their
 * name ("קוראים לי…", "אני משה אזולאי"). Compiled once at load.
 */
import { isNumberWord } from "./hebrew-numbers";
import { CITIES, NEIGHBORHOODS, NOT_A_NAME } from "./nlu-lexicon";
import type { TPropertyType, TSlot } from "./nlu";

export const B = "(?:^|[\\s,.!?;:])";
export const E = "(?=$|[\\s,.!?;:])";
export const PREFIX = "(?:ו?(?:ב|ל|מ|ה|מה|וב|ול|ומ|שב|כ)?)";

const GLOBAL = new WeakMap<RegExp, RegExp>();
export function lastMatchIndex(text: string, re: RegExp): number {
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

export const SALE = new RegExp(`${B}(?:לקנות|לקניה|לקנייה|קנייה|קניה|לרכוש|רכישה|למכירה|קונה|קונים|למכור|מכירה|בקנייה|בקניה)${E}`);
export const RENT = new RegExp(`${B}(?:לשכור|שכירות|להשכרה|השכרה|שוכר|שוכרת|שוכרים|לשכירות|בשכירות|שכירה)${E}`);

export const PROPERTY_TYPES: Array<[TPropertyType, RegExp]> = [
  ["garden_apartment", new RegExp(`${B}${PREFIX}(?:דירת גן|דירות גן)${E}`)],
  ["penthouse", new RegExp(`${B}${PREFIX}(?:פנטהאוז|פנטהאוס|פנטאוז|דירת גג|דירות גג)${E}`)],
  ["duplex", new RegExp(`${B}${PREFIX}(?:דופלקס|דופלקסים)${E}`)],
  ["studio", new RegExp(`${B}${PREFIX}(?:סטודיו|דירת סטודיו)${E}`)],
  ["office", new RegExp(`${B}${PREFIX}(?:משרד|משרדים|משרדי)${E}`)],
  ["store", new RegExp(`${B}${PREFIX}(?:חנות|חנויות)${E}`)],
  ["apartment", new RegExp(`${B}${PREFIX}(?:דירה|דירת|דירות|דירונת)${E}`)],
];

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, (c) => `\\${c}`);

export const CITY_RES = Object.entries(CITIES).map(
  ([city, variants]) => [city, new RegExp(`${B}${PREFIX}(?:${variants.map(escapeRe).join("|")})${E}`)] as const,
);
export const HOOD_RES = NEIGHBORHOODS.map((n) => [n, new RegExp(`${B}${PREFIX}(?:שכונת |שכונה )?(?:${n.variants.map(escapeRe).join("|")})${E}`)] as const);

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

function startsWithPlace(text: string): boolean {
  const at0 = (re: RegExp) => re.exec(` ${text}`)?.index === 0;
  return CITY_RES.some(([, re]) => at0(re)) || HOOD_RES.some(([, re]) => at0(re));
}

/** The caller's name, when this utterance gives it (bare answers count when the name was just asked). */
export function extractName(t: string, expecting: TSlot | undefined): { name: string; span: string } | undefined {
  const intro = t.match(NAME_INTRO);
  const m = intro ?? t.match(I_AM);
  if (m && nameWordOk(m[1])) {
    // "אני משה אזולאי" is a full name; "אני רונית מתל אביב" is a first name and a place.
    const rest = m[2] ? t.slice((m.index ?? 0) + m[0].lastIndexOf(m[2])) : "";
    const name = nameWordOk(m[2]) && !startsWithPlace(rest) ? `${m[1]} ${m[2]}` : m[1];
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
