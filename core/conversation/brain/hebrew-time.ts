/**
 * Spoken Hebrew times ("מחר בחמש אחרי הצהריים", "ביום שלישי בעשר בבוקר",
 * "ב-17:30", "3/12") → parts → a concrete instant in the business timezone
 * (Asia/Jerusalem by default), and back to natural speech.
 */
import { hebrewNumber } from "./hebrew-numbers";

export const DEFAULT_TZ = "Asia/Jerusalem";

/** What a caller said about a time; any part may be missing. */
export interface TTimeParts {
  /** Days from today (0 = today, 1 = tomorrow). */
  dayOffset?: number;
  /** 0 = Sunday … 6 = Saturday (next occurrence after today). */
  weekday?: number;
  date?: { month: number; day: number; year?: number };
  hour?: number;
  minute?: number;
  period?: "morning" | "noon" | "afternoon" | "evening";
  /** "בעוד שעה", "בעוד חצי שעה": minutes from now. */
  inMinutes?: number;
}

const WEEKDAYS: Record<string, number> = { ראשון: 0, שני: 1, שלישי: 2, רביעי: 3, חמישי: 4, שישי: 5 };
const WEEKDAY_NAMES = ["ראשון", "שני", "שלישי", "רביעי", "חמישי", "שישי", "שבת"];
const MONTHS: Record<string, number> = {
  ינואר: 1, פברואר: 2, מרץ: 3, מרס: 3, אפריל: 4, מאי: 5, יוני: 6, יולי: 7, אוגוסט: 8, ספטמבר: 9, אוקטובר: 10, נובמבר: 11, דצמבר: 12,
};
const MONTH_NAMES = ["", "בינואר", "בפברואר", "במרץ", "באפריל", "במאי", "ביוני", "ביולי", "באוגוסט", "בספטמבר", "באוקטובר", "בנובמבר", "בדצמבר"];
const HOUR_WORDS: Array<[string, number]> = [
  ["אחת עשרה", 11], ["שתים עשרה", 12], ["שתיים עשרה", 12],
  ["אחת", 1], ["שתיים", 2], ["שלוש", 3], ["ארבע", 4], ["חמש", 5], ["שש", 6], ["שבע", 7], ["שמונה", 8], ["תשע", 9], ["עשר", 10],
];

const B = "(?:^|[\\s,.!?])";
const E = "(?=$|[\\s,.!?])";

/** Compiled-once regexes for patterns built from strings (parsing runs on every utterance). */
const RX = new Map<string, RegExp>();
function rx(source: string): RegExp {
  let r = RX.get(source);
  if (!r) {
    r = new RegExp(source);
    RX.set(source, r);
  }
  return r;
}

