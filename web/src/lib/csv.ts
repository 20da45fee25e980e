/**
 * CSV writing for exports: RFC 4180 quoting, CRLF rows, and no Unicode bidi
 * marks (Intl inserts them in Hebrew number formats; they corrupt cells).
 */
export type TCsvValue = string | number | boolean | null | undefined;

const BIDI = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function csvCell(v: TCsvValue): string {
  if (v === null || v === undefined) return "";
  let s = String(v).replace(BIDI, "");
  // Spreadsheet formula injection: a cell starting with = + - @ is text, not a formula.
  if (/^[=+\-@]/.test(s) && !/^[-+]?\d[\d.,]*$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: string[], rows: TCsvValue[][]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
}
