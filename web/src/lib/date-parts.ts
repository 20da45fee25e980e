/**
 * The value behind the he-IL date field (components/ui/date-field.tsx): the
 * same strings a native date / datetime-local input gives ("2030-01-06",
 * "2030-01-06T10:30"), split into day, month, year and time and joined back,
 * so a page swaps its native input for the field without other changes.
 */

export const HEBREW_MONTHS = ["ינואר", "פברואר", "מרץ", "אפריל", "מאי", "יוני", "יולי", "אוגוסט", "ספטמבר", "אוקטובר", "נובמבר", "דצמבר"] as const;

export interface TDateParts {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  /** "HH:MM", or null for a date-only value. */
  time: string | null;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** Days in a month (1–12) of a year, leap years included. */
export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** "2030-01-06" or "2030-01-06T10:30" → parts; anything else → null. */
export function splitDate(value: string | null | undefined): TDateParts | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(value ?? "");
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day, time: m[4] ? `${m[4]}:${m[5]}` : null };
}

/** Parts → "2030-01-06" (date only) or "2030-01-06T10:30"; the day is clamped to the month (31/01 → February 28/29). */
export function joinDate(p: TDateParts): string {
  const day = Math.min(p.day, daysInMonth(p.year, p.month));
  const date = `${p.year}-${pad(p.month)}-${pad(day)}`;
  return p.time ? `${date}T${p.time}` : date;
}

/** The value shown the Israeli way: "06/01/2030" or "06/01/2030 10:30"; "" when empty. */
export function displayDate(value: string | null | undefined): string {
  const p = splitDate(value);
  if (!p) return "";
  return `${pad(p.day)}/${pad(p.month)}/${p.year}${p.time ? ` ${p.time}` : ""}`;
}

/**
 * One part changed in a select. From an empty value the other parts come from
 * `start` (today, and `defaultTime` for a date with a time), so picking just a
 * day gives a whole date.
 */
export function withPart(value: string, part: "day" | "month" | "year" | "time", v: number | string, start: { year: number; month: number; day: number }, withTime: boolean, defaultTime = "09:00"): string {
  const cur = splitDate(value) ?? { ...start, time: withTime ? defaultTime : null };
  const next: TDateParts = { ...cur, time: withTime ? (cur.time ?? defaultTime) : null };
  if (part === "time") {
    if (withTime) next.time = String(v);
  } else next[part] = Number(v);
  return joinDate(next);
}
