import { describe, expect, test } from "bun:test";
import { afterHoursReply, isOpenAt, localClock } from "./business-hours";

const TZ = "Asia/Jerusalem";
// 2026-11-25 is a Wednesday; Israel is UTC+2 in November.
const at = (iso: string) => new Date(iso);
const weekdays = { "0": { open: "09:00", close: "18:00" }, "1": { open: "09:00", close: "18:00" }, "2": { open: "09:00", close: "18:00" }, "3": { open: "09:00", close: "18:00" }, "4": { open: "09:00", close: "18:00" }, "5": { open: "09:00", close: "13:00" }, "6": null };

describe("business hours", () => {
  test("localClock uses the business timezone", () => {
    expect(localClock(at("2026-11-25T07:30:00Z"), TZ)).toEqual({ day: 3, minutes: 9 * 60 + 30 });
    expect(localClock(at("2026-11-25T23:30:00Z"), TZ)).toEqual({ day: 4, minutes: 90 });
  });
  test("open inside the range, closed outside and on closed days", () => {
    expect(isOpenAt(weekdays, TZ, at("2026-11-25T07:30:00Z"))).toBe(true); // Wed 09:30
    expect(isOpenAt(weekdays, TZ, at("2026-11-25T06:59:00Z"))).toBe(false); // Wed 08:59
    expect(isOpenAt(weekdays, TZ, at("2026-11-25T16:00:00Z"))).toBe(false); // Wed 18:00 (close is exclusive)
    expect(isOpenAt(weekdays, TZ, at("2026-11-27T12:00:00Z"))).toBe(false); // Fri 14:00
    expect(isOpenAt(weekdays, TZ, at("2026-11-28T10:00:00Z"))).toBe(false); // Saturday: null
  });
  test("no table means always open; overnight ranges spill into the next day", () => {
    expect(isOpenAt(undefined, TZ, at("2026-11-28T23:00:00Z"))).toBe(true);
    const night = { "3": { open: "20:00", close: "02:00" } };
    expect(isOpenAt(night, TZ, at("2026-11-25T19:00:00Z"))).toBe(true); // Wed 21:00
    expect(isOpenAt(night, TZ, at("2026-11-25T23:30:00Z"))).toBe(true); // Thu 01:30
    expect(isOpenAt(night, TZ, at("2026-11-26T01:00:00Z"))).toBe(false); // Thu 03:00
  });
  test("the auto-reply is Hebrew and names the business", () => {
    const text = afterHoursReply("שי דירות ומשרדים בע״מ");
    expect(text).toContain("שי דירות ומשרדים");
    expect(text).toMatch(/[\u0590-\u05FF]/);
  });
});
