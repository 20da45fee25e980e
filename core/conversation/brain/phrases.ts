/**
 * What the local brain says: short phone sentences, numbers spoken in words
 * (the TTS reads "3,250,000" badly; "שלושה מיליון מאתיים וחמישים אלף" well).
 */
import { hebrewNumber, speakPrice, speakRooms } from "./hebrew-numbers";
import { DEFAULT_TZ, localParts, speakDateTime } from "./hebrew-time";
import type { TPropertyHit } from "./tools/search-properties";
import type { TSlot } from "./nlu";
import type { TDetailKind } from "./nlu-intents";

const QUESTIONS: Partial<Record<TSlot, string[]>> = {
  dealType: ["מחפשים לקנות או לשכור?", "זה לקנייה או לשכירות?"],
  propertyType: ["מחפשים דירה או משרד?", "איזה נכס, דירה או משרד?"],
  city: ["באיזו עיר?", "באיזה אזור או עיר תרצו?"],
  rooms: ["כמה חדרים?", "כמה חדרים אתם צריכים בערך?"],
  size: ["כמה מטר בערך?", "מה הגודל שאתם צריכים, בערך כמה מטר?"],
  budget: ["ומה התקציב בערך?", "מה התקציב המקסימלי?"],
  name: ["על שם מי לרשום את הפגישה?", "איך קוראים לך?"],
  time: ["מתי נוח לך לבוא לראות? למשל מחר בחמש.", "באיזה יום ושעה נוח לך?"],
  viewing: ["רוצה לקבוע צפייה?", "לקבוע לך פגישת צפייה?"],
  choice: ["איזה מהם מעניין אותך, הראשון או השני?", "בחרת את הראשון או את השני?"],
  anything_else: ["אפשר לעזור במשהו נוסף?", "יש עוד משהו שאפשר לעזור בו?"],
  message: ["מה למסור לנציג?", "מה לרשום בהודעה?"],
  listingType: ["איזה נכס זה, דירה או משרד?", "מה סוג הנכס?"],
  listingCity: ["איפה הנכס נמצא?", "באיזו עיר ובאיזה רחוב?"],
  listingRooms: ["כמה חדרים יש בדירה?", "כמה חדרים יש בנכס?"],
  listingSize: ["מה הגודל, כמה מטר בערך?", "כמה מטר הנכס?"],
  listingPrice: ["יש לך מחיר מבוקש בראש?", "על איזה מחיר חשבת?"],
  complaint: ["להעביר אותך עכשיו לנציג, או שנציג יחזור אליך?", "מה עדיף לך: נציג עכשיו, או שיחזרו אליך?"],
};

/** The question for a slot; `attempt` picks a different wording on a re-ask. */
export function question(slot: TSlot, attempt = 0): string {
  const variants = QUESTIONS[slot] ?? ["אפשר לחזור על זה?"];
  return variants[attempt % variants.length]!;
}

/** Voice (calls, test call): numbers in words. Text (WhatsApp): digits, which read better. */
export type TStyle = "voice" | "text";

const priceOf = (shekels: number, style: TStyle) => (style === "voice" ? speakPrice(shekels) : `${shekels.toLocaleString("en-US")} ₪`);
const roomsOf = (rooms: number, style: TStyle) => (style === "voice" ? speakRooms(rooms) : `${rooms} חדרים`);

/** An appointment time: "מחר בחמש אחרי הצהריים" (voice) or "מחר (26.11) ב-17:00" (text). */
export function sayWhen(when: Date, now: Date, tz: string = DEFAULT_TZ, style: TStyle = "voice"): string {
  if (style === "voice") return speakDateTime(when, now, tz);
  const w = localParts(when, tz);
  const day = speakDateTime(when, now, tz).replace(/ ב[^,]*$/, "").replace(/,$/, "");
  return `${day} (${w.day}.${w.month}) ב-${String(w.hour).padStart(2, "0")}:${String(w.minute).padStart(2, "0")}`;
}

