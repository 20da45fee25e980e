/**
 * What a caller wants beyond search criteria: an owner who sells or rents a
 * property out, a complaint, a callback, a question about a proposed listing,
 * a specific advert ("ראיתי מודעה ברחוב הרצל"), and a listing size in square
 * metres. Pure functions over normalised text (see normalizeHebrew).
 */

const B = "(?:^|[\\s,.!?;:])";
const E = "(?=$|[\\s,.!?;:])";

/** Which details of a listing a caller can ask about; each is answered from the listing's own fields. */
export type TDetailKind = "price" | "location" | "parking" | "floor" | "elevator" | "size" | "rooms" | "general";

// "למכור"/"להשכיר" are what an owner does; a buyer says "לקנות"/"לשכור" (and "למכירה"/"להשכרה" describe a listing, either side).
const OWNER_SELL = new RegExp(`${B}(?:ל|ו|ול)?(?:מכור|מוכר|מוכרת|מוכרים|אמכור|נמכור)${E}`);
const OWNER_RENT = new RegExp(`${B}(?:ו|ול)?(?:להשכיר|משכיר|משכירה|משכירים|אשכיר|נשכיר)${E}`);
const OWN_PROPERTY = new RegExp(
  `(?:יש לי|יש לנו|ברשותי|בבעלותי|בעל|בעלת|בעלי)\\s+(?:ה)?(?:דירה|דירת|נכס|משרד|בית|פנטהאוז|דופלקס|חנות)|(?:ה)?(?:דירה|נכס|משרד|בית) שלי|(?:לפרסם|לתת לכם|למסור) (?:את )?(?:ה)?(?:דירה|נכס|משרד)`,
);
const LISTING_SALE = new RegExp(`${B}(?:ל|ב)?(?:מכירה)${E}`);
const LISTING_RENT = new RegExp(`${B}(?:ל|ב)?(?:השכרה)${E}`);
const BUYER = new RegExp(`${B}(?:ו|ול)?(?:לקנות|לשכור|מחפש|מחפשת|מחפשים)${E}`);

/** "sale" = the caller owns a property and wants to sell it; "rent" = to rent it out. */
export function detectOwner(t: string): "sale" | "rent" | undefined {
  const sell = OWNER_SELL.test(t);
  const rentOut = OWNER_RENT.test(t);
  if (sell || rentOut) {
    if (sell && rentOut) return t.search(OWNER_RENT) > t.search(OWNER_SELL) ? "rent" : "sale";
    return sell ? "sale" : "rent";
  }
  // "יש לי דירה להשכרה בגבעתיים": an owner's property, described by what is on offer.
  if (OWN_PROPERTY.test(t) && !BUYER.test(t)) {
    if (LISTING_RENT.test(t)) return "rent";
    if (LISTING_SALE.test(t)) return "sale";
  }
  return undefined;
}

const COMPLAINT = new RegExp(
  [
    "תלונה", "להתלונן", "מתלונן", "מתלוננת", "לא מרוצה", "מאוכזב", "מאוכזבת", "עצבני", "עצבנית", "כועס", "כועסת", "נמאס",
    "חוצפה", "זלזול", "מזלזלים", "לא רציני", "לא רציניים", "לא רצינית", "בושה", "שערורייה", "שערוריה", "גרוע", "גרועה",
    "אף אחד לא חזר", "אף אחד לא עונה", "לא חזרו אליי", "לא חזרו אלי", "לא חזר אליי", "לא חזר אלי", "לא חזרתם", "פעם שלישית",
    "פעם רביעית", "כבר שבוע", "כבר שבועיים", "מחכה כבר", "אתם לא עונים", "זה לא בסדר", "לא בסדר מצדכם", "מה זה השירות הזה",
    "שירות גרוע", "שירות מחפיר", "עבדתם עליי", "עבדתם עלי", "בזבוז זמן", "בזבזתם", "שיקרתם", "שקרנים", "מטומטם", "די כבר",
  ].join("|"),
);