/** Extract time parts from normalised Hebrew text; undefined when nothing time-like is there. */
export function parseTimeParts(text: string): TTimeParts | undefined {
  const t = text;
  const out: TTimeParts = {};
  if (rx(`${B}(?:ו?ב?)?מחרתיים${E}`).test(t)) out.dayOffset = 2;
  else if (rx(`${B}(?:ו?ל?)?מחר${E}`).test(t)) out.dayOffset = 1;
  else if (rx(`${B}(?:ו?)?(?:היום|עוד היום)${E}`).test(t)) out.dayOffset = 0;

  const wd = t.match(rx(`${B}(?:ו?ב?)?יום (ראשון|שני|שלישי|רביעי|חמישי|שישי)${E}`)) ?? t.match(rx(`${B}ו?ב(ראשון|שלישי|רביעי|חמישי|שישי)${E}`));
  if (wd) out.weekday = WEEKDAYS[wd[1]!];
  else if (rx(`${B}(?:ו?ב?)?(?:יום )?שבת${E}`).test(t)) out.weekday = 6;

  const dm = t.match(/(?:^|[\s,.!?])(?:ב|ה|ל)?(\d{1,2})[./](\d{1,2})(?:[./](\d{2,4}))?(?=$|[\s,!?])(?!\s*(?:מיליון|מליון|אלף|חדרים|חדר|חד'|שקל|ש"ח|₪|מ"ר|מטר))/);
  if (dm) {
    const day = Number(dm[1]);
    const month = Number(dm[2]);
    if (day >= 1 && day <= 31 && month >= 1 && month <= 12) {
      out.date = { day, month, ...(dm[3] ? { year: Number(dm[3].length === 2 ? `20${dm[3]}` : dm[3]) } : {}) };
    }
  }
  const named = t.match(rx(`(?:ה|ב|ל)?(\\d{1,2}) (?:ב|ל)(${Object.keys(MONTHS).join("|")})${E}`));
  if (named) out.date = { day: Number(named[1]), month: MONTHS[named[2]!]! };

  const clock = t.match(/(?:^|\D)(\d{1,2}):(\d{2})(?!\d)/);
  if (clock) {
    out.hour = Number(clock[1]);
    out.minute = Number(clock[2]);
  } else {
    const digit = t.match(/(?:^|[\s,.!?])(?:בשעה |בסביבות |ב|שעה |ב )(\d{1,2})(?![\d./:])(?!\s*(?:חדר|מיליון|אלף|שקל|ש"ח|₪|מטר|מ"ר|קומה|דקות))/);
    if (digit && Number(digit[1]) <= 23) out.hour = Number(digit[1]);
    else {
      for (const [w, h] of HOUR_WORDS) {
        if (rx(`${B}(?:בשעה |בסביבות |ו?ב|שעה )${w}${E}`).test(t)) {
          out.hour = h;
          break;
        }
      }
    }
    if (out.hour !== undefined) {
      if (/וחצי|ושלושים/.test(t)) out.minute = 30;
      else if (/ורבע/.test(t)) out.minute = 15;
    }
  }
  const rel = t.match(/בעוד (?:(חצי שעה)|(שעה וחצי)|(שעתיים)|(שעה)|(\d{1,2}) (שעות|דקות)|(רבע שעה))/);
  if (rel) {
    out.inMinutes = rel[1] ? 30 : rel[2] ? 90 : rel[3] ? 120 : rel[4] ? 60 : rel[7] ? 15 : Number(rel[5]) * (rel[6] === "שעות" ? 60 : 1);
    delete out.hour;
    delete out.minute;
  }
  if (/בבוקר|לפני הצהריים|לפנה"צ/.test(t)) out.period = "morning";
  else if (/אחרי הצהריים|אחר הצהריים|אחה"צ|אחה צ/.test(t)) out.period = "afternoon";
  else if (/בצהריים|צהריים/.test(t)) out.period = "noon";
  else if (/בערב|בלילה/.test(t)) out.period = "evening";

  return Object.keys(out).length ? out : undefined;
}

/** Merge newer parts over older ones (a caller may give the day, then the hour). */
export function mergeTimeParts(a: TTimeParts | undefined, b: TTimeParts | undefined): TTimeParts | undefined {
  if (!a) return b;
  if (!b) return a;
  const dayGiven = b.dayOffset !== undefined || b.weekday !== undefined || b.date !== undefined;
  return {
    ...(dayGiven ? {} : { dayOffset: a.dayOffset, weekday: a.weekday, date: a.date }),
    ...(b.hour === undefined && b.inMinutes === undefined ? { hour: a.hour, minute: a.minute, period: a.period, inMinutes: a.inMinutes } : {}),
    ...stripUndefined(b),
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** 24-hour clock from a spoken hour: phone callers mean 1–7 as afternoon unless they say "בבוקר". */
export function to24h(hour: number, period?: TTimeParts["period"]): number {
  if (hour >= 13) return hour;
  if (period === "morning") return hour === 12 ? 12 : hour;
  if (period === "afternoon" || period === "evening") return hour < 12 ? hour + 12 : hour;
  if (period === "noon") return hour <= 4 ? hour + 12 : hour;
  return hour >= 1 && hour <= 7 ? hour + 12 : hour;
}

/**
 * A concrete instant from parts, or undefined when the hour is missing.
 * No day → today if still ahead (by 30 minutes), else tomorrow.
 */
export function resolveTime(parts: TTimeParts, now: Date, tz = DEFAULT_TZ): Date | undefined {
  if (parts.inMinutes !== undefined) {
    // Rounded up to the next quarter hour: nobody books "in an hour" at 13:07.
    const quarter = 15 * 60_000;
    return new Date(Math.ceil((now.getTime() + parts.inMinutes * 60_000) / quarter) * quarter);
  }
  if (parts.hour === undefined) return undefined;
  const hour = to24h(parts.hour, parts.period);
  const minute = parts.minute ?? 0;
  const today = localParts(now, tz);
  let y = today.year;
  let m = today.month;
  let d = today.day;
  if (parts.date) {
    m = parts.date.month;
    d = parts.date.day;
    y = parts.date.year ?? today.year;
    if (!parts.date.year && zonedDate(y, m, d, hour, minute, tz).getTime() < now.getTime()) y += 1;
  } else {
    let offset = parts.dayOffset;
    if (offset === undefined && parts.weekday !== undefined) offset = (parts.weekday - today.weekday + 7) % 7 || 7;
    if (offset === undefined) {
      const candidate = zonedDate(y, m, d, hour, minute, tz);
      offset = candidate.getTime() > now.getTime() + 30 * 60_000 ? 0 : 1;
    }
    const shifted = new Date(Date.UTC(y, m - 1, d + offset));
    y = shifted.getUTCFullYear();
    m = shifted.getUTCMonth() + 1;
    d = shifted.getUTCDate();
  }
  return zonedDate(y, m, d, hour, minute, tz);
}

const fmtCache = new Map<string, Intl.DateTimeFormat>();
function fmt(tz: string): Intl.DateTimeFormat {
  let f = fmtCache.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: tz, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric", weekday: "short",
    });
    fmtCache.set(tz, f);
  }
  return f;
}

const WD_EN: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** Wall-clock parts of an instant in a timezone. */
export function localParts(date: Date, tz = DEFAULT_TZ) {
  const parts = fmt(tz).formatToParts(date);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "0";
  return {
    year: Number(get("year")),
    month: Number(get("month")),
    day: Number(get("day")),
    hour: Number(get("hour")) % 24,
    minute: Number(get("minute")),
    weekday: WD_EN[get("weekday")] ?? 0,
  };
}

/** The instant whose wall clock in `tz` reads y-m-d h:min (DST-safe). */
export function zonedDate(y: number, m: number, d: number, h: number, min: number, tz = DEFAULT_TZ): Date {
  const guess = Date.UTC(y, m - 1, d, h, min);
  const offsetAt = (ms: number) => {
    const p = localParts(new Date(ms), tz);
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - Math.floor(ms / 60_000) * 60_000;
  };
  let t = guess - offsetAt(guess);
  const second = guess - offsetAt(t);
  if (second !== t) t = second;
  return new Date(t);
}

/** "חמש אחרי הצהריים", "עשר וחצי בבוקר". */
export function speakHour(hour24: number, minute = 0): string {
  const h12 = hour24 % 12 === 0 ? 12 : hour24 % 12;
  const base = hebrewNumber(h12, { feminine: true });
  const mins = minute === 0 ? "" : minute === 30 ? " וחצי" : minute === 15 ? " ורבע" : ` ו${hebrewNumber(minute, { feminine: true })} דקות`;
  const period = hour24 < 12 ? "בבוקר" : hour24 < 15 ? "בצהריים" : hour24 < 18 ? "אחרי הצהריים" : hour24 < 22 ? "בערב" : "בלילה";
  return `${base}${mins} ${period}`;
}

/**
 * Natural Hebrew for an appointment time relative to now.
 *
 * @example speakDateTime(tomorrowAt17, now) // "מחר בחמש אחרי הצהריים"
 */
export function speakDateTime(when: Date, now: Date, tz = DEFAULT_TZ): string {
  const w = localParts(when, tz);
  const n = localParts(now, tz);
  const days = Math.round((Date.UTC(w.year, w.month - 1, w.day) - Date.UTC(n.year, n.month - 1, n.day)) / 86_400_000);
  const day =
    days === 0 ? "היום" : days === 1 ? "מחר" : days < 7 ? `ביום ${WEEKDAY_NAMES[w.weekday]}` : `ביום ${WEEKDAY_NAMES[w.weekday]}, ה-${w.day} ${MONTH_NAMES[w.month]},`;
  return `${day} ב${speakHour(w.hour, w.minute)}`;
}
