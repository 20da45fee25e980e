import { describe, expect, test } from "bun:test";
import { parseUtterance } from "./nlu";
import { localParts, resolveTime, speakDateTime, zonedDate } from "./hebrew-time";

// Wednesday 25 Nov 2026, 12:00 in Jerusalem (UTC+2).
const NOW = new Date("2026-11-25T10:00:00Z");
const at = (text: string) => {
  const parts = parseUtterance(text, { expecting: "time" }).time;
  expect(parts).toBeDefined();
  return resolveTime(parts!, NOW);
};
const wall = (d: Date | undefined) => {
  const p = localParts(d!, "Asia/Jerusalem");
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${String(p.minute).padStart(2, "0")}`;
};

describe("spoken times → Asia/Jerusalem instants", () => {
  test.each([
    ["מחר בחמש אחרי הצהריים", "2026-11-26 17:00"],
    ["מחר ב-5", "2026-11-26 17:00"],
    ["מחר בעשר בבוקר", "2026-11-26 10:00"],
    ["ביום ראשון בעשר בבוקר", "2026-11-29 10:00"],
    ["יום שלישי בשש בערב", "2026-12-1 18:00"],
    ["ביום חמישי בחמש וחצי", "2026-11-26 17:30"],
    ["היום בשעה 18:30", "2026-11-25 18:30"],
    ["בשמונה בבוקר", "2026-11-26 8:00"],
    ["בארבע", "2026-11-25 16:00"],
    ["ב-3/12 בשעה 11", "2026-12-3 11:00"],
    ["ה-10 בדצמבר בשתיים", "2026-12-10 14:00"],
    ["מחרתיים ב 9", "2026-11-27 9:00"],
  ])("%s → %s", (text, expected) => {
    expect(wall(at(text))).toBe(expected);
  });

  test("relative times round up to the quarter hour", () => {
    expect(wall(at("בעוד שעה"))).toBe("2026-11-25 13:00");
    expect(wall(at("אפשר בעוד חצי שעה?"))).toBe("2026-11-25 12:30");
    expect(wall(at("בעוד 3 שעות"))).toBe("2026-11-25 15:00");
    const odd = resolveTime({ inMinutes: 60 }, new Date("2026-11-25T10:07:00Z"))!;
    expect(wall(odd)).toBe("2026-11-25 13:15");
  });

  test("a day without an hour is not a time yet", () => {
    expect(resolveTime(parseUtterance("מחר").time!, NOW)).toBeUndefined();
  });

  test("DST-safe: summer and winter offsets differ", () => {
    expect(zonedDate(2026, 7, 1, 17, 0).toISOString()).toBe("2026-07-01T14:00:00.000Z");
    expect(zonedDate(2026, 12, 1, 17, 0).toISOString()).toBe("2026-12-01T15:00:00.000Z");
  });

  test("spoken back naturally", () => {
    expect(speakDateTime(zonedDate(2026, 11, 26, 17, 0), NOW)).toBe("מחר בחמש אחרי הצהריים");
    expect(speakDateTime(zonedDate(2026, 11, 29, 10, 30), NOW)).toBe("ביום ראשון בעשר וחצי בבוקר");
  });
});
