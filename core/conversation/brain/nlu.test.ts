import { describe, expect, test } from "bun:test";
import { parseUtterance, type TNlu, type TNluOptions } from "./nlu";

type TCase = [string, Partial<TNlu>, TNluOptions?];

const CASES: TCase[] = [
  // deal type
  ["אני מחפש לקנות דירה", { dealType: "sale", propertyType: "apartment" }],
  ["מעוניינת בקנייה", { dealType: "sale" }],
  // an owner selling or renting out is not a buyer
  ["רוצה למכור את הדירה שלי", { owner: "sale", dealType: undefined }],
  ["יש לי דירה להשכרה בגבעתיים", { owner: "rent", dealType: undefined, city: "גבעתיים" }],
  ["אני משכירה משרד ברמת גן", { owner: "rent", propertyType: "office" }],
  ["מחפש דירה להשכרה", { owner: undefined, dealType: "rent" }],
  // size, full names, complaints, questions about a listing, a specific advert
  ["משרד של מאה עשרים מטר", { propertyType: "office", sizeSqm: 120 }],
  ['משרד 250 מ"ר', { sizeSqm: 250 }],
  ["אני משה אזולאי", { name: "משה אזולאי" }],
  ["אני רונית מתל אביב", { name: "רונית", city: "תל אביב" }],
  ["אף אחד לא חזר אליי, זה לא בסדר", { complaint: true }],
  ["יש שם חניה?", { askDetails: "parking" }],
  ["באיזו קומה היא", { askDetails: "floor" }],
  ["יש מעלית", { askDetails: "elevator" }],
  ["ראיתי מודעה על דירה ברחוב הרצל בחולון", { street: "הרצל", seenAd: true, city: "חולון" }],
  ["אני רוצה לשכור", { dealType: "rent" }],
  ["משהו בשכירות", { dealType: "rent" }],
  ["יש לכם דירות להשכרה?", { dealType: "rent", propertyType: "apartment" }],
  ["לא לקנות, לשכור", { dealType: "rent" }],
  // property type
  ["מחפש משרד", { propertyType: "office" }],
  ["דירת גן בירושלים", { propertyType: "garden_apartment", city: "ירושלים" }],
  ["פנטהאוז בתל אביב", { propertyType: "penthouse", city: "תל אביב" }],
  ["אולי דופלקס", { propertyType: "duplex" }],
  ["סטודיו קטן", { propertyType: "studio" }],
  // cities and neighbourhoods, prefixes and spellings
  ["ברמת-גן", { city: "רמת גן" }],
  ["ברמת גן", { city: "רמת גן" }],
  ["בת״א", { city: "תל אביב" }],
  ['בת"א', { city: "תל אביב" }],
  ["בתל-אביב", { city: "תל אביב" }],
  ["מתל אביב", { city: "תל אביב" }],
  ["לחיפה", { city: "חיפה" }],
  ["בפתח תקוה", { city: "פתח תקווה" }],
  ["בראשל״צ", { city: "ראשון לציון" }],
  ["בגבעתיים או ברמת גן", { city: "רמת גן" }],
  ["בשכונת הבורסה", { neighborhood: "הבורסה", city: "רמת גן" }],
  ["ברמת אביב", { neighborhood: "רמת אביב", city: "תל אביב" }],
  ["בנווה צדק", { neighborhood: "נווה צדק", city: "תל אביב" }],
  ["ברחביה בירושלים", { neighborhood: "רחביה", city: "ירושלים" }],
  // rooms
  ["4 חדרים", { rooms: 4 }],
  ["ארבעה חדרים", { rooms: 4 }],
  ["ארבע חדרים", { rooms: 4 }],
  ["3.5 חדרים", { rooms: 3.5 }],
  ["שלושה וחצי חדרים", { rooms: 3.5 }],
  ["דירת 5 חדרים בחיפה", { rooms: 5, city: "חיפה", propertyType: "apartment" }],
  ["חדר וחצי", { rooms: 1.5 }],
  ["ארבעה", { rooms: 4 }, { expecting: "rooms" }],
  ["בערך 3", { rooms: 3 }, { expecting: "rooms" }],
  // budget
  ["עד 3 מיליון", { budget: 3_000_000 }],
  ["3.2 מיליון", { budget: 3_200_000 }],
  ["שלושה מיליון", { budget: 3_000_000 }],
  ["שלושה מיליון ושלוש מאות אלף", { budget: 3_300_000 }],
  ["שלושה מיליון מאתיים וחמישים אלף שקל", { budget: 3_250_000 }],
  ["מיליון וחצי", { budget: 1_500_000 }],
  ["שני מיליון", { budget: 2_000_000 }],
  ["עד 7000 שקל", { budget: 7000 }],
  ["7,000 ש״ח", { budget: 7000 }],
  ["שבעת אלפים שקל לחודש", { budget: 7000 }],
  ["8 אלף", { budget: 8000 }],
  ["תקציב של 3,300,000", { budget: 3_300_000 }],
  ["בערך שלוש וחצי", { budget: 3_500_000 }, { expecting: "budget", dealType: "sale" }],
  ["שבע וחצי", { budget: 7_500 }, { expecting: "budget", dealType: "rent" }],
  // names
  ["קוראים לי דני כהן", { name: "דני כהן" }],
  ["שמי רונית", { name: "רונית" }],
  ["השם שלי הוא משה לוי", { name: "משה לוי" }],
  ["אני יוסי", { name: "יוסי" }],
  ["קוראים לי משה ואני רוצה לשכור", { name: "משה", dealType: "rent" }],
  ["שמי הדר", { name: "הדר" }],
  ["דנה ישראלי", { name: "דנה ישראלי" }, { expecting: "name" }],
  // yes/no, goodbye, human
  ["כן", { yesNo: "yes" }],
  ["בטח, אשמח", { yesNo: "yes" }],
  ["לא תודה", { yesNo: "no" }],
  ["לא משנה", { dontCare: true }],
  ["תודה, להתראות", { goodbye: true }],
  ["ביי", { goodbye: true }],
  ["אני רוצה לדבר עם נציג", { human: true }],
  ["תעבירי אותי לבן אדם", { human: true }],
  ["לא, בעצם 5 חדרים", { rooms: 5, correction: true, yesNo: "no" }],
  ["הדירה השנייה", { choice: 1 }],
  ["הראשונה", { choice: 0 }],
  // whole sentences as callers say them
  ["אני מעוניין בדירה להשכרה בגבעתיים, שלושה חדרים, עד שבעת אלפים", { dealType: "rent", propertyType: "apartment", city: "גבעתיים", rooms: 3, budget: 7000 }],
  ["דירה בת 4 חדרים בבת ים", { rooms: 4, city: "בת ים", propertyType: "apartment" }],
  ["משהו עד 2.5 מיליון", { budget: 2_500_000 }],
  ["תקציב של מיליון שמונה מאות", { budget: 1_800_000 }],
  ["בין שלושה לארבעה מיליון", { budget: 4_000_000 }],
  ["שלום, מדברת רונית, אני מחפשת משרד להשכרה בהרצליה פיתוח", { name: "רונית", propertyType: "office", dealType: "rent", neighborhood: "הרצליה פיתוח", city: "הרצליה" }],
  ["יש לכם פנטהאוז בנווה צדק?", { propertyType: "penthouse", neighborhood: "נווה צדק", city: "תל אביב" }],
  ["מחפשים דירת 5 חדרים בפתח-תקווה לקנייה", { rooms: 5, city: "פתח תקווה", dealType: "sale" }],
  ["ארבעה וחצי חדרים", { rooms: 4.5 }],
  ["בערך 3,300,000 ₪", { budget: 3_300_000 }],
  ["סבבה, מתאים לי", { yesNo: "yes" }],
  ["ממש לא", { yesNo: "no" }],
  ["זהו, תודה רבה, יום טוב", { goodbye: true }],
];

