import { describe, expect, test } from "bun:test";
import { analyzeWithRules, callerGender, type TAnalysisTurn } from "./analysis-rules";

const call = (...lines: string[]): TAnalysisTurn[] => lines.map((text) => ({ speaker: "caller", text }));
const summary = (...lines: string[]) => analyzeWithRules({ turns: call(...lines), bookedViewings: 0, transferred: false }).summary;

describe("rules summary wording (issue #14: not every caller is 'המתקשר… מעוניין')", () => {
  test("the caller's own grammatical forms decide the wording; unknown stays neutral", () => {
    expect(summary("אני מחפשת לקנות דירה ברמת גן")).toBe("המתקשרת מעוניינת לקנות דירה ברמת גן.");
    expect(summary("אני מחפש לשכור משרד בתל אביב")).toBe("המתקשר מעוניין לשכור משרד בתל אביב.");
    expect(summary("דירה לקנות בחיפה, ארבעה חדרים")).toBe("הפונה רוצה לקנות דירה בחיפה 4 חדרים.");
    expect(summary("שלום?")).toBe('הפונה: "שלום?".');
    expect(callerGender(["אני צריכה משהו דחוף", "אני מחפשת בגבעתיים"])).toBe("f");
    expect(callerGender(["כן", "לא"])).toBeUndefined();
  });

  test("a known name is the subject; a full name is kept", () => {
    expect(summary("שלום, אני משה אזולאי", "אני רוצה לשכור דירה בגבעתיים", "אני משה")).toBe("משה אזולאי רוצה לשכור דירה בגבעתיים.");
  });

  test("owners, sizes and complaints are summarised as what they are", () => {
    const owner = analyzeWithRules({ turns: call("אני רוצה למכור את הדירה שלי ברמת גן", "מבקש שלושה מיליון"), bookedViewings: 0, transferred: false });
    expect(owner.summary).toBe("המתקשר מעוניין למכור דירה ברמת גן מחיר מבוקש 3,000,000 ₪.");
    expect(owner.leadReasons).toContain("נכס למכירה מבעלים");
    expect(owner.leadReasons.some((r) => r.startsWith("תקציב"))).toBe(false);
    expect(owner.nextAction.title).toBe("לחזור לבעלי נכס למכירה");
    expect(summary("משרד להשכרה בתל אביב של מאה עשרים מטר")).toContain("כ-120 מ״ר");
    const angry = analyzeWithRules({ turns: call("אף אחד לא חזר אליי, אני מאוכזבת"), bookedViewings: 0, transferred: false });
    expect(angry.summary).toContain("עלתה תלונה על השירות.");
    expect(angry.nextAction).toMatchObject({ title: "לחזור ללקוח לא מרוצה", priority: "high" });
  });

  test("no summary or reason uses a masculine-only form for an unknown caller", () => {
    const r = analyzeWithRules({ turns: call("דירה לקנות ברמת גן", "עד שלושה מיליון", "מחר"), bookedViewings: 1, transferred: true });
    const text = [r.summary, ...r.leadReasons, r.nextAction.description].join(" ");
    for (const masc of ["המתקשר ", "מעוניין", "ביקש ", "קבע ", "ציין", "הגדיר"]) expect(text).not.toContain(masc);
  });

  test("counts read right for one and for more (#17: not 'נקבעו 1 פגישות')", () => {
    const booked = (n: number) => analyzeWithRules({ turns: call("דירה לקנות ברמת גן"), bookedViewings: n, transferred: false }).summary;
    expect(booked(1)).toContain("נקבעה פגישת צפייה אחת.");
    expect(booked(1)).not.toContain("1 פגישות");
    expect(booked(2)).toContain("נקבעו 2 פגישות צפייה.");
  });
});
