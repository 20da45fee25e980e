import { describe, expect, test } from "bun:test";
import { csvField, parseCsv, toCsv, UTF8_BOM } from "./csv";

describe("csv", () => {
  test("quotes only what needs quoting and round-trips tricky Hebrew fields", () => {
    expect(csvField("שלום")).toBe("שלום");
    expect(csvField('ממ"ד, מעלית')).toBe('"ממ""ד, מעלית"');
    const rows = [["שם", "הערה"], ['דני "הגדול"', "שורה 1\nשורה 2"], ["", "a;b"]];
    const text = toCsv(rows[0]!, rows.slice(1));
    expect(text.startsWith(UTF8_BOM)).toBe(true);
    expect(parseCsv(text)).toEqual(rows);
  });

  test("guesses ';' and tab delimiters, accepts LF and CRLF, keeps blank lines for row numbers", () => {
    expect(parseCsv("a;b\n1;2\n")).toEqual([["a", "b"], ["1", "2"]]);
    expect(parseCsv("a\tb\r\n1\t2")).toEqual([["a", "b"], ["1", "2"]]);
    expect(parseCsv("a,b\n\n1,2\n")).toEqual([["a", "b"], [""], ["1", "2"]]);
  });

  test("an unterminated quote throws", () => {
    expect(() => parseCsv('a,b\n"open,1\n')).toThrow("unterminated");
  });
});
