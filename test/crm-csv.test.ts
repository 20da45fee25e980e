/** Customers CSV: export for Excel and an all-or-nothing import, round-tripped with Hebrew. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { parseCsv, UTF8_BOM } from "../api/lib/csv";
import { auditLog, customers } from "../db/schema";
import { createTestApp, type TTestApp } from "./helpers/app";
import { DB_KINDS } from "./helpers/db";
import { createTenant, trpcError } from "./helpers/trpc";

for (const kind of DB_KINDS) {
  describe(`customers CSV [${kind}]`, () => {
    let t: TTestApp;
    beforeAll(async () => {
      t = await createTestApp(kind);
    }, 60_000);
    afterAll(async () => {
      await t.close();
    });

    test("export → import round trip keeps Hebrew, E.164 phones, requirements and budget", async () => {
      const a = await createTenant(t);
      await a.api.customers.create.mutate({
        fullName: 'יוסי "הבונה" כהן',
        phone: "054-987-6543",
        email: "yossi@example.co.il",
        status: "viewing",
        source: "call",
        tags: ["משקיע", "VIP"],
        requirements: { dealType: "sale", cities: ["רמת גן", "גבעתיים"], roomsMin: 4, roomsMax: 5, budgetMax: 3_500_000 },
        notes: "מעדיף קומה גבוהה,\nעם מעלית",
      });
      await a.api.customers.create.mutate({ fullName: "=HYPERLINK(\"x\")", phone: "03-555-1234" });
      const out = await a.api.customers.exportCsv.query({});
      expect(out.rows).toBe(2);
      expect(out.filename).toMatch(/^customers-\d{4}-\d\d-\d\d\.csv$/);
      expect(out.csv.startsWith(UTF8_BOM)).toBe(true);
      expect(out.csv).not.toContain("\u200f");
      const table = parseCsv(out.csv);
      expect(table[0]!.slice(0, 5)).toEqual(["שם מלא", "טלפון", "אימייל", "סטטוס", "מקור"]);
      const yossi = table.find((r) => r[0]?.startsWith("יוסי"))!;
      expect(yossi[1]).toBe("+972549876543");
      expect(yossi[3]).toBe("בצפייה");
      expect(yossi[10]!.replace(/\D/g, "")).toBe("3500000");
      expect(yossi[10]).toContain("₪");
      expect(table.find((r) => r[1] === "+97235551234")![0]).toBe("'=HYPERLINK(\"x\")"); // formula neutralised

      const b = await createTenant(t);
      const res = await b.api.customers.importCsv.mutate({ csv: out.csv });
      expect(res.errors).toEqual([]);
      expect(res.imported).toBe(2);
      const list = await b.api.customers.list.query({ sort: "name" });
      const copy = list.items.find((c) => c.phone === "+972549876543")!;
      expect(copy.fullName).toBe('יוסי "הבונה" כהן');
      expect(copy.email).toBe("yossi@example.co.il");
      expect(copy.status).toBe("viewing");
      expect(copy.source).toBe("call");
      expect(copy.tags).toEqual(["משקיע", "VIP"]);
      expect(copy.requirements).toEqual({ dealType: "sale", cities: ["רמת גן", "גבעתיים"], roomsMin: 4, roomsMax: 5, budgetMax: 3_500_000 });
      expect(copy.notes).toBe("מעדיף קומה גבוהה,\nעם מעלית");
      expect(list.items.find((c) => c.phone === "+97235551234")!.fullName).toBe('=HYPERLINK("x")');
      const audit = await t.db.db.select().from(auditLog).where(eq(auditLog.action, "customers.import"));
      expect(audit.filter((r) => r.businessId === b.businessId).map((r) => (r.after as { count: number }).count)).toEqual([2]);
    });

    test("invalid rows are reported with spreadsheet row numbers and nothing is imported", async () => {
      const c = await createTenant(t);
      await c.api.customers.create.mutate({ fullName: "קיים", phone: "050-000-0001" });
      const csv = [
        "שם מלא;טלפון;אימייל;סטטוס;תקציב מקסימלי",
        "תקין אחד;052-111-1111;one@example.com;חדש;₪ 1,200,000",
        "טלפון שבור;12;;;",
        "אימייל שבור;052-222-2222;not-an-email;;",
        "סטטוס מוזר;052-333-3333;;מעולה;",
        ";;;;",
        "כפול;052-111-1111;;;",
        "קיים כבר;0500000001;;;",
        "תקציב מוזר;052-444-4444;;;הרבה",
      ].join("\r\n");
      const before = (await t.db.db.select().from(customers).where(eq(customers.businessId, c.businessId))).length;
      const res = await c.api.customers.importCsv.mutate({ csv });
      expect(res.imported).toBe(0);
      expect(res.errors.map((e) => e.row)).toEqual([3, 4, 5, 7, 8, 9]);
      expect(res.errors.find((e) => e.row === 3)!.message).toBe('מספר טלפון לא תקין: "12"');
      expect(res.errors.find((e) => e.row === 5)!.message).toBe('סטטוס לא מוכר: "מעולה"');
      expect(res.errors.find((e) => e.row === 7)!.message).toBe("הטלפון +972521111111 מופיע כבר בשורה 2");
      expect(res.errors.find((e) => e.row === 8)!.message).toBe("כבר קיים לקוח עם הטלפון +972500000001");
      expect((await t.db.db.select().from(customers).where(eq(customers.businessId, c.businessId))).length).toBe(before);

      const fixed = csv.split("\r\n").filter((_, i) => [0, 1].includes(i)).join("\r\n");
      const ok = await c.api.customers.importCsv.mutate({ csv: fixed });
      expect(ok).toMatchObject({ imported: 1, errors: [] });
      const [row] = await t.db.db.select().from(customers).where(eq(customers.phone, "+972521111111"));
      expect(row!.requirements).toEqual({ budgetMax: 1_200_000 });
      expect(row!.source).toBe("import");
    });

    test("a broken file is a clear BAD_REQUEST", async () => {
      const c = await createTenant(t);
      const unterminated = await trpcError(c.api.customers.importCsv.mutate({ csv: 'שם מלא,טלפון\n"לא נסגר,050\n' }));
      expect(unterminated.data?.code).toBe("BAD_REQUEST");
      expect(unterminated.message).toContain("CSV");
      const noColumns = await trpcError(c.api.customers.importCsv.mutate({ csv: "a,b\n1,2\n" }));
      expect(noColumns.message).toBe('בקובץ חסרות העמודות "שם מלא" או "טלפון"');
    });
  });
}
