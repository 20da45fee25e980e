/**
 * Hebrew end-of-turn corpus (issue #14 item 5): transcripts as the speech
 * recogniser hands them over at a pause. PARTIAL ones are pauses inside a
 * sentence (answering there is a false interruption); COMPLETE ones are
 * finished turns (judging them unfinished only costs the full endpointing
 * silence: a late end). Prints both rates per 100 turns.
 */
import { describe, expect, test } from "bun:test";
import { looksComplete } from "./turn";

/** The caller paused mid-sentence. */
export const PARTIAL = [
  "אני מחפש דירה ו", "אני מחפש דירה ברמת גן ו", "ארבעה חדרים אבל", "אני רוצה משהו של", "דירה ש", "אני רוצה משהו ש",
  "התקציב שלי בסביבות שלוש מאות ו", "עד שלושה מיליון ו", "משהו כמו מיליון ו", "בערך שלושה מיליון ומאתיים", "התקציב הוא מיליון שמונה מאות",
  "אני מוכן לשלם עד שלושה מיליון שלוש מאות", "שכירות של בערך חמשת אלפים ו", "עד עשרים ו", "משרד של מאה", "משרד של מאה ו",
  "אני מחפש דירה עם", "התקציב שלי הוא בערך", "אני רוצה,", "אני מחפש לקנות דירה בשכונת", "זה ברחוב", "הדירה שלי נמצאת ברחוב",
  "אני צריך משהו שיהיה", "משהו שאני", "אני רוצה לשכור אבל", "קוראים לי דני ו", "אני מחפש דירה בתל אביב או", "ארבעה חדרים או",
  "אני מעוניין ב", "אני מחפש לשכור דירה ליד", "משהו קרוב ל", "אני רוצה לראות את הדירה אז", "אפשר לקבוע צפייה כי",
  "אני מחפש דירת", "יש לי דירה שאני", "אני רוצה למכור את הדירה שלי שנמצאת ב", "התקציב שלנו עד", "אנחנו מחפשים משהו יותר",
  "משהו פחות", "אני צריך משרד בשביל", "אני מתקשר לגבי", "אני מתקשרת בקשר ל", "זה בקומה", "משהו בין", "אני מחפש בין שלושה ל",
  "אני רוצה דירה כמו", "ראיתי מודעה על", "זה היה לפני", "אפשר מחר אחרי", "אני פנוי ביום", "מחר בבוקר או", "אני גר ב",
  "שלום אני מחפש אממ", "אני מחפש כאילו", "אני צריך יעני", "דירה לקנות וגם", "ואז", "שלושה חדרים ושירותים ו", "משרד של מאתיים ו",
  "אני רוצה לדבר עם", "מה עם", "תגיד לי איפה", "יש לכם משהו עם מעלית ו", "שלושה מיליון וחמש מאות", "עד ארבעה מיליון שש מאות",
];

