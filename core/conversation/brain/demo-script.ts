/**
 * The demo caller: lines a simulated caller speaks (call-sim's simScript, the
 * dashboard's test call, tests). The conversation they make with the local
 * brain ends with a booked viewing whatever the day: if "tomorrow at five" is
 * outside opening hours the brain offers another slot and "כן, מתאים" takes it;
 * otherwise it answers the "anything else?" question.
 */
export const DEMO_CALLER_SCRIPT: readonly string[] = [
  "שלום",
  "אני מחפש לקנות דירה של ארבעה חדרים ברמת גן",
  "בסביבות שלושה מיליון ושלוש מאות אלף",
  "כן, הראשונה",
  "קוראים לי דני כהן",
  "מחר בחמש אחרי הצהריים",
  "כן, מתאים",
  "לא, זה הכל, תודה. להתראות",
];
