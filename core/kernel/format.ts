/**
 * The one formatting module for numbers and dates, shared by the dashboard
 * (re-exported from web/src/lib/format.ts), the PDFs and the CSV exports, so
 * an amount or a date reads the same everywhere (he-IL): `₪3,500,000`,
 * `30/11/2026`, `14:05`, `054-123-4567`. Pure functions over Intl; no bidi
 * marks in the output (wrap in `<bdi>` / `dir="ltr"` where shown).
 */

const TZ = "Asia/Jerusalem";

/** One formatter per time zone, made on first use (Israel's, or a business's own). */
function perZone(options: Intl.DateTimeFormatOptions): (tz: string) => Intl.DateTimeFormat {
  const made = new Map<string, Intl.DateTimeFormat>();
  const get = (tz: string) => {
    let f = made.get(tz);
    if (!f) made.set(tz, (f = new Intl.DateTimeFormat("he-IL", { ...options, timeZone: tz })));
    return f;
  };
  return get;
}
const datePartsIn = perZone({ day: "2-digit", month: "2-digit", year: "numeric" });
const timePartsIn = perZone({ hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
const dateParts = datePartsIn(TZ);
const weekday = new Intl.DateTimeFormat("he-IL", { timeZone: TZ, weekday: "long" });

type TDateInput = Date | string | number | null | undefined;

function toDate(v: TDateInput): Date | null {
  if (v === null || v === undefined || v === "") return null;
  const d = v instanceof Date ? v : new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

function part(fmt: Intl.DateTimeFormat, d: Date, type: Intl.DateTimeFormatPartTypes): string {
  return fmt.formatToParts(d).find((p) => p.type === type)?.value ?? "";
}

/** `07/05/2026` — he-IL prints dots, Israeli forms use slashes. Israel time unless `tz` says otherwise. */
export function formatDate(v: TDateInput, tz = TZ): string {
  const d = toDate(v);
  if (!d) return "—";
  const f = datePartsIn(tz);
  return `${part(f, d, "day")}/${part(f, d, "month")}/${part(f, d, "year")}`;
}

/** `14:05` (24 h), Israel time unless `tz` says otherwise. */
export function formatTime(v: TDateInput, tz = TZ): string {
  const d = toDate(v);
  if (!d) return "—";
  const f = timePartsIn(tz);
  return `${part(f, d, "hour")}:${part(f, d, "minute")}`;
}

/** `07/05/2026 14:05`. */
export function formatDateTime(v: TDateInput): string {
  const d = toDate(v);
  return d ? `${formatDate(d)} ${formatTime(d)}` : "—";
}

/** Hebrew weekday name, e.g. `יום שלישי`. */
export function formatWeekday(v: TDateInput): string {
  const d = toDate(v);
  return d ? weekday.format(d) : "";
}

/** The calendar day in Israel as `yyyy-mm-dd` (for grouping and date inputs). */
export function dayKey(v: TDateInput): string {
  const d = toDate(v);
  if (!d) return "";
  return `${part(dateParts, d, "year")}-${part(dateParts, d, "month")}-${part(dateParts, d, "day")}`;
}

const grouped = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** Whole shekels: `₪3,500,000`, `-₪1,200` (rounded to the shekel). */
export function formatMoney(v: number | string | null | undefined): string {
  if (v === null || v === undefined || v === "") return "—";
  const n = typeof v === "string" ? Number(v) : v;
  if (!Number.isFinite(n)) return "—";
  const r = Math.round(n);
  return `${r < 0 ? "-" : ""}₪${grouped.format(Math.abs(r))}`;
}

/** Integer agorot with the agorot always shown, as documents print them: `₪57,820.00`, `-₪12.34`. */
export function formatAgorot(agorot: number | null | undefined): string {
  if (agorot === null || agorot === undefined || !Number.isFinite(agorot)) return "—";
  const a = Math.round(agorot);
  const abs = Math.abs(a);
  return `${a < 0 ? "-" : ""}₪${grouped.format(Math.floor(abs / 100))}.${String(abs % 100).padStart(2, "0")}`;
}

/** A calendar date stored as `yyyy-mm-dd` (no time zone) → `30/11/2026`. */
export function formatIsoDate(iso: string | null | undefined): string {
  const m = iso ? /^(\d{4})-(\d{2})-(\d{2})/.exec(iso) : null;
  return m ? `${m[3]}/${m[2]}/${m[1]}` : "—";
}

/** A plain number with thousands separators: `1,234`, `12.5`. */
export function formatNumber(n: number | null | undefined, fractionDigits = 0): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return "—";
  return new Intl.NumberFormat("en-US", { maximumFractionDigits: fractionDigits }).format(n);
}

/** Seconds → `3:07` (or `1:02:03`). */
export function formatDuration(sec: number | null | undefined): string {
  if (sec === null || sec === undefined || !Number.isFinite(sec)) return "—";
  const s = Math.max(0, Math.round(sec));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = String(s % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${r}` : `${m}:${r}`;
}

/** Milliseconds for latency figures: `840 ms` / `1.2 s`. */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return "—";
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * E.164 Israeli numbers in the national form people read: `+972541234567` →
 * `054-123-4567`, `+97235550100` → `03-555-0100`. Other numbers pass through.
 */
export function formatPhone(e164: string | null | undefined): string {
  if (!e164) return "—";
  const m = /^\+972(\d{8,9})$/.exec(e164.replace(/[\s-]/g, ""));
  if (!m) return e164;
  const local = `0${m[1]}`;
  if (local.length === 10) return `${local.slice(0, 3)}-${local.slice(3, 6)}-${local.slice(6)}`;
  return `${local.slice(0, 2)}-${local.slice(2, 5)}-${local.slice(5)}`;
}

/** "לפני 5 דקות" style relative time for feeds. */
export function formatRelative(v: TDateInput, now = Date.now()): string {
  const d = toDate(v);
  if (!d) return "—";
  const diff = Math.round((now - d.getTime()) / 1000);
  if (diff < 45) return "הרגע";
  if (diff < 3600) return `לפני ${Math.round(diff / 60)} דק׳`;
  if (diff < 86400) return `לפני ${Math.round(diff / 3600)} שע׳`;
  return formatDate(d);
}