describe("nlu: table of real Hebrew phrasings", () => {
  for (const [text, expected, opts] of CASES) {
    test(`${text} ${opts ? JSON.stringify(opts) : ""}`, () => {
      const got = parseUtterance(text, opts);
      for (const [k, v] of Object.entries(expected)) expect({ k, v: got[k as keyof TNlu] }).toEqual({ k, v });
    });
  }
});

describe("nlu: things it must not invent", () => {
  test("'אני מחפש' is not a name; a price is not rooms; a city is not a name", () => {
    expect(parseUtterance("אני מחפש דירה").name).toBeUndefined();
    expect(parseUtterance("עד 3 מיליון").rooms).toBeUndefined();
    expect(parseUtterance("ברמת גן", { expecting: "name" }).name).toBeUndefined();
  });
  test("'יום ראשון' is a day, not the first listing nor ראשון לציון", () => {
    const r = parseUtterance("ביום ראשון בעשר");
    expect(r.choice).toBeUndefined();
    expect(r.city).toBeUndefined();
    expect(r.time?.weekday).toBe(0);
    expect(r.time?.hour).toBe(10);
  });
  test("'נוף לים' does not mean Jerusalem; '3.5 חדרים' is not a date", () => {
    expect(parseUtterance("עם נוף לים").city).toBeUndefined();
    expect(parseUtterance("3.5 חדרים").time).toBeUndefined();
  });
  test("a 'רוצה' inside a request for a person is not a yes", () => {
    expect(parseUtterance("אני רוצה לדבר עם נציג").yesNo).toBeUndefined();
  });
});

/** Deterministic PRNG so a failure is reproducible. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FUZZ_PIECES = [
  "דירה", "ברמת-גן", "ת״א", "מיליון", "וחצי", "חדרים", "ב-5", "מחר", "לא", "כן", "שמי", "אני", "נציג", "ביי", "3.5", "7,000", "₪", "?", "!!!",
  "״", "׳", "-", "🙂", "\u200f", "   ", "שלושת", "אלפים", "ומאתיים", "יום", "שבת", "ה-10", "בדצמבר", "12:99", "99/99", "קוראים לי", "אאאאאאאא", "x".repeat(50),
];

describe("nlu: hostile input never throws", () => {
  test("2,000 random utterances (fixed seed)", () => {
    const rand = mulberry32(42);
    for (let i = 0; i < 2000; i++) {
      const n = Math.floor(rand() * 12);
      const text = Array.from({ length: n }, () => FUZZ_PIECES[Math.floor(rand() * FUZZ_PIECES.length)]).join(rand() < 0.5 ? " " : "");
      const r = parseUtterance(text, { expecting: (["rooms", "budget", "name", "time", undefined] as const)[i % 5] });
      expect(typeof r.text).toBe("string");
      if (r.rooms !== undefined) expect(Number.isFinite(r.rooms)).toBe(true);
      if (r.budget !== undefined) expect(Number.isFinite(r.budget) && r.budget > 0).toBe(true);
    }
    expect(parseUtterance("א".repeat(20_000)).text.length).toBe(20_000);
  });
});
