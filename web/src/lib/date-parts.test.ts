import { describe, expect, test } from "bun:test";
import { daysInMonth, displayDate, joinDate, splitDate, withPart } from "./date-parts";

const START = { year: 2030, month: 1, day: 6 };

describe("he-IL date field values", () => {
  test("native input strings split and join unchanged", () => {
    expect(splitDate("2030-01-06")).toEqual({ year: 2030, month: 1, day: 6, time: null });
    expect(splitDate("2030-01-06T10:30")).toEqual({ year: 2030, month: 1, day: 6, time: "10:30" });
    expect(joinDate(splitDate("2030-01-06T10:30")!)).toBe("2030-01-06T10:30");
    expect(splitDate("")).toBeNull();
    expect(splitDate("2030-02-30")).toBeNull();
  });

  test("shown day first, the Israeli way", () => {
    expect(displayDate("2030-01-06")).toBe("06/01/2030");
    expect(displayDate("2030-12-31T08:05")).toBe("31/12/2030 08:05");
    expect(displayDate(null)).toBe("");
  });

  test("leap years and short months clamp the day", () => {
    expect(daysInMonth(2028, 2)).toBe(29);
    expect(daysInMonth(2030, 2)).toBe(28);
    expect(withPart("2030-01-31", "month", 2, START, false)).toBe("2030-02-28");
    expect(withPart("2028-02-29", "year", 2030, START, false)).toBe("2030-02-28");
  });

  test("picking one part of an empty field fills the rest from today", () => {
    expect(withPart("", "day", 20, START, false)).toBe("2030-01-20");
    expect(withPart("", "month", 3, START, true)).toBe("2030-03-06T09:00");
    expect(withPart("2030-01-06T09:00", "time", "17:45", START, true)).toBe("2030-01-06T17:45");
    expect(withPart("2030-01-06", "time", "17:45", START, false)).toBe("2030-01-06");
  });
});
