/**
 * Business hours in the business's own timezone. Hours are per weekday
 * ("0" = Sunday) as "HH:MM" open/close; a missing table means always open,
 * a day set to null (or missing from a table) means closed that day.
 */
import type { TBusinessSettings } from "../../../db/schema";

type THours = TBusinessSettings["businessHours"];

const WEEKDAY: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** Weekday (0 = Sunday) and minutes since midnight of `at` in `timeZone`. */
export function localClock(at: Date, timeZone: string): { day: number; minutes: number } {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(at);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  return { day: WEEKDAY[get("weekday")] ?? 0, minutes: Number(get("hour")) * 60 + Number(get("minute")) };
}

const toMinutes = (hhmm: string) => {
  const [h, m] = hhmm.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/** Whether the business is open at `at`. Overnight ranges (close < open) are honoured. */
export function isOpenAt(hours: THours, timeZone: string, at: Date): boolean {
  if (!hours || Object.keys(hours).length === 0) return true;
  const { day, minutes } = localClock(at, timeZone);
  const today = hours[String(day) as keyof NonNullable<THours>];
  if (today) {
    const open = toMinutes(today.open);
    const close = toMinutes(today.close);
    if (close > open ? minutes >= open && minutes < close : minutes >= open) return true;
  }
  // Yesterday's overnight range may still be running.
  const yesterday = hours[String((day + 6) % 7) as keyof NonNullable<THours>];
  if (yesterday) {
    const open = toMinutes(yesterday.open);
    const close = toMinutes(yesterday.close);
    if (close < open && minutes < close) return true;
  }
  return false;
}

/** The Hebrew auto-reply sent outside business hours. */
export function afterHoursReply(businessName: string): string {
  return `שלום, תודה שפנית ל${businessName}. המשרד סגור כרגע — קיבלנו את ההודעה ונחזור אליך בשעות הפעילות.`;
}
