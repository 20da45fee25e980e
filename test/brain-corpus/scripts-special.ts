/**
 * Corpus, part 2: what real callers do beyond searching — owners who sell or
 * rent out (a listing lead, never a budget question), complaints and anger
 * (apology, a person or a high-priority callback, the listing not offered
 * again), adverts that do not exist (said plainly, nearest alternatives or a
 * saved search), and a question never asked a fourth time.
 */
import type { TCorpusScript } from "./corpus-types";

const NO_BUDGET = ["תקציב"];

export const SPECIAL_SCRIPTS: TCorpusScript[] = [
  {
    name: "owner sells a 4-room flat in Ramat Gan",
    turns: [
      { say: "שלום, אני רוצה למכור את הדירה שלי ברמת גן", has: ["למכור", "כמה חדרים"], not: NO_BUDGET },
      { say: "ארבעה חדרים", has: ["מחיר מבוקש"], not: NO_BUDGET },
      { say: "בסביבות שלושה מיליון", has: ["איך קוראים לך"], not: NO_BUDGET },
      { say: "אבי כהן", has: ["תודה אבי", "רשמתי את פרטי הנכס"], tool: "create_callback_task" },
      { say: "לא תודה", action: "hangup" },
    ],
    crm: {
      fullName: "אבי כהן",
      status: "new",
      requirements: { listing: { dealType: "sale", propertyType: "apartment", city: "רמת גן", rooms: 4, askingPrice: 3_000_000 } },
      requirementsWithout: ["budgetMax", "dealType"],
      notes: "בעל נכס",
      tasks: [{ title: "בעל נכס למכירה" }],
      taskCount: 1,
    },
  },
  {
    name: "owner rents out in Givatayim, bare answers",
    turns: [
      { say: "יש לי דירה להשכרה בגבעתיים ברחוב כצנלסון", has: ["להשכיר", "חדרים"], not: NO_BUDGET },
      { say: "שלושה", has: ["מחיר"], not: NO_BUDGET },
      { say: "שבעת אלפים לחודש", has: ["קוראים"] },
      { say: "רונית", has: ["רשמתי את פרטי הנכס"] },
      { say: "זהו", action: "hangup" },
    ],
    crm: {
      fullName: "רונית",
      requirements: { listing: { dealType: "rent", city: "גבעתיים", street: "כצנלסון", rooms: 3, askingPrice: 7000 } },
      requirementsWithout: ["budgetMax"],
      tasks: [{ title: "בעל נכס להשכרה" }],
    },
  },
  {
    name: "owner rents out an office by size, no price yet",
    turns: [
      { say: "אני משכיר משרד של מאה חמישים מטר בהרצליה פיתוח", has: ["מחיר"], not: NO_BUDGET },
      { say: "לא יודע עדיין", has: ["קוראים"], not: NO_BUDGET },
      { say: "שמי גיל שמש", has: ["תודה גיל"] },
      { say: "לא", action: "hangup" },
    ],
    crm: {
      fullName: "גיל שמש",
      requirements: { listing: { dealType: "rent", propertyType: "office", city: "הרצליה", neighborhood: "הרצליה פיתוח", sizeSqm: 150 } },
      requirementsWithout: ["budgetMax"],
      tasks: [{ title: "בעל נכס" }],
    },
  },
  {
    name: "owner says everything in one breath, with a full name",
    turns: [
      { say: "היי, מדבר משה אזולאי, אני רוצה למכור דירת חמישה חדרים בחיפה, מבקש שלושה מיליון", has: ["תודה משה", "רשמתי את פרטי הנכס"], not: NO_BUDGET },
      { say: "לא, תודה", action: "hangup" },
    ],
    crm: { fullName: "משה אזולאי", requirements: { listing: { dealType: "sale", city: "חיפה", rooms: 5, askingPrice: 3_000_000 } }, tasks: [{ title: "בעל נכס" }], taskCount: 1 },
  },
  {
    name: "owner who is vague: each detail asked at most twice",
    turns: [
      { say: "אני מוכרת נכס", has: ["איזה נכס"], not: NO_BUDGET },
      { say: "דירת גן", has: ["איפה"] },
      { say: "בירושלים, בקטמונים", has: ["חדרים"] },
      { say: "לא יודעת בדיוק", has: ["מחיר"] },
      { say: "לא", has: ["קוראים"] },
      { say: "לא חשוב", has: ["רשמתי את פרטי הנכס"] },
      { say: "ביי", action: "hangup" },
    ],
    crm: { fullName: null, requirements: { listing: { dealType: "sale", propertyType: "garden_apartment", city: "ירושלים", neighborhood: "קטמונים" } }, tasks: [{ title: "בעל נכס" }] },
  },
  {
    name: "owner on WhatsApp, office with size and rent in digits",
    channel: "whatsapp",
    turns: [
      { say: "שלום, אני מעוניין להשכיר את המשרד שלי בתל אביב, 80 מטר, 12 אלף לחודש", has: ["קוראים"], not: NO_BUDGET },
      { say: "עידו", has: ["תודה עידו"] },
      { say: "תודה, זהו", action: "hangup" },
    ],
    crm: { fullName: "עידו", requirements: { listing: { dealType: "rent", propertyType: "office", city: "תל אביב", sizeSqm: 80, askingPrice: 12_000 } }, tasks: [{ title: "בעל נכס" }] },
  },
  {
    name: "angry caller nobody called back: a high-priority callback",
    turns: [
      { say: "אני מתקשר כבר פעם שלישית ואף אחד לא חזר אליי!", has: ["מצטערת", "נציג"] },
      { say: "שיחזרו אליי, אבל היום", has: ["עדיפות גבוהה"], tool: "create_callback_task" },
      { say: "לא תודה", action: "hangup" },
    ],
    crm: { tasks: [{ title: "תלונה", priority: "high" }], taskCount: 1, notes: "תלונה" },
  },
  {
    name: "anger after a proposal: the same listing is not offered again",
    turns: [
      { say: "מחפש לקנות דירת ארבעה חדרים ברמת גן עד שלושה וחצי מיליון", has: ["צפייה"] },
      { say: "אתם לא רציניים, הדירה הזאת בז'בוטינסקי כבר נמכרה לפני חודש", has: ["מצטערת"], not: ["שלושה מיליון מאתיים וחמישים אלף", "צפייה"] },
      { say: "תעבירי אותי לנציג", action: "transfer" },
    ],
    crm: { tasks: [{ title: "תלונה", priority: "high" }], requirements: { dealType: "sale", cities: ["רמת גן"] } },
  },
  {
    name: "complaint together with asking for a manager",
    turns: [{ say: "אני רוצה לדבר עם מנהל, זה לא בסדר מה שקרה", has: ["מצטערת"], action: "transfer", tool: "create_callback_task" }],
    crm: { tasks: [{ title: "תלונה", priority: "high" }] },
  },
  {
    name: "complaint and goodbye in one breath",
    turns: [{ say: "נמאס לי מכם, ביי", has: ["מצטערת", "עדיפות גבוהה"], action: "hangup" }],
    crm: { tasks: [{ title: "תלונה", priority: "high" }], taskCount: 1 },
  },
  {
    name: "complaint with an unclear answer still leaves the callback",
    turns: [
      { say: "השירות שלכם גרוע", has: ["מצטערת"] },
      { say: "מה?", has: ["עדיפות גבוהה"] },
      { say: "לא", action: "hangup" },
    ],
    crm: { tasks: [{ title: "תלונה", priority: "high" }] },
  },
  {
    name: "complaint on WhatsApp",
    channel: "whatsapp",
    turns: [
      { say: "שלחתי לכם הודעה לפני שבוע ואף אחד לא עונה. ממש מאוכזבת", has: ["מצטערת"] },
      { say: "תחזרו אליי", has: ["עדיפות גבוהה"] },
      { say: "תודה, ביי", action: "hangup" },
    ],
    crm: { tasks: [{ title: "תלונה", priority: "high" }] },
  },
  {
    name: "an advert that is not ours: said plainly, nearest alternative, saved search",
    turns: [
      { say: "ראיתי מודעה על דירה ברחוב הרצל בחולון", has: ["לא מוצאת", "הרצל"] },
      { say: "לקנות", has: ["חדרים"] },
      { say: "ארבעה", has: ["תקציב"] },
      { say: "שני מיליון וחצי", has: ["הכי קרוב", "פתח תקווה"] },
      { say: "לא, רק חולון", has: ["שמרתי את החיפוש"] },
      { say: "לא תודה", action: "hangup" },
    ],
    crm: { requirements: { dealType: "sale", cities: ["חולון"] }, tasks: [{ title: "חיפוש שמור" }], taskCount: 1 },
  },
  {
    name: "an advert that is ours, found by its street",
    turns: [
      { say: "ראיתי אצלכם מודעה על דירה ברחוב ביאליק ברמת גן", has: ["יש לנו אותו", "ששת אלפים ומאתיים"] },
      { say: "כן, אפשר לראות אותה?", has: ["שם"] },
      { say: "תמר", has: ["מתי"] },
      { say: "מחר בארבע", tool: "book_viewing", has: ["קבעתי"] },
      { say: "לא", action: "hangup" },
    ],
    crm: { fullName: "תמר", status: "viewing", bookings: 1 },
  },
  {
    name: "a penthouse in Eilat: none anywhere, the search is saved",
    turns: [
      { say: "מחפש לשכור פנטהאוז באילת", has: ["חדרים"] },
      { say: "חמישה חדרים", has: ["תקציב"] },
      { say: "עד עשרים אלף", has: ["אין לי כרגע", "שמרתי את החיפוש"], not: ["צפייה"] },
      { say: "לא", action: "hangup" },
    ],
    crm: { requirements: { dealType: "rent", cities: ["אילת"] }, tasks: [{ title: "חיפוש שמור" }] },
  },
  {
    name: "the time question is never asked a fourth time",
    turns: [
      { say: "מחפש לשכור דירת שלושה חדרים בהדר בחיפה עד ארבעת אלפים", has: ["צפייה"] },
      { say: "כן", has: ["שם"] },
      { say: "שמי בני", has: ["מתי"] },
      { say: "אין לי מושג", has: ["סליחה"] },
      { say: "נראה", has: ["סליחה"] },
      { say: "אממ", has: ["נציג ישלים"], not: ["מתי נוח", "באיזה יום"] },
      { say: "לא", action: "hangup" },
    ],
    crm: { fullName: "בני", tasks: [{ title: "השיחה לא הושלמה" }], bookings: 0 },
  },
  {
    name: "buyer and later an owner in the same call",
    turns: [
      { say: "אני מחפש לקנות דירה בנתניה, ארבעה חדרים, עד שלושה מיליון ומאה", has: ["עיר ימים"] },
      { say: "לא כרגע", has: ["נוסף"] },
      { say: "כן, אני גם רוצה למכור את הדירה שלי ברעננה", has: ["למכור"], not: NO_BUDGET },
      { say: "שש חדרים", has: ["מחיר"] },
      { say: "חמישה מיליון תשע מאות", has: ["קוראים"] },
      { say: "דוד", has: ["רשמתי את פרטי הנכס"] },
      { say: "לא", action: "hangup" },
    ],
    crm: {
      fullName: "דוד",
      requirements: { dealType: "sale", cities: ["נתניה"], listing: { dealType: "sale", city: "רעננה", rooms: 6, askingPrice: 5_900_000 } },
      tasks: [{ title: "בעל נכס" }],
    },
  },
  {
    name: "a message for staff after hours on WhatsApp",
    channel: "whatsapp",
    now: "2026-11-28T10:00:00Z",
    turns: [
      { say: "אפשר נציג?", has: ["הודעה"] },
      { say: "תגידו לשי שיחזור אליי לגבי המשרד בהרצליה", has: ["רשמתי"] },
      { say: "לא תודה", action: "hangup" },
    ],
    crm: { notes: "לגבי המשרד בהרצליה", tasks: [{ title: "הודעה" }] },
  },
  {
    name: "an owner who is also angry: the complaint comes first",
    turns: [
      { say: "רציתי למכור דרככם את הדירה ואף אחד לא חזר אליי כבר שבועיים", has: ["מצטערת"] },
      { say: "שיחזרו אליי", has: ["עדיפות גבוהה"] },
      { say: "לא", action: "hangup" },
    ],
    crm: { tasks: [{ title: "תלונה", priority: "high" }] },
  },
  {
    name: "mixed-language caller with digits on a call",
    turns: [
      { say: "hi, אני מחפש סטודיו להשכרה בתל אביב עד 6000", has: ["סטודיו בשכונת לב העיר"] },
      { say: "ok כן", has: ["שם"] },
      { say: "קוראים לי ג'ון סמית", has: ["מתי"] },
      { say: "מחר בשלוש", tool: "book_viewing" },
      { say: "ביי", action: "hangup" },
    ],
    crm: { fullName: "ג'ון סמית", status: "viewing", bookings: 1 },
  },
];