const TYPE_WORD: Record<string, string> = {
  apartment: "דירת",
  penthouse: "פנטהאוז",
  garden_apartment: "דירת גן",
  duplex: "דופלקס",
  studio: "סטודיו",
  office: "משרד",
  store: "חנות",
};

/**
 * One listing in a breath.
 *
 * @example describeProperty(hit) // "דירת ארבעה חדרים בשכונת הבורסה ברמת גן, שלושה מיליון מאתיים וחמישים אלף שקל"
 */
export function describeProperty(p: TPropertyHit, style: TStyle = "voice"): string {
  const type = TYPE_WORD[p.propertyType] ?? "נכס";
  let what: string;
  if (p.propertyType === "office" || p.propertyType === "store") what = p.sizeSqm ? `${type} של ${style === "voice" ? hebrewNumber(p.sizeSqm) : p.sizeSqm} מטר` : type;
  else if (p.propertyType === "studio" || p.rooms === null) what = type;
  else if (p.propertyType === "apartment") what = `${type} ${roomsOf(p.rooms, style)}`;
  else what = `${type} של ${roomsOf(p.rooms, style)}`;
  const where = p.neighborhood ? `בשכונת ${p.neighborhood} ב${p.city}` : `ב${p.city}`;
  const price = `${priceOf(p.price, style)}${p.dealType === "rent" ? " לחודש" : ""}`;
  return `${what} ${where}, ${price}`;
}

export const ORDINALS = ["הראשון", "השני", "השלישי"];

const has = (p: TPropertyHit, re: RegExp) => p.features.find((f) => re.test(f));
const spokenFloor = (n: number, style: TStyle) => (style === "voice" ? hebrewNumber(n, { feminine: true }) : String(n));

/** Answer a question about one proposed listing from its own fields, in one or two short sentences. */
export function describeDetails(p: TPropertyHit, kind: TDetailKind, style: TStyle = "voice"): string {
  const where = `${p.street ? `ברחוב ${p.street}, ` : ""}${p.neighborhood ? `בשכונת ${p.neighborhood}, ` : ""}${p.city}`;
  const floor =
    p.floor === null || p.floor === undefined
      ? ""
      : p.floor === 0
        ? "קומת קרקע"
        : `קומה ${spokenFloor(p.floor, style)}${p.totalFloors ? ` מתוך ${spokenFloor(p.totalFloors, style)}` : ""}`;
  switch (kind) {
    case "price":
      return `המחיר ${priceOf(p.price, style)}${p.dealType === "rent" ? " לחודש" : ""}.`;
    case "location":
      return `הנכס נמצא ${where}.`;
    case "parking": {
      const f = has(p, /חני/);
      return f ? `כן, יש ${f}.` : "במודעה לא מופיעה חניה.";
    }
    case "elevator":
      if (has(p, /מעלית/)) return `כן, יש מעלית${floor ? `, ${floor}` : ""}.`;
      return `במודעה לא מופיעה מעלית${floor ? `, ו${floor === "קומת קרקע" ? "זו קומת קרקע" : `זו ${floor}`}` : ""}.`;
    case "floor":
      return floor ? `${floor}${has(p, /מעלית/) ? ", עם מעלית" : ""}.` : "הקומה לא מופיעה אצלי.";
    case "size":
      return p.sizeSqm ? `${style === "voice" ? hebrewNumber(p.sizeSqm) : p.sizeSqm} מטר.` : "הגודל לא מופיע אצלי.";
    case "rooms":
      return p.rooms ? `${roomsOf(p.rooms, style)}.` : "מספר החדרים לא מופיע אצלי.";
    default: {
      const parts = [p.sizeSqm ? `${p.sizeSqm} מטר` : "", floor, p.features.length ? `יש ${p.features.slice(0, 4).join(", ")}` : ""].filter(Boolean);
      return `${where}. ${parts.join(", ")}.`;
    }
  }
}

