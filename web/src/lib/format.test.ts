import { describe, expect, test } from "bun:test";
import { dayKey, formatAgorot, formatDate, formatDateTime, formatDuration, formatIsoDate, formatMoney, formatMs, formatPhone, formatRelative, formatTime } from "./format";

describe("he-IL formatting", () => {
  test("dates are dd/mm/yyyy in Israel time, 24 h", () => {
    // 21:30 UTC on 6 May is 00:30 on 7 May in Israel (IDT, UTC+3).
    const d = "2026-05-06T21:30:00Z";
    expect(formatDate(d)).toBe("07/05/2026");
    expect(formatTime(d)).toBe("00:30");
    expect(formatDateTime("2026-01-15T13:05:00Z")).toBe("15/01/2026 15:05");
    expect(dayKey(d)).toBe("2026-05-07");
    expect(formatDate(null)).toBe("—");
    expect(formatDate("not a date")).toBe("—");
  });

  test("amounts in shekels without bidi marks", () => {
    const s = formatMoney(3250000);
    expect(s).toContain("3,250,000");
    expect(s).toContain("₪");
    expect(s).not.toMatch(/[\u200e\u200f]/);
    expect(formatMoney("6200")).toContain("6,200");
    expect(formatMoney(null)).toBe("—");
  });

  test("Israeli phones in national form", () => {
    expect(formatPhone("+972541234567")).toBe("054-123-4567");
    expect(formatPhone("+97235550100")).toBe("03-555-0100");
    expect(formatPhone("+14155550100")).toBe("+14155550100");
    expect(formatPhone(null)).toBe("—");
  });

  test("durations, latency and relative time", () => {
    expect(formatDuration(187)).toBe("3:07");
    expect(formatDuration(3723)).toBe("1:02:03");
    expect(formatMs(840.4)).toBe("840 ms");
    expect(formatMs(1234)).toBe("1.2 s");
    const now = Date.parse("2026-05-07T10:00:00Z");
    expect(formatRelative("2026-05-07T09:59:50Z", now)).toBe("הרגע");
    expect(formatRelative("2026-05-07T09:50:00Z", now)).toBe("לפני 10 דק׳");
  });
});

describe("one style for dashboard, PDFs and CSV", () => {
  test("₪ before the amount, grouped, no bidi marks", () => {
    expect(formatMoney(3_500_000)).toBe("₪3,500,000");
    expect(formatMoney(-1200.4)).toBe("-₪1,200");
    expect(formatAgorot(578_200_000)).toBe("₪5,782,000.00");
    expect(formatAgorot(5)).toBe("₪0.05");
    expect(formatAgorot(-1234)).toBe("-₪12.34");
  });
  test("calendar dates stored as yyyy-mm-dd print dd/mm/yyyy without a time-zone shift", () => {
    expect(formatIsoDate("2026-11-30")).toBe("30/11/2026");
    expect(formatIsoDate(null)).toBe("—");
    expect(formatDate("2026-11-30T10:00:00Z")).toBe("30/11/2026");
  });
});
