/**
 * Minimal RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF, a UTF-8
 * BOM, and the delimiter guessed from the header line (Excel in some locales
 * writes ";"). Pure functions, no I/O.
 */
export const UTF8_BOM = "\uFEFF";

/**
 * Cells a spreadsheet may run as a formula (OWASP CSV injection): a leading
 * = + - @, and TAB or CR, which Excel skips before looking for one.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Neutralise free text for a spreadsheet by prefixing a quote. Use on text
 * people or callers typed, not on values of a known shape (E.164 phones).
 *
 * @example guardFormula("\t=HYPERLINK(...)") // "'\t=HYPERLINK(...)"
 */
export function guardFormula(s: string | null | undefined): string {
  return s && FORMULA_START.test(s) ? `'${s}` : (s ?? "");
}

/** Undo {@link guardFormula} on import (only a quote that guarded a formula start is removed). */
export function unguardFormula(s: string): string {
  return s.startsWith("'") && FORMULA_START.test(s.slice(1)) ? s.slice(1) : s;
}

/** Quote a field when needed. */
export function csvField(value: string | number | null | undefined): string {
  const s = value === null || value === undefined ? "" : String(value);
  return /[",;\r\n\t]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A CSV document: BOM (so Excel shows Hebrew), CRLF line ends. */
export function toCsv(header: string[], rows: (string | number | null | undefined)[][]): string {
  return UTF8_BOM + [header, ...rows].map((r) => r.map(csvField).join(",")).join("\r\n") + "\r\n";
}

function guessDelimiter(firstLine: string): string {
  const counts = [",", ";", "\t"].map((d) => [d, firstLine.split(d).length - 1] as const);
  return counts.sort((a, b) => b[1] - a[1])[0]![1] > 0 ? counts[0]![0] : ",";
}

/** Parse CSV text into rows of strings (blank lines kept, so row numbers match the file). Throws on an unterminated quote. */
export function parseCsv(text: string): string[][] {
  const src = text.startsWith(UTF8_BOM) ? text.slice(1) : text;
  const delimiter = guessDelimiter(src.split(/\r?\n/, 1)[0] ?? "");
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  let i = 0;
  while (i < src.length) {
    const ch = src[i]!;
    if (quoted) {
      if (ch === '"') {
        if (src[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === "") {
      quoted = true;
      i++;
    } else if (ch === delimiter) {
      row.push(field);
      field = "";
      i++;
    } else if (ch === "\r" || ch === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i += ch === "\r" && src[i + 1] === "\n" ? 2 : 1;
    } else {
      field += ch;
      i++;
    }
  }
  if (quoted) throw new Error("unterminated quoted field");
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
