import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { auditLog, customers, invoices } from "../../db/schema";
import { seedDemo } from "../../db/seed/seed-demo";
import { createCreditNote, previewCreditNote } from "../../api/services/invoices/create-credit-note";
import { createInvoice, nextInvoiceNumber } from "../../api/services/invoices/create-invoice";
import { getInvoice, invoiceCustomerOptions, listInvoices } from "../../api/services/invoices/list-invoices";
import { invoiceStatusLabel } from "../../api/services/invoices/invoice-rules";
import { renderInvoicePdf } from "../../api/services/invoices/render-invoice-pdf";
import { AppError } from "../../core/kernel/errors";
import { createOtherBusiness, INVALID_ID, scopeFor, VALID_ID } from "../helpers/billing";
import { createTestDb, DB_KINDS, type TTestDb, TEST_PASSWORD_COST } from "../helpers/db";
import { expectRtlLines, pdfLines } from "../helpers/pdf-layout";

for (const kind of DB_KINDS) {
  describe(`invoices (${kind})`, () => {
    let db: TTestDb;
    let businessId: string;
    let otherId: string;

    beforeAll(async () => {
      db = await createTestDb(kind);
      businessId = (await seedDemo(db.db, { adminPassword: "demo-password-123", passwordCost: TEST_PASSWORD_COST })).businessId!;
      otherId = await createOtherBusiness(db.db);
    }, 180_000);
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
      const preview = await previewCreditNote(db.db, scope, { invoiceId: inv.id, amountAgorot: 200_000 });
      expect([preview.totalAgorot, preview.remainingAfterAgorot, preview.statusAfter]).toEqual([236_000, 944_000, "partially_credited"]);
      const partial = await createCreditNote(db.db, scope, { invoiceId: inv.id, reason: "הנחה", amountAgorot: 200_000 });
      expect(partial.creditNote.type).toBe("credit_note");
      expect(partial.creditNote.number).toBe(1);
      expect(partial.creditNote.totalAgorot).toBe(236_000);
      expect(partial.creditNote.status).toBe("issued");
      expect(invoiceStatusLabel("credit_note", partial.creditNote.status)).toBe("הונפקה");
      expect(partial.creditNote.note).toBe("הנחה");
      expect(partial.invoice.status).toBe("partially_credited");
      expect(invoiceStatusLabel("tax_invoice", partial.invoice.status)).toBe("זוכתה חלקית");
      await expect(createCreditNote(db.db, scope, { invoiceId: inv.id, reason: "יותר מדי", amountAgorot: 800_001 })).rejects.toThrow(AppError);
      const rest = await createCreditNote(db.db, scope, { invoiceId: inv.id, reason: "ביטול העסקה" });
      expect(rest.creditNote.number).toBe(2);
      expect(rest.creditNote.totalAgorot).toBe(944_000);
      expect(rest.invoice.status).toBe("credited");
      expect(invoiceStatusLabel("tax_invoice", rest.invoice.status)).toBe("זוכתה");
      expect((await getInvoice(db.db, scope, inv.id)).totalAgorot).toBe(1_180_000);
      await expect(createCreditNote(db.db, scope, { invoiceId: inv.id, reason: "שוב" })).rejects.toThrow(AppError);
      await expect(createCreditNote(db.db, scope, { invoiceId: partial.creditNote.id, reason: "זיכוי של זיכוי" })).rejects.toThrow(AppError);
      const audits = await db.db.select().from(auditLog).where(and(eq(auditLog.entityId, inv.id), eq(auditLog.action, "invoices.credit")));
      expect(audits.length).toBe(2);
    });

    test("customer snapshot: picked from the CRM (phone copied), ת.ז. checked, ח.פ. drives the allocation rule", async () => {
      const scope = scopeFor(businessId);
      const [c] = await db.db.insert(customers).values({ businessId, fullName: "יוסי כהן", phone: "+972521112233" }).returning();
      const inv = await createInvoice(db.db, scope, {
        type: "tax_invoice",
        customerId: c!.id,
        customerTaxId: VALID_ID,
        customerIdKind: "id",
        customerAddress: "הנביאים 3, ירושלים",
        issueDate: "2026-07-01",
        lines: [{ description: "דמי תיווך", quantity: 1, unitPriceAgorot: 900_000 }, { description: "צילום", quantity: 2, unitPriceAgorot: 25_000 }],
      });
      expect([inv.customerName, inv.customerPhone, inv.customerIdKind, inv.allocationNumber]).toEqual(["יוסי כהן", "+972521112233", "id", null]);
      expect(inv.subtotalAgorot).toBe(950_000);
      const bad = await createInvoice(db.db, scope, { type: "tax_invoice", customerId: c!.id, customerTaxId: INVALID_ID, customerIdKind: "id", lines: line(100) }).catch((e) => e);
      expect((bad as AppError).userMessage).toContain("תעודת הזהות");
      const options = await invoiceCustomerOptions(db.db, scope, "052-111");
      expect(options.map((o) => [o.fullName, o.phone, o.taxId, o.address])).toEqual([["יוסי כהן", "+972521112233", VALID_ID, "הנביאים 3, ירושלים"]]);
      expect(await invoiceCustomerOptions(db.db, scopeFor(otherId), "יוסי")).toEqual([]);
    });

    test("a receipt for an invoice marks it paid and links to it", async () => {
      const scope = scopeFor(businessId);
      const inv = await createInvoice(db.db, scope, { type: "tax_invoice", customerName: "רונית", lines: line(50_000) });
      const receipt = await createInvoice(db.db, scope, { type: "receipt", customerName: "רונית", forInvoiceId: inv.id, note: "העברה בנקאית", lines: line(59_000) });
      expect([receipt.forInvoiceId, receipt.vatAgorot]).toEqual([inv.id, 0]);
      expect((await getInvoice(db.db, scope, inv.id)).status).toBe("paid");
      await expect(createInvoice(db.db, scopeFor(otherId), { type: "receipt", customerName: "x", forInvoiceId: inv.id, lines: line(1) })).rejects.toThrow(AppError);
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

    test("invoice PDF: every Hebrew line reads right to left, numbers left to right inside it", async () => {
      const scope = scopeFor(businessId);
      const inv = await createInvoice(db.db, scope, {
        type: "tax_invoice",
        customerName: "דנה לוי",
        customerTaxId: "514000000",
        customerAddress: "הרצל 12, תל אביב",
        customerPhone: "+972541234567",
        allocationNumber: "123456789",
        issueDate: "2026-11-25",
        lines: [{ description: "דמי תיווך דירה ברחוב הרצל", quantity: 1, unitPriceAgorot: 4_900_000 }],
      });
      const { pdf, filename } = await renderInvoicePdf(db.db, scope, inv.id);
      expect(filename).toBe(`invoice-tax_invoice-${inv.number}.pdf`);
      expectRtlLines(pdf, [
        "שי דירות ומשרדים בע״מ",
        `חשבונית מס ${inv.number}`,
        "לכבוד | דנה לוי",
        "ח.פ. / ע.מ. | 514000000",
        "כתובת | הרצל 12, תל אביב",
        "טלפון | 054-123-4567",
        "תאריך | 25/11/2026",
        "מספר הקצאה | 123456789",
        "דמי תיווך דירה ברחוב הרצל | 1 | ₪49,000.00 | ₪49,000.00",
        "מע״מ 18% | ₪8,820.00",
        "סה״כ לתשלום | ₪57,820.00",
      ]);
      // The check can fail: the same words in the wrong order are not found.
      expect(() => expectRtlLines(pdf, ["דנה לוי | לכבוד"])).toThrow();
    });

    test("user text is data, never Typst markup", async () => {
      const scope = scopeFor(businessId);
      const evil = '#panic("x") #read("/etc/passwd") ] $';
      const inv = await createInvoice(db.db, scope, { type: "tax_invoice", customerName: evil, lines: [{ description: "שורה #set page(width: 1cm)", quantity: 1, unitPriceAgorot: 100 }] });
      const { pdf } = await renderInvoicePdf(db.db, scope, inv.id);
      // Printed as text (bidi may move a neutral "#" to the other end of a run), not executed:
      const words = pdfLines(pdf).flatMap((l) => l.words.map((w) => w.text));
      expect(words).toContain('panic("x")');
      expect(words).toContain("page(width:");
      // … and the page stayed A4 (the "#set page" line did not run).
      const info = Bun.spawnSync(["pdfinfo", "-"], { stdin: pdf }).stdout.toString();
      expect(info).toMatch(/Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/);
    });
  });
}
