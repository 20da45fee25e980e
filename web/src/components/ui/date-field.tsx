/**
 * A he-IL date (and optionally time) field in place of the browser's native
 * date input, which follows the browser's locale (mm/dd/yyyy on an English
 * Chrome). Day, month (Hebrew names) and year are three native selects, so
 * keyboard, screen readers and phones work as usual; in RTL they sit day first
 * on the right, read as dd/mm/yyyy. The value is the native input's string
 * ("2030-01-06", "2030-01-06T10:30", "" when empty), so a page swaps one for
 * the other without other changes.
 *
 * @example <DateField id={id} value={from()} onChange={setFrom} optional />
 */
import { createMemo } from "solid-js";
import { daysInMonth, displayDate, HEBREW_MONTHS, splitDate, withPart } from "../../lib/date-parts";
import { dayKey } from "../../lib/format";

const SELECT =
  "h-10 rounded-lg border border-line bg-white px-2 text-[15px] text-ink focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-200 disabled:bg-slate-50";

const pad = (n: number) => String(n).padStart(2, "0");

/** Quarter-hour steps over the whole day, 24-hour clock. */
const TIMES = Array.from({ length: 96 }, (_, i) => `${pad(Math.floor(i / 4))}:${pad((i % 4) * 15)}`);

export function DateField(props: {
  /** Put on the day select, so a Field's label points at the field. */
  id?: string;
  value: string;
  onChange: (value: string) => void;
  /** Adds a time select (the value becomes "yyyy-mm-ddTHH:MM"). */
  withTime?: boolean;
  /** Empty allowed: each select gets a "—" that clears the field. */
  optional?: boolean;
  /** Years offered around today (default two back, three ahead). */
  yearsBack?: number;
  yearsAhead?: number;
  disabled?: boolean;
  /** Names the group for screen readers and tests ("מתאריך"). */
  label?: string;
}) {
  const parts = createMemo(() => splitDate(props.value));
  const today = () => {
    const [year, month, day] = dayKey(new Date()).split("-").map(Number);
    return { year: year!, month: month!, day: day! };
  };
  const set = (part: "day" | "month" | "year" | "time", v: string) => {
    if (v === "") return props.onChange("");
    props.onChange(withPart(props.value, part, part === "time" ? v : Number(v), today(), Boolean(props.withTime)));
  };
  const years = createMemo(() => {
    const now = today().year;
    const from = Math.min(now - (props.yearsBack ?? 2), parts()?.year ?? now);
    const to = Math.max(now + (props.yearsAhead ?? 3), parts()?.year ?? now);
    return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  });
  const days = createMemo(() => {
    const p = parts();
    return Array.from({ length: p ? daysInMonth(p.year, p.month) : 31 }, (_, i) => i + 1);
  });
  const times = createMemo(() => {
    const t = parts()?.time;
    return t && !TIMES.includes(t) ? [...TIMES, t].sort() : TIMES;
  });
  const empty = () => (props.optional ? <option value="">—</option> : null);

  return (
    <div role="group" aria-label={props.label} title={displayDate(props.value) || undefined} class="inline-flex items-center gap-1" data-testid="date-field" data-value={props.value}>
      <select id={props.id} aria-label="יום" class={`${SELECT} w-16`} disabled={props.disabled} onChange={(e) => set("day", e.currentTarget.value)}>
        {empty()}
        {days().map((d) => (
          <option value={d} selected={parts()?.day === d}>
            {pad(d)}
          </option>
        ))}
      </select>
      <select aria-label="חודש" class={`${SELECT} w-28`} disabled={props.disabled} onChange={(e) => set("month", e.currentTarget.value)}>
        {empty()}
        {HEBREW_MONTHS.map((name, i) => (
          <option value={i + 1} selected={parts()?.month === i + 1}>
            {name}
          </option>
        ))}
      </select>
      <select aria-label="שנה" class={`${SELECT} w-20`} disabled={props.disabled} onChange={(e) => set("year", e.currentTarget.value)}>
        {empty()}
        {years().map((y) => (
          <option value={y} selected={parts()?.year === y}>
            {y}
          </option>
        ))}
      </select>
      {props.withTime && (
        <select aria-label="שעה" dir="ltr" class={`${SELECT} w-20`} disabled={props.disabled} onChange={(e) => set("time", e.currentTarget.value)}>
          {empty()}
          {times().map((t) => (
            <option value={t} selected={parts()?.time === t}>
              {t}
            </option>
          ))}
        </select>
      )}
    </div>
  );
}
