import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createCustomerAndProperty, recordTranzilaCharge, signatureDataUrl, VALID_ID } from "../helpers/billing";
import { createTestApp, type TTestApp } from "../helpers/app";
import { DB_KINDS } from "../helpers/db";
import { adminClient, createTenant, TEST_ORIGIN, trpcError, type TTestClient } from "../helpers/trpc";
import { startTranzilaDouble, type TTranzilaDouble } from "../doubles/tranzila-double";
import { expectRtlLines } from "../helpers/pdf-layout";

for (const kind of DB_KINDS) {
  describe(`billing over tRPC (${kind})`, () => {
    let t: TTestApp;
    let admin: TTestClient;
    let tranzila: TTranzilaDouble;

    beforeAll(async () => {
      t = await createTestApp(kind, { SESSION_SECRET: "trpc-billing-secret-0123456789" });
      admin = await adminClient(t);
      tranzila = startTranzilaDouble();
    }, 180_000);
    afterAll(async () => {
      tranzila?.close();
      await t?.close();
    }, 30_000);

    test("invoice → PDF → credit note; bad input is a Hebrew 400, never a 500", async () => {
      const inv = await admin.api.invoices.create.mutate({ type: "tax_invoice", customerName: "דנה לוי", lines: [{ description: "דמי תיווך", quantity: 1, unitPriceAgorot: 100_000 }] });
      expect(inv.totalAgorot).toBe(118_000);
      expect(inv.number).toBeGreaterThan(0);
      const pdf = await admin.api.invoices.pdf.query({ id: inv.id });
      expectRtlLines(new Uint8Array(Buffer.from(pdf.base64, "base64")), [`חשבונית מס ${inv.number}`]);
      const credit = await admin.api.invoices.creditNote.mutate({ invoiceId: inv.id, reason: "ביטול" });
      expect(credit.invoice.status).toBe("credited");
      expect((await admin.api.invoices.list.query({ type: "credit_note" })).map((i) => i.id)).toContain(credit.creditNote.id);

      const bad = await trpcError(admin.api.invoices.create.mutate({ type: "tax_invoice", customerName: "x", lines: [] }));
      expect(bad.data?.httpStatus).toBe(400);
      expect(bad.message).toMatch(/[\u0590-\u05FF]/);
      const alloc = await trpcError(
        admin.api.invoices.create.mutate({ type: "tax_invoice", customerName: "חברה", customerTaxId: "514000000", issueDate: "2026-07-01", lines: [{ description: "x", quantity: 1, unitPriceAgorot: 600_000 }] }),
      );
      expect(alloc.message).toContain("מספר הקצאה");
    });

    test("contract: create → send gives a public link that signs", async () => {
      const { customer, property } = await createCustomerAndProperty(t.db.db, t.businessId);
      const c = await admin.api.contracts.create.mutate({ template: "viewing_order", customerId: customer.id, propertyId: property.id, fields: { brokerLicense: "12345", fee: "2%", feeVat: "plus" } });
      const { url } = await admin.api.contracts.send.mutate({ id: c.id });
      expect(url.startsWith(`${TEST_ORIGIN}/sign/`)).toBe(true);
      const res = await t.app.request(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ signerName: "דנה לוי", idNumber: VALID_ID, address: "הרצל 1, חיפה", signature: await signatureDataUrl() }),
      });
      expect(res.status).toBe(200);
      const got = await admin.api.contracts.get.query({ id: c.id });
      expect(got.status).toBe("signed");
      const file = await admin.api.contracts.pdf.query({ id: c.id });
      expect(file.sha256).toBe(got.pdfSha256!);
      expect((await admin.api.contracts.verifyPdf.mutate({ id: c.id, base64: file.base64 })).providedMatches).toBe(true);
      expect((await admin.api.contracts.templates.query()).map((x) => x.id).sort()).toEqual(["brokerage_agreement", "viewing_order"]);
    });

    test("payments: credentials saved encrypted, link created through Tranzila, paid via notify", async () => {
      await admin.api.payments.saveCredentials.mutate({ provider: "tranzila", credentials: { terminalName: tranzila.terminalName, appKey: tranzila.appKey, secret: tranzila.secret, apiBaseUrl: tranzila.url } });
      const providers = await admin.api.payments.providers.query();
      expect(providers.configured).toEqual(["tranzila"]);
      expect(providers.paypalWebhookUrl).toBe(`${TEST_ORIGIN}/webhook/payments/paypal/${t.businessId}`);
      const inv = await admin.api.invoices.create.mutate({ type: "tax_invoice", customerName: "דנה", lines: [{ description: "x", quantity: 1, unitPriceAgorot: 10_000 }] });
      const link = await admin.api.payments.create.mutate({ provider: "tranzila", invoiceId: inv.id });
      expect(link.status).toBe("created");
      const pr = tranzila.requests.get(link.providerRef!)!;
      recordTranzilaCharge(tranzila, pr.id, "118.00");
      // Deliver the notify into the in-process app (the notify URL points at its public origin).
      const res = await t.app.request(pr.notifyUrl, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ Response: "000", sum: "118.00", pr_id: pr.id, currency: "1" }).toString(),
      });
      expect(res.status).toBe(200);
      expect((await admin.api.invoices.get.query({ id: inv.id })).status).toBe("paid");
      const receipts = (await admin.api.invoices.list.query({ type: "receipt" })).filter((r) => r.forInvoiceId === inv.id);
      expect(receipts.map((r) => [r.paymentLinkId, r.totalAgorot])).toEqual([[link.id, 11_800]]);
      expect((await admin.api.payments.list.query({})).find((l) => l.id === link.id)!.status).toBe("paid");
      const paypalMissing = await trpcError(admin.api.payments.create.mutate({ provider: "paypal", amountAgorot: 1000, customerId: undefined, invoiceId: undefined }));
      expect(paypalMissing.data?.httpStatus).toBe(400);
    });

    test("analytics report and CSV; permissions and tenants enforced", async () => {
      const r = await admin.api.analytics.report.query({});
      expect(r.days.length).toBe(30);
      expect(r.revenue.paidAgorot).toBeGreaterThanOrEqual(11_800);
      const csv = await admin.api.analytics.exportCsv.query({});
      expect(csv.csv.startsWith("\uFEFF")).toBe(true);

      const noBilling = await createTenant(t, { permissions: ["customers"] });
      expect((await trpcError(noBilling.api.invoices.list.query({}))).data?.code).toBe("FORBIDDEN");
      expect((await trpcError(noBilling.api.analytics.report.query({}))).data?.code).toBe("FORBIDDEN");
      const other = await createTenant(t, { permissions: ["billing", "analytics"] });
      expect(await other.api.invoices.list.query({})).toEqual([]);
      const mine = await admin.api.invoices.list.query({});
      expect((await trpcError(other.api.invoices.get.query({ id: mine[0]!.id }))).data?.code).toBe("NOT_FOUND");
      expect((await trpcError(other.api.invoices.list.query({ businessId: t.businessId }))).data?.code).toBe("FORBIDDEN");
    });
  });
}