/** Anger or a complaint about the service. */
export function detectComplaint(t: string): boolean {
  return COMPLAINT.test(t);
}

const CALLBACK = /(?:שיחזרו|שתחזרו|תחזרו|תחזרי|תחזור|שיחזור|שתחזור|לחזור) ?(?:אליי|אלי|אלינו)|שמישהו יחזור|חזרה טלפונית|שיתקשרו אליי|תתקשרו אליי/;

/** "תחזרו אליי", "שמישהו יחזור אליי": the caller asks to be called back. */
export function detectCallback(t: string): boolean {
  return CALLBACK.test(t);
}

const ASKS = /\?|(?:^|\s)(?:יש|אין|מה|איפה|באיזו|באיזה|איזו|איזה|כמה|האם|זה|היא|הוא|ספר|ספרי|תגיד|תגידי)(?=\s|$)/;

/** A question about a proposed listing ("יש חניה?", "באיזו קומה?", "איפה בדיוק?", "כמה מטר?"). */
export function detectDetails(t: string): TDetailKind | undefined {
  if (/כמה (?:זה |היא |הוא |היה |הם )?(?:עולה|עולים)|מה המחיר|כמה כסף|כמה מבקשים|מה השכירות|כמה השכירות/.test(t)) return "price";
  if (!ASKS.test(t)) return undefined;
  if (/חניה|חנייה|חניות|לחנות/.test(t)) return "parking";
  if (/מעלית/.test(t)) return "elevator";
  if (/(?:^|\s)(?:ב)?(?:איזו|איזה) קומה|(?:^|\s)קומה|קומת/.test(t)) return "floor";
  if (/כמה מטר|כמה מ"ר|מה הגודל|גודל|מטראז/.test(t)) return "size";
  if (/כמה חדרים/.test(t)) return "rooms";
  if (/(?:^|\s)איפה(?=$|[\s?,.!])|מה הכתובת|באיזה רחוב|איזה רחוב|כתובת|באיזה אזור|מה המיקום/.test(t)) return "location";
  if (/(?:עוד |יותר )?פרטים|ספר(?:י)? לי (?:עוד|על)|יש (?:שם )?(?:מרפסת|ממ"ד|מחסן|מזגן|מזגנים)/.test(t)) return "general";
  return undefined;
}

const SIZE_AFTER = /^(?:מטר|מטרים|מ"ר|מר|מ'|מטרים רבועים|מטר רבוע)$/;

/** Whether the word after a number marks square metres. */
export function isSizeUnit(word: string | undefined): boolean {
  return Boolean(word && SIZE_AFTER.test(word));
}

const STREET = /(?:^|\s)(?:ב|ל|מ)?(?:רחוב|רח') ([א-ת'"]{2,}(?: [א-ת'"]{2,})?)(?: (\d{1,4}))?/;
const SEEN_AD = /(?:ראיתי|ראינו|שמעתי על|יש לכם|פרסמתם|פורסמה|פורסם|מפורסמת) (?:את )?(?:ה)?(?:מודעה|פרסום|דירה|נכס|משרד)|מודעה (?:שלכם|על|ב)|ביד 2|ביד שתיים|באתר שלכם/;

/** A specific advert the caller saw: its street (first word is enough to find it) and whether they said "ראיתי מודעה". */
export function detectListingRef(t: string, isCityWord: (w: string) => boolean): { street?: string; seenAd: boolean } {
  const m = t.match(STREET);
  let street: string | undefined;
  if (m) {
    const words = m[1]!.split(" ");
    // "ברחוב הרצל בחולון": stop before the city.
    street = words.length > 1 && (isCityWord(words[1]!) || /^ב/.test(words[1]!)) ? words[0] : m[1];
  }
  return { ...(street ? { street } : {}), seenAd: SEEN_AD.test(t) };
}