/** The caller finished. */
export const COMPLETE = [
  "אני מחפש דירה ברמת גן", "אני מחפש דירה ברמת גן.", "כמה זה עולה?", "קוראים לי דנה כהן", "אני רוצה ארבעה חדרים",
  "התקציב שלי שלושה מיליון", "עד שלושה וחצי מיליון", "התקציב בערך שלושה מיליון ומאתיים אלף", "אני צריך משרד של מאה עשרים מטר",
  "אני רוצה למכור את הדירה שלי", "יש לי דירה להשכרה בגבעתיים", "אף אחד לא חזר אליי", "אני רוצה לדבר עם נציג",
  "מחר בחמש אחרי הצהריים", "ביום ראשון בעשר בבוקר", "כן אני רוצה לקבוע צפייה", "לא תודה זה הכל", "יש שם חניה?", "באיזו קומה הדירה?",
  "אני מחפש לשכור דירה בתל אביב עד שמונת אלפים", "שלושה חדרים בחיפה", "אני רוצה את הדירה הראשונה", "השנייה נשמעת טוב יותר.",
  "אני מחפשת משהו עם מרפסת", "אפשר לקבוע למחר בבוקר", "תודה רבה לך", "אני אשמח שמישהו יחזור אליי", "זה לא מתאים לי",
  "ראיתי מודעה על דירה ברחוב הרצל", "היא נמכרה כבר לפני חודש", "אני מחפש דירה בשכונת הבורסה", "בערך מיליון וחצי",
  "אני מוכן לשלם עד שלושה מיליון שלוש מאות אלף", "שכירות של חמשת אלפים וחמש מאות שקל", "משרד של מאתיים וחמישים מטר בבורסה",
  "אני גר ברמת גן ומחפש בגבעתיים", "זה בסדר מבחינתי", "אני פנוי ביום שלישי", "אני לא יודע עדיין", "אולי בשבוע הבא",
  "שמי משה אזולאי", "אני מתקשר בקשר לדירה בביאליק", "יש לכם משהו עם מעלית?", "לא משנה לי התקציב", "מה הכתובת המדויקת?",
  "אני רוצה לשכור משרד בהרצליה פיתוח", "שלושה וחצי חדרים בגבעתיים", "אני צריך את זה דחוף", "המחיר גבוה מדי בשבילי",
  "טוב אז נדבר מחר", "אין בעיה, תודה", "זה הכל להיום", "ביי ותודה", "אני מחפש משהו קטן יותר",
  "אנחנו זוג עם שני ילדים", "רציתי לשאול על המשרד בעזריאלי", "עד עשרים וחמישה אלף לחודש", "התקציב הוא מיליון שמונה מאות אלף",
];

/** A false interruption answers a partial turn; a late end waits the full silence after a finished one. */
export function measureTurnTaking(judge: (text: string) => boolean) {
  const falseInterruptions = PARTIAL.filter((t) => judge(t));
  const lateEnds = COMPLETE.filter((t) => !judge(t));
  const turns = PARTIAL.length + COMPLETE.length;
  return {
    turns,
    falseInterruptions,
    lateEnds,
    falsePer100: Math.round((falseInterruptions.length / turns) * 1000) / 10,
    latePer100: Math.round((lateEnds.length / turns) * 1000) / 10,
  };
}

describe("looksComplete on a Hebrew end-of-turn corpus", () => {
  test("the corpus has at least 100 utterances, both kinds", () => {
    expect(PARTIAL.length + COMPLETE.length).toBeGreaterThanOrEqual(100);
    expect(PARTIAL.length).toBeGreaterThanOrEqual(50);
    expect(COMPLETE.length).toBeGreaterThanOrEqual(50);
  });

  test("no pause inside a sentence is taken for the end of the turn; few finished turns wait the full silence", () => {
    const m = measureTurnTaking(looksComplete);
    console.log(`end-of-turn corpus (${m.turns} turns): false interruptions ${m.falsePer100} per 100 turns, late ends ${m.latePer100} per 100 turns`);
    expect(m.falseInterruptions).toEqual([]);
    expect(m.lateEnds.length).toBeLessThanOrEqual(Math.ceil(COMPLETE.length * 0.05));
  });

  test("trailing connectives, prefixes and numbers mid-count mean 'not done'", () => {
    for (const t of ["אני מחפש דירה ו", "ארבעה חדרים אבל", "משהו של", "דירה ש", "שלוש מאות ו", "מיליון ו", "שלושה מיליון ומאתיים", "זה בקומה"]) {
      expect({ t, done: looksComplete(t) }).toEqual({ t, done: false });
    }
    for (const t of ["מיליון וחצי עד שני מיליון", "שלושה מיליון ומאתיים אלף", "עד עשרים וחמישה אלף", "משרד של מאה עשרים מטר"]) {
      expect({ t, done: looksComplete(t) }).toEqual({ t, done: true });
    }
  });
});