export const SAY = {
  ack: ["מעולה.", "הבנתי.", "אוקיי."],
  notUnderstood: "סליחה, לא הבנתי.",
  transfer: "בשמחה. אני מעבירה אותך לנציג, רק רגע.",
  transferAfterMisses: "נראה לי שנציג יוכל לעזור לך יותר טוב. אני מעבירה אותך, רק רגע.",
  // "בע״מ" is for invoices, not for the ear.
  goodbye: (business?: string) => {
    const name = business?.replace(/\s+בע["״]מ\.?$/, "").trim();
    return name ? `תודה שפנית ל${name}. יום נעים, להתראות!` : "תודה שפנית אלינו. יום נעים, להתראות!";
  },
  noMatches: "כרגע אין לי נכס שמתאים בדיוק. רשמתי את הפרטים, ונציג יחזור אליך עם הצעות.",
  relaxed: "לא מצאתי בדיוק מה שביקשת, אבל יש משהו קרוב.",
  slotTaken: "השעה הזאת כבר תפוסה.",
  closed: "בשעה הזאת המשרד סגור.",
  noSlots: "אין זמן פנוי בשבועיים הקרובים. נציג יחזור אליך לתאם.",
  timeInPast: "השעה הזאת כבר עברה.",
  bookingFailed: "לא הצלחתי לקבוע בזמן הזה.",
  greeting: "שלום! במה אפשר לעזור?",
  closedTakeMessage: (when: string | null) => `המשרד סגור כרגע${when ? ` ויפתח ${when}` : ""}. אשמח לרשום הודעה, ונציג יחזור אליך.`,
  noAgentTakeMessage: "כרגע אין נציג זמין. אשמח לרשום הודעה, ונציג יחזור אליך.",
  closedRecordMessage: (when: string | null) => `המשרד סגור כרגע${when ? ` ויפתח ${when}` : ""}. אעביר אותך להשאיר הודעה, ונציג יחזור אליך.`,
  noAgentRecordMessage: "כרגע אין נציג זמין. אעביר אותך להשאיר הודעה, ונציג יחזור אליך.",
  messageTaken: "רשמתי את ההודעה. נציג יחזור אליך בהקדם.",
  welcomeBack: (name: string) => `שלום ${name}, טוב לשמוע ממך שוב.`,
  noViewing: "בסדר גמור.",
  whatElse: "במה עוד אפשר לעזור?",
  niceToMeet: (name: string) => `נעים מאוד, ${name}.`,
  complaintAck: "אני מאוד מצטערת על זה, ואני מבינה את התסכול.",
  complaintLogged: "רשמתי את הפנייה בעדיפות גבוהה, ונציג יחזור אליך עוד היום.",
  ownerIntro: (deal: "sale" | "rent") => (deal === "sale" ? "נשמח לעזור למכור את הנכס." : "נשמח לעזור להשכיר את הנכס."),
  listingSaved: (name?: string) => `תודה${name ? ` ${name}` : ""}. רשמתי את פרטי הנכס, ומתווך שלנו יחזור אליך לתאם ביקור והערכת מחיר.`,
  listingNotFound: (street?: string) => `${street ? `את הנכס ברחוב ${street}` : "את הנכס הזה"} אני לא מוצאת אצלנו כרגע. ייתכן שהוא כבר לא זמין.`,
  nothingThere: "במה שביקשת אין לי כרגע נכס פנוי.",
  nearest: "הכי קרוב שיש לי:",
  savedSearch: "שמרתי את החיפוש, ונציג יחזור אליך ברגע שיהיה נכס מתאים.",
  willCheck: "אני לא מצליחה לבדוק את המאגר ברגע זה. רשמתי מה שחיפשת, ונציג יבדוק ויחזור אליך בהקדם.",
  willCheckBooking: "אני לא מצליחה לקבוע ביומן ברגע זה. רשמתי את הבקשה, ונציג יחזור אליך לאשר את המועד.",
  skipQuestion: "בסדר, נציג ישלים איתך את הפרטים.",
  callbackPromised: "בסדר גמור, נציג יחזור אליך בהקדם.",
};
