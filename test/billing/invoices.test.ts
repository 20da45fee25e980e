import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { auditLog, invoices } from "../../db/schema";
import { seedDemo } from "../../db/seed/seed-demo";
import { createCreditNote } from "../../api/services/invoices/create-credit-note";
import { createInvoice, nextInvoiceNumber } from "../../api/services/invoices/create-invoice";
import { getInvoice, listInvoices } from "../../api/services/invoices/list-invoices";
import { renderInvoicePdf } from "../../api/services/invoices/render-invoice-pdf";
import { AppError } from "../../api/errors";
import { createOtherBusiness, scopeFor } from "../helpers/billing";
import { createTestDb, DB_KINDS, type TTestDb } from "../helpers/db";
import { extractPdfLines } from "../helpers/pdf-text";

const squash = (s: string) => s.replace(/\s+/g, "");

for (const kind of DB_KINDS) {
  describe(`invoices (${kind})`, () => {
    let db: TTestDb;
    let businessId: string;
    let otherId: string;

    beforeAll(async () => {
      db = await createTestDb(kind);
      businessId = (await seedDemo(db.db, { adminPassword: "demo-password-123" })).businessId!;
      otherId = await createOtherBusiness(db.db);
    }, 60_000);
    afterAll(() => db.destroy(), 30_000);

    const line = (agorot: number) => [{ description: "דמי תיווך", quantity: 1, unitPriceAgorot: agorot }];

    test("concurrent issuing: consecutive numbers per business and type, no gaps, no duplicates", async () => {
      const scope = scopeFor(businessId);
      const jobs = [
        ...Array.from({ length: 24 }, (_, i) => createInvoice(db.db, scope, { type: "tax_invoice", customerName: `לקוח ${i}`, lines: line(10_000 + i) })),
        ...Array.from({ length: 8 }, (_, i) => createInvoice(db.db, scope, { type: "receipt", customerName: `לקוח ${i}`, lines: line(5_000) })),
        ...Array.from({ length: 6 }, (_, i) => createInvoice(db.db, scopeFor(otherId), { type: "tax_invoice", customerName: `אחר ${i}`, lines: line(7_000) })),
      ];
      const results = await Promise.all(jobs);
      const numbers = (biz: string, type: string) =>
        results
          .filter((r) => r.businessId === biz && r.type === type)
          .map((r) => r.number)
          .sort((a, b) => a - b);
      expect(numbers(businessId, "tax_invoice")).toEqual(Array.from({ length: 24 }, (_, i) => i + 1));
      expect(numbers(businessId, "receipt")).toEqual(Array.from({ length: 8 }, (_, i) => i + 1));
      expect(numbers(otherId, "tax_invoice")).toEqual(Array.from({ length: 6 }, (_, i) => i + 1));
    });

    test("a refused invoice does not consume a number", async () => {
      const scope = scopeFor(businessId);
      const before = await listInvoices(db.db, scope, { type: "tax_invoice" });
      const max = Math.max(...before.map((i) => i.number));
      await expect(
        createInvoice(db.db, scope, { type: "tax_invoice", customerName: "חברה", customerTaxId: "514000000", issueDate: "2026-07-01", lines: line(600_000) }),
      ).rejects.toThrow(AppError);
      const next = await createInvoice(db.db, scope, { type: "tax_invoice", customerName: "פרטי", lines: line(100) });
      expect(next.number).toBe(max + 1);
    });

    test("a transaction that fails after taking a number releases it: the series stays gapless", async () => {
      const scope = scopeFor(businessId);
      const before = await createInvoice(db.db, scope, { type: "receipt", customerName: "א", lines: line(100) });
      const failed = db.db.transaction(async (tx) => {
        const n = await nextInvoiceNumber(tx, businessId, "receipt");
        expect(n).toBe(before.number + 1);
        await tx.insert(invoices).values({ businessId, type: "receipt", number: n, issueDate: "2026-11-25", customerName: "ב", lines: [], subtotalAgorot: 1, vatRateBp: 0, vatAgorot: 0, totalAgorot: 1 });
        throw new Error("crash after insert");
      });
      await expect(failed).rejects.toThrow("crash after insert");
      const after = await createInvoice(db.db, scope, { type: "receipt", customerName: "ג", lines: line(100) });
      expect(after.number).toBe(before.number + 1);
    });

    test("VAT in agorot from the rate in force on the issue date", async () => {
      const scope = scopeFor(businessId);
      const old = await createInvoice(db.db, scope, { type: "tax_invoice", customerName: "א", issueDate: "2024-12-31", lines: [{ description: "x", quantity: 3, unitPriceAgorot: 3333 }] });
      expect([old.vatRateBp, old.subtotalAgorot, old.vatAgorot, old.totalAgorot]).toEqual([1700, 9999, 1700, 11699]);
      const now = await createInvoice(db.db, scope, { type: "tax_invoice_receipt", customerName: "א", issueDate: "2026-11-25", lines: [{ description: "x", quantity: 3, unitPriceAgorot: 3333 }] });
      expect([now.vatRateBp, now.vatAgorot, now.totalAgorot, now.status]).toEqual([1800, 1800, 11799, "paid"]);
      const receipt = await createInvoice(db.db, scope, { type: "receipt", customerName: "א", lines: line(11799) });
      expect([receipt.vatAgorot, receipt.totalAgorot]).toEqual([0, 11799]);
    });

    test("allocation number required for B2B at the threshold, validated, optional below it", async () => {
      const scope = scopeFor(businessId);
      const b2b = { type: "tax_invoice" as const, customerName: "חברת בנייה בע״מ", customerTaxId: "514000000" };
      const err = await createInvoice(db.db, scope, { ...b2b, issueDate: "2026-03-01", lines: line(1_000_000) }).catch((e) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).userMessage).toContain("מספר הקצאה");
      await expect(createInvoice(db.db, scope, { ...b2b, issueDate: "2026-03-01", allocationNumber: "12ab", lines: line(1_000_000) })).rejects.toThrow(AppError);
      const ok = await createInvoice(db.db, scope, { ...b2b, issueDate: "2026-03-01", allocationNumber: "123456789", lines: line(1_000_000) });
      expect(ok.allocationNumber).toBe("123456789");
      const below = await createInvoice(db.db, scope, { ...b2b, issueDate: "2026-03-01", lines: line(999_999) });
      expect(below.allocationNumber).toBeNull();
      // From June 2026 the same ₪5,000 invoice needs one.
      await expect(createInvoice(db.db, scope, { ...b2b, issueDate: "2026-06-01", lines: line(500_000) })).rejects.toThrow(AppError);
    });

    test("cancellation only by credit note: own series, partial then full, original kept", async () => {
      const scope = scopeFor(businessId);
      const inv = await createInvoice(db.db, scope, { type: "tax_invoice", customerName: "דנה לוי", lines: [{ description: "דמי תיווך", quantity: 1, unitPriceAgorot: 1_000_000 }] });
      const partial = await createCreditNote(db.db, scope, { invoiceId: inv.id, reason: "הנחה", lines: [{ description: "הנחה", quantity: 1, unitPriceAgorot: 200_000 }] });
      expect(partial.creditNote.type).toBe("credit_note");
      expect(partial.creditNote.number).toBe(1);
      expect(partial.creditNote.totalAgorot).toBe(236_000);
      expect(partial.invoice.status).toBe("issued");
      await expect(createCreditNote(db.db, scope, { invoiceId: inv.id, reason: "יותר מדי" })).rejects.toThrow(AppError);
      const rest = await createCreditNote(db.db, scope, { invoiceId: inv.id, reason: "ביטול העסקה", lines: [{ description: "יתרה", quantity: 1, unitPriceAgorot: 800_000 }] });
      expect(rest.creditNote.number).toBe(2);
      expect(rest.invoice.status).toBe("cancelled");
      expect((await getInvoice(db.db, scope, inv.id)).totalAgorot).toBe(1_180_000);
      await expect(createCreditNote(db.db, scope, { invoiceId: inv.id, reason: "שוב" })).rejects.toThrow(AppError);
      const audits = await db.db.select().from(auditLog).where(and(eq(auditLog.entityId, inv.id), eq(auditLog.action, "invoices.credit")));
      expect(audits.length).toBe(2);
    });

    test("tenants never see each other's invoices", async () => {
      const mine = await listInvoices(db.db, scopeFor(businessId));
      const theirs = await listInvoices(db.db, scopeFor(otherId));
      expect(mine.every((i) => i.businessId === businessId)).toBe(true);
      expect(theirs.length).toBe(6);
      await expect(getInvoice(db.db, scopeFor(otherId), mine[0]!.id)).rejects.toThrow(AppError);
      await expect(createCreditNote(db.db, scopeFor(otherId), { invoiceId: mine[0]!.id, reason: "ניסיון" })).rejects.toThrow(AppError);
      await expect(renderInvoicePdf(db.db, scopeFor(otherId), mine[0]!.id)).rejects.toThrow(AppError);
    });

    test("invoice PDF: Hebrew text extractable in reading order", async () => {
      const scope = scopeFor(businessId);
      const inv = await createInvoice(db.db, scope, {
        type: "tax_invoice",
        customerName: "דנה לוי",
        issueDate: "2026-11-25",
        lines: [{ description: "דמי תיווך דירה ברחוב הרצל", quantity: 1, unitPriceAgorot: 4_900_000 }],
      });
      const { pdf, filename } = await renderInvoicePdf(db.db, scope, inv.id);
      expect(filename).toBe(`invoice-tax_invoice-${inv.number}.pdf`);
      const lines = (await extractPdfLines(pdf)).map(squash);
      expect(lines).toContain(squash("שי דירות ומשרדים בע״מ"));
      expect(lines).toContain(squash(`חשבונית מס מס׳ ${inv.number}`));
      expect(lines.some((l) => l.startsWith(squash("תאריך:")) && l.includes("25.11.2026"))).toBe(true);
      expect(lines.some((l) => l.startsWith(squash("סה״כ לתשלום:")) && l.includes("₪57,820.00"))).toBe(true);
      expect(lines.some((l) => l.startsWith(squash("דמי תיווך דירה ברחוב הרצל")))).toBe(true);
    });
  });
}
