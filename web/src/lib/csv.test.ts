import { describe, expect, test } from "bun:test";
import { csvCell, toCsv } from "./csv";

describe("csv", () => {
  test("quotes commas, quotes and newlines; keeps Hebrew", () => {
    expect(csvCell("דני, לוי")).toBe('"דני, לוי"');
    expect(csvCell('אמר "שלום"')).toBe('"אמר ""שלום"""');
    expect(csvCell("שורה\nשנייה")).toBe('"שורה\nשנייה"');
    expect(csvCell(null)).toBe("");
    expect(csvCell(3250000)).toBe("3250000");
  });

  test("strips bidi marks and defuses formulas but not negative numbers", () => {
    expect(csvCell("\u200f3,250,000 ₪")).toBe('"3,250,000 ₪"');
    expect(csvCell("=HYPERLINK(\"x\")")).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell("-15")).toBe("-15");
    expect(csvCell("+972541234567")).toBe("+972541234567");
  });

  test("rows are CRLF separated with a header", () => {
    expect(toCsv(["שם", "טלפון"], [["דני", "+972541234567"], ["רות", null]])).toBe("שם,טלפון\r\nדני,+972541234567\r\nרות,\r\n");
  });
});
