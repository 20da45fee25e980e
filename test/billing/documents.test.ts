/**
 * The documents a business hands over, produced the way staff and customers
 * produce them (tRPC, the public signing page, a payment provider's notify)
 * and checked the way a person reads them: on every Hebrew line the first
 * word stands rightmost, numbers read left to right inside it. Each page is
 * also rendered to PNG; `UPDATE_DOC_IMAGES=1` copies them to docs/billing/.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCustomerAndProperty, recordTranzilaCharge, signatureDataUrl, VALID_ID } from "../helpers/billing";
import { createTestApp, type TTestApp } from "../helpers/app";
import { DB_KINDS } from "../helpers/db";
import { expectRtlLines, pdfImageCount, renderPagePng } from "../helpers/pdf-layout";
import { adminClient, type TTestClient } from "../helpers/trpc";
import { startTranzilaDouble, type TTranzilaDouble } from "../doubles/tranzila-double";
import { formatIsoDate } from "../../core/kernel/format";
import { israelToday } from "../../api/services/invoices/invoice-rules";

const bytes = (b64: string) => new Uint8Array(Buffer.from(b64, "base64"));
const DOCS = join(import.meta.dir, "../../docs/billing");

for (const kind of DB_KINDS) {
  describe(`documents a person reads (${kind})`, () => {
    let t: TTestApp;
    let admin: TTestClient;
    let tranzila: TTranzilaDouble;
    let fixture: Awaited<ReturnType<typeof createCustomerAndProperty>>;
    const out = mkdtempSync(join(tmpdir(), "kesher-docs-"));
    const today = () => formatIsoDate(israelToday());
    /** PNG of page 1, to look at; kept under docs/ when asked to (PGlite run only, one image per type). */
    const png = (pdf: Uint8Array, name: string) => {
      const file = process.env.UPDATE_DOC_IMAGES === "1" && kind === "pglite" ? (mkdirSync(DOCS, { recursive: true }), join(DOCS, `${name}.png`)) : join(out, `${name}.png`);
      const image = renderPagePng(pdf, file, { dpi: 70 });
      expect(image.subarray(1, 4).toString()).toBe("PNG");
    };

    let invoiceId = "";
    let invoiceNumber = 0;

    beforeAll(async () => {
      t = await createTestApp(kind, { SESSION_SECRET: "documents-secret-0123456789abcdef", TRUST_PROXY: "1" });
      admin = await adminClient(t);
      tranzila = startTranzilaDouble();
      fixture = await createCustomerAndProperty(t.db.db, t.businessId);
    }, 180_000);
    afterAll(async () => {
      tranzila?.close();
      await t?.close();
    }, 30_000);

    test("tax invoice: customer picked from the CRM by phone, snapshot on the page, several lines", async () => {
      const [picked] = await admin.api.invoices.customerOptions.query({ q: "054-123" });
      expect([picked!.id, picked!.fullName, picked!.phone]).toEqual([fixture.customer.id, "דנה לוי", "+972541234567"]);
      const inv = await admin.api.invoices.create.mutate({
        type: "tax_invoice",
        customerId: picked!.id,
        customerTaxId: VALID_ID,
        customerIdKind: "id",
        customerAddress: "רחוב הרצל 5, תל אביב",
        lines: [
          { description: "דמי תיווך דירה ברחוב הרצל", quantity: 1, unitPriceAgorot: 4_900_000 },
          { description: "צילום מקצועי", quantity: 2, unitPriceAgorot: 35_000 },
        ],
      });
      invoiceId = inv.id;
      invoiceNumber = inv.number;
      expect([inv.customerName, inv.customerPhone, inv.subtotalAgorot, inv.totalAgorot]).toEqual(["דנה לוי", "+972541234567", 4_970_000, 5_864_600]);
      const pdf = bytes((await admin.api.invoices.pdf.query({ id: inv.id })).base64);
      expectRtlLines(pdf, [
        "שי דירות ומשרדים בע״מ",
        `חשבונית מס ${inv.number} | ממתינה לתשלום`,
        "לכבוד | דנה לוי",
        `ת.ז. | ${VALID_ID}`,
        "כתובת | רחוב הרצל 5, תל אביב",
        "טלפון | 054-123-4567",
        `תאריך | ${today()}`,
        "דמי תיווך דירה ברחוב הרצל | 1 | ₪49,000.00 | ₪49,000.00",
        "צילום מקצועי | 2 | ₪350.00 | ₪700.00",
        "סכום לפני מע״מ | ₪49,700.00",
        "מע״מ 18% | ₪8,946.00",
        "סה״כ לתשלום | ₪58,646.00",
      ]);
      png(pdf, "invoice");
    });

    test("partial credit note: previewed, then issued with negative totals; the invoice reads זוכתה חלקית", async () => {
      const preview = await admin.api.invoices.creditPreview.query({ invoiceId, amountAgorot: 70_000 });
      expect([preview.subtotalAgorot, preview.vatAgorot, preview.totalAgorot, preview.remainingAfterAgorot, preview.statusAfter]).toEqual([70_000, 12_600, 82_600, 5_782_000, "partially_credited"]);
      const { creditNote, invoice } = await admin.api.invoices.creditNote.mutate({ invoiceId, amountAgorot: 70_000, reason: "הצילום בוטל" });
      expect([creditNote.type, creditNote.status, invoice.status]).toEqual(["credit_note", "issued", "partially_credited"]);
      const pdf = bytes((await admin.api.invoices.pdf.query({ id: creditNote.id })).base64);
      expectRtlLines(pdf, [
        `חשבונית זיכוי ${creditNote.number}`,
        `זיכוי לחשבונית | חשבונית מס ${invoiceNumber}`,
        `זיכוי חלקי לחשבונית מס ${invoiceNumber} | 1 | -₪700.00 | -₪700.00`,
        "סה״כ זיכוי | -₪826.00",
        "סיבת הזיכוי: הצילום בוטל",
      ]);
      png(pdf, "credit-note");
      const invoicePdf = bytes((await admin.api.invoices.pdf.query({ id: invoiceId })).base64);
      expectRtlLines(invoicePdf, [`חשבונית מס ${invoiceNumber} | זוכתה חלקית`]);
    });

    test("receipt issued by a paid payment link, linked to the invoice", async () => {
      await admin.api.payments.saveCredentials.mutate({ provider: "tranzila", credentials: { terminalName: tranzila.terminalName, appKey: tranzila.appKey, secret: tranzila.secret, apiBaseUrl: tranzila.url } });
      const link = await admin.api.payments.create.mutate({ provider: "tranzila", invoiceId });
      expect(link.amountAgorot).toBe(5_782_000);
      const pr = tranzila.requests.get(link.providerRef!)!;
      recordTranzilaCharge(tranzila, pr.id, "57820.00");
      const notify = () =>
        t.app.request(pr.notifyUrl, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded" },
          body: new URLSearchParams({ Response: "000", sum: "57820.00", pr_id: pr.id, currency: "1" }).toString(),
        });
      expect((await notify()).status).toBe(200);
      expect((await notify()).status).toBe(200); // a replayed notification issues nothing more
      expect((await admin.api.invoices.get.query({ id: invoiceId })).status).toBe("paid");
      const receipts = (await admin.api.invoices.list.query({ type: "receipt" })).filter((r) => r.paymentLinkId === link.id);
      expect(receipts.length).toBe(1);
      const receipt = receipts[0]!;
      expect([receipt.forInvoiceId, receipt.customerName, receipt.totalAgorot, receipt.status]).toEqual([invoiceId, "דנה לוי", 5_782_000, "paid"]);
      const pdf = bytes((await admin.api.invoices.pdf.query({ id: receipt.id })).base64);
      expectRtlLines(pdf, [
        `קבלה ${receipt.number}`,
        `עבור חשבונית | חשבונית מס ${invoiceNumber}`,
        "לכבוד | דנה לוי",
        `תשלום עבור חשבונית מס ${invoiceNumber} | 1 | ₪57,820.00 | ₪57,820.00`,
        "סה״כ התקבל | ₪57,820.00",
      ]);
      png(pdf, "receipt");
    });

    test("contract signed on the public page: text, fields, signature image and integrity block", async () => {
      const c = await admin.api.contracts.create.mutate({
        template: "viewing_order",
        customerId: fixture.customer.id,
        propertyId: fixture.property.id,
        fields: { brokerLicense: "3141592", fee: "₪49,000", feeVat: "plus" },
      });
      const { url } = await admin.api.contracts.send.mutate({ id: c.id });
      const page = await t.app.request(url);
      expect(page.status).toBe(200);
      const signed = await t.app.request(url, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": "203.0.113.7" },
        body: JSON.stringify({ signerName: "דנה לוי", idNumber: VALID_ID, address: "רחוב הרצל 5, תל אביב", signature: await signatureDataUrl() }),
      });
      expect(signed.status).toBe(200);
      const file = await admin.api.contracts.pdf.query({ id: c.id });
      const pdf = bytes(file.base64);
      expectRtlLines(pdf, [
        "שי דירות ומשרדים בע״מ",
        "הזמנת שירותי תיווך",
        "שם הלקוח | דנה לוי",
        `מספר תעודת זהות | ${VALID_ID}`,
        "דמי התיווך | ₪49,000",
        "מע״מ על דמי התיווך | בתוספת מע״מ כדין",
        "נחתם על ידי דנה לוי בתאריך",
        "כתובת IP של החותם | 203.0.113.7",
      ]);
      expect(pdfImageCount(pdf)).toBe(1);
      png(pdf, "contract");
    });

    test("analytics report PDF", async () => {
      const r = await admin.api.analytics.reportPdf.query({});
      const pdf = bytes(r.base64);
      expectRtlLines(pdf, ["שי דירות ומשרדים בע״מ", "דוח פעילות", "הכנסות", "לידים לפי מקור", "משפך לקוחות", "פירוט יומי", "תאריך | שיחות | AI | הועברו | לידים | וואטסאפ | חשבוניות | שולם"]);
      png(pdf, "analytics-report");
    });
  });
}
