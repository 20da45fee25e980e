/**
 * Corpus, part 1: people looking to buy or rent — varied speakers, slang,
 * numbers said in words, changes of mind, offices by size, full names, and
 * questions about a proposed listing. Listings are the demo seed's.
 */
import type { TCorpusScript } from "./corpus-types";

export const SEEKER_SCRIPTS: TCorpusScript[] = [
  {
    name: "buyer, words for numbers, books the first of two",
    turns: [
      { say: "היי, מחפשת לקנות דירה ברמת גן", has: ["חדרים"] },
      { say: "ארבעה חדרים", has: ["תקציב"] },
      { say: "עד שלושה מיליון וחצי", tool: "search_properties", has: ["צפייה"] },
      { say: "כן, הראשונה", has: ["שם"] },
      { say: "שמי מיכל לוי", has: ["מתי"] },
      { say: "מחר בעשר בבוקר", tool: "book_viewing", has: ["קבעתי", "מיכל"] },
      { say: "לא תודה", action: "hangup" },
    ],
    crm: { fullName: "מיכל לוי", status: "viewing", requirements: { dealType: "sale", cities: ["רמת גן"], roomsMin: 4, budgetMax: 3_500_000 }, bookings: 1, taskCount: 0 },
  },
  {
    name: "renter with slang in Givatayim, a single match",
    turns: [
      { say: "אהלן, צריך משהו לשכור בגבעתיים, שלוש וחצי חדרים", has: ["תקציב"] },
      { say: "עד שבעת אלפים", has: ["צפייה", "ששת אלפים ותשע מאות"] },
      { say: "יאללה", has: ["שם"] },
      { say: "יוסי", has: ["מתי"] },
      { say: "ביום ראשון בחמש אחרי הצהריים", tool: "book_viewing", has: ["קבעתי"] },
      { say: "זהו, תודה", action: "hangup" },
    ],
    crm: { fullName: "יוסי", status: "viewing", requirements: { dealType: "rent", cities: ["גבעתיים"], roomsMin: 3.5, budgetMax: 7000 }, bookings: 1 },
  },
  {
    name: "office to rent by size said in words",
    turns: [
      { say: "שלום, אני צריך משרד להשכרה בתל אביב, משהו של מאה עשרים מטר", has: ["תקציב"] },
      { say: "עד עשרים וחמישה אלף", tool: "search_properties", has: ["מאה ועשרים מטר", "צפייה"] },
      { say: "יש שם חניה?", has: ["כן, יש חניה", "צפייה"] },
      { say: "כן", has: ["שם"] },
      { say: "דני רוזן", has: ["מתי"] },
      { say: "מחר באחת עשרה בבוקר", tool: "book_viewing", has: ["קבעתי"] },
      { say: "לא", action: "hangup" },
    ],
    crm: { fullName: "דני רוזן", status: "viewing", requirements: { dealType: "rent", propertyType: "office", cities: ["תל אביב"], sizeSqm: 120, sizeMin: 96, budgetMax: 25_000 }, bookings: 1 },
  },
  {
    name: "office by size, any budget, asks the floor, declines",
    turns: [
      { say: "משרד 250 מטר להשכרה ברמת גן", has: ["תקציב"] },
      { say: "לא משנה", has: ["מאתיים וחמישים מטר"] },
      { say: "באיזו קומה הוא?", has: ["קומה חמש עשרה מתוך שלושים"] },
      { say: "לא כרגע", has: ["נוסף"] },
      { say: "זהו תודה", action: "hangup" },
    ],
    crm: { status: "qualified", requirements: { propertyType: "office", sizeSqm: 250, cities: ["רמת גן"] }, requirementsWithout: ["budgetMax"], bookings: 0 },
  },
  {
    name: "office to buy near the stock exchange, price question",
    turns: [
      { say: "אני רוצה לקנות משרד בבורסה, בערך מאתיים מטר, עד חמישה מיליון", has: ["מאה ושמונים מטר"] },
      { say: "כמה הוא עולה?", has: ["ארבעה מיליון ותשע מאות אלף שקל"] },
      { say: "לא כרגע, תודה", has: ["נוסף"] },
      { say: "ביי", action: "hangup" },
    ],
    crm: { status: "qualified", requirements: { dealType: "sale", propertyType: "office", neighborhoods: ["הבורסה"], sizeSqm: 200, budgetMax: 5_000_000 } },
  },
  {
    name: "office size with no match: nearest alternatives, then a saved search",
    turns: [
      { say: "מחפש משרד להשכרה בחיפה של חמש מאות מטר", has: ["תקציב"] },
      { say: "עד שלושים אלף", has: ["אין לי כרגע", "הכי קרוב"] },
      { say: "לא, זה לא מתאים", has: ["שמרתי את החיפוש"] },
      { say: "לא תודה", action: "hangup" },
    ],
    crm: { status: "qualified", requirements: { propertyType: "office", cities: ["חיפה"], sizeSqm: 500 }, tasks: [{ title: "חיפוש שמור" }], taskCount: 1 },
  },
  {
    name: "full name up front is kept and used for the booking",
    turns: [
      { say: "שלום, אני משה אזולאי ואני מחפש לשכור דירה בתל אביב", has: ["נעים מאוד, משה", "חדרים"] },
      { say: "שלושה", has: ["תקציב"] },
      { say: "שמונת אלפים", has: ["צפייה"], not: ["שם"] },
      { say: "כן, ביום ראשון בעשר", tool: "book_viewing", has: ["משה, קבעתי"] },
      { say: "לא, תודה רבה", action: "hangup" },
    ],
    crm: { fullName: "משה אזולאי", status: "viewing", bookings: 1, requirements: { dealType: "rent", cities: ["תל אביב"], roomsMin: 3 } },
  },
  {
    name: "a name given while the rooms question is pending",
    turns: [
      { say: "אני רוצה לקנות דירה בירושלים", has: ["חדרים"] },
      { say: "קוראים לי שירה אלון. ארבעה חדרים", has: ["נעים מאוד, שירה", "תקציב"] },
      { say: "ארבעה מיליון", has: ["בית הכרם"] },
      { say: "כן", has: ["הראשון או השני"] },
      { say: "הראשונה", not: ["שם"], has: ["מתי"] },
      { say: "ביום חמישי בארבע", tool: "book_viewing", has: ["שירה, קבעתי"] },
      { say: "זה הכל", action: "hangup" },
    ],
    crm: { fullName: "שירה אלון", status: "viewing", bookings: 1 },
  },
  {
    name: "returning customer: 'אני רונית' does not shorten the full name",
    known: "רונית לוי-שחר",
    turns: [
      { say: "היי, זאת אני רונית, מחפשת לשכור דירה בגבעתיים", has: ["רונית"] },
      { say: "שלושה וחצי", has: ["תקציב"] },
      { say: "עד שבעה אלף", has: ["צפייה"] },
      { say: "לא עכשיו", has: ["נוסף"] },
      { say: "לא", action: "hangup" },
    ],
    crm: { fullName: "רונית לוי-שחר", status: "qualified" },
  },
  {
    name: "numbers in words: five rooms in Petah Tikva up to three million",
    turns: [
      { say: "מחפש לקנות בפתח תקווה חמישה חדרים עד שלושה מיליון", has: ["שני מיליון תשע מאות וחמישים אלף"] },
      { say: "כן", has: ["שם"] },
      { say: "אלי", has: ["מתי"] },
      { say: "מחר בשש בערב", tool: "book_viewing", has: ["קבעתי"] },
      { say: "תודה, זהו", action: "hangup" },
    ],
    crm: { fullName: "אלי", status: "viewing", bookings: 1, requirements: { cities: ["פתח תקווה"], roomsMin: 5, budgetMax: 3_000_000 } },
  },
  {
    name: "one question at a time, budget in thousands and hundreds",
    turns: [
      { say: "אני רוצה לשכור בראשון לציון", has: ["דירה או משרד"] },
      { say: "דירה", has: ["חדרים"] },
      { say: "שלוש", has: ["תקציב"] },
      { say: "חמשת אלפים ושש מאות", has: ["צפייה"] },
      { say: "לא תודה", has: ["נוסף"] },
      { say: "לא", action: "hangup" },
    ],
    crm: { status: "qualified", requirements: { dealType: "rent", cities: ["ראשון לציון"], roomsMin: 3, budgetMax: 5600 } },
  },
  {
    name: "change of mind: buy becomes rent after the proposals",
    turns: [
      { say: "מחפש לקנות דירת ארבעה חדרים ברמת גן עד שלושה וחצי מיליון", has: ["צפייה"] },
      { say: "רגע, בעצם אני רוצה לשכור, עד שמונת אלפים", has: ["לחודש"] },
      { say: "כן", has: ["שם"] },
      { say: "אורן", has: ["מתי"] },
      { say: "מחר בחמש", tool: "book_viewing", has: ["קבעתי"] },
      { say: "לא", action: "hangup" },
    ],
    crm: { fullName: "אורן", status: "viewing", requirements: { dealType: "rent", budgetMax: 8000 }, bookings: 1 },
  },
  {
    name: "change of city mid-search",
    turns: [
      { say: "אני מחפשת לשכור דירת שלושה חדרים בחיפה", has: ["תקציב"] },
      { say: "עד ארבעת אלפים", has: ["הדר"] },
      { say: "אה סליחה, התכוונתי לירושלים, עד שבעת אלפים", has: ["רחביה"] },
      { say: "לא כרגע", has: ["נוסף"] },
      { say: "ביי", action: "hangup" },
    ],
    crm: { status: "qualified", requirements: { dealType: "rent", budgetMax: 7000 } },
  },
  {
    name: "questions about a proposed listing: where, elevator, floor, price",
    turns: [
      { say: "מחפש לקנות דירת ארבעה חדרים בגבעתיים", has: ["תקציב"] },
      { say: "לא משנה לי", has: ["צפייה"] },
      { say: "איפה זה בדיוק?", has: ["כצנלסון 60"] },
      { say: "יש מעלית?", has: ["כן, יש מעלית"] },
      { say: "באיזו קומה?", has: ["קומה ארבע מתוך שמונה"] },
      { say: "וכמה היא עולה?", has: ["שלושה מיליון ארבע מאות וחמישים אלף שקל"] },
      { say: "אוקיי, לא כרגע", has: ["נוסף"] },
      { say: "לא תודה", action: "hangup" },
    ],
    crm: { status: "qualified", requirements: { cities: ["גבעתיים"], roomsMin: 4 } },
  },
  {
    name: "WhatsApp: details in digits",
    channel: "whatsapp",
    turns: [
      { say: "היי, מחפש דירה להשכרה בקריניצי, 4 חדרים, עד 8000", has: ["7,800 ₪"] },
      { say: "באיזו קומה?", has: ["קומה 7 מתוך 9"] },
      { say: "יש חניה?", has: ["כן, יש חניה"] },
      { say: "סבבה, כן", has: ["שם"] },
      { say: "נועה", has: ["מתי"] },
      { say: "מחר ב-12:00", tool: "book_viewing", has: ["מחר (26.11) ב-12:00"] },
      { say: "תודה זהו", action: "hangup" },
    ],
    crm: { fullName: "נועה", status: "viewing", bookings: 1 },
  },
  {
    name: "question after the booking: parking on the booked flat",
    turns: [
      { say: "שלום, מחפש לשכור דירת שלושה חדרים ביד אליהו עד שמונת אלפים", has: ["צפייה"] },
      { say: "כן", has: ["שם"] },
      { say: "שמי עמית", has: ["מתי"] },
      { say: "מחר בשתיים", tool: "book_viewing", has: ["קבעתי"] },
      { say: "רגע, יש שם חניה?", has: ["כן, יש חניה"] },
      { say: "לא, זהו", action: "hangup" },
    ],
    crm: { fullName: "עמית", status: "viewing", bookings: 1 },
  },
  {
    name: "penthouse in Neve Tzedek, fancy budget",
    turns: [
      { say: "ערב טוב, אני מתעניין בפנטהאוז בנווה צדק לקנייה", has: ["חדרים"] },
      { say: "חמישה", has: ["תקציב"] },
      { say: "עד שלושה עשר מיליון", has: ["שנים עשר מיליון וחמש מאות אלף"] },
      { say: "מה הגודל?", has: ["מאה ושישים מטר"] },
      { say: "לא תודה", has: ["נוסף"] },
      { say: "לא", action: "hangup" },
    ],
    crm: { status: "qualified", requirements: { dealType: "sale", cities: ["תל אביב"], neighborhoods: ["נווה צדק"] } },
  },
  {
    name: "terse caller, skips rooms and budget",
    turns: [
      { say: "דירה", has: ["לקנות או לשכור"] },
      { say: "שכירות", has: ["עיר"] },
      { say: "חיפה", has: ["חדרים"] },
      { say: "לא משנה", has: ["תקציב"] },
      { say: "גמיש", has: ["צפייה"] },
      { say: "לא", has: ["נוסף"] },
      { say: "לא", action: "hangup" },
    ],
    crm: { status: "qualified", requirements: { dealType: "rent", cities: ["חיפה"] } },
  },
  {
    name: "caller asks to be called back mid-search",
    turns: [
      { say: "אני מחפש לקנות דירה בהרצליה", has: ["חדרים"] },
      { say: "אני באוטו עכשיו, תחזרו אליי מאוחר יותר", has: ["יחזור אליך"] },
      { say: "לא, תודה", action: "hangup" },
    ],
    crm: { status: "qualified", requirements: { dealType: "sale", cities: ["הרצליה"] }, tasks: [{ title: "שיחזרו" }], taskCount: 1 },
  },
  {
    name: "wants a person straight away",
    turns: [{ say: "תעבירי אותי לנציג בבקשה", action: "transfer" }],
    crm: { taskCount: 0 },
  },
  {
    name: "store by size: no such listing anywhere, saved search",
    turns: [
      { say: "יש לכם חנות להשכרה בנתניה?", has: ["מטר"] },
      { say: "בערך שמונים מטר", has: ["תקציב"] },
      { say: "עד חמישה עשר אלף", has: ["אין לי כרגע", "שמרתי את החיפוש"] },
      { say: "לא תודה", action: "hangup" },
    ],
    crm: { status: "qualified", requirements: { dealType: "rent", cities: ["נתניה"], sizeSqm: 80 }, tasks: [{ title: "חיפוש שמור" }] },
  },
];
