/**
 * Attack test for issue #12 item 9: a customer's free text that starts with
 * TAB or CR followed by a formula must reach the CSV export neutralised
 * (OWASP CSV injection: = + - @ \t \r), and the import must undo the guard.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { customers } from "../../db/schema";
import { guardFormula, parseCsv, unguardFormula } from "../../api/lib/csv";
import { createTestApp, type TTestApp } from "../helpers/app";
import { DB_KINDS } from "../helpers/db";
import { adminClient } from "../helpers/trpc";

const PAYLOADS = ['\t=HYPERLINK("https://evil.example","x")', "\r=1+1", "=cmd|' /C calc'!A0", "+972 נראה כמו טלפון", "-2+3", "@SUM(A1)"];

describe("formula guard", () => {
  test("every OWASP trigger is prefixed with a quote and restored on import", () => {
    for (const p of PAYLOADS) {
      expect(guardFormula(p)).toBe(`'${p}`);
      expect(unguardFormula(guardFormula(p))).toBe(p);
    }
    expect(guardFormula("דני כהן")).toBe("דני כהן");
    expect(guardFormula(null)).toBe("");
  });
});

for (const kind of DB_KINDS) {
  describe(`CSV export formula injection [${kind}]`, () => {
    let t: TTestApp;
    beforeAll(async () => {
      t = await createTestApp(kind);
    }, 480_000);
    afterAll(async () => {
      await t.close();
    });

    test("names and notes starting with TAB or CR + formula are exported as text", async () => {
      // Text that arrived from a caller or a WhatsApp message, stored as is.
      await t.db.db.insert(customers).values([
        { businessId: t.businessId, fullName: PAYLOADS[0]!, notes: PAYLOADS[1]!, phone: "+972501110001" },
        { businessId: t.businessId, fullName: "רגיל", notes: PAYLOADS[0]!, phone: "+972501110002" },
      ]);
      const admin = await adminClient(t);
      const { csv } = await admin.api.customers.exportCsv.query({});
      const rows = parseCsv(csv);
      const header = rows[0]!;
      const nameCol = header.indexOf("שם מלא");
      const notesCol = header.indexOf("הערות");
      const cells = rows.slice(1).flatMap((r) => [r[nameCol] ?? "", r[notesCol] ?? ""]);
      const dangerous = cells.filter((c) => /^[=+\-@\t\r]/.test(c));
      expect(dangerous).toEqual([]);
      expect(cells).toContain(`'${PAYLOADS[0]}`);
      expect(cells).toContain(`'${PAYLOADS[1]}`);
      await t.db.db.delete(customers).where(eq(customers.phone, "+972501110001"));
      await t.db.db.delete(customers).where(eq(customers.phone, "+972501110002"));
    }, 240_000);
  });
}
