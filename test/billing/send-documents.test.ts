/**
 * Send, don't only copy: signing links, payment links and invoices go to the
 * customer from the dashboard's procedures through the shared sender (here
 * SMS through the real twilio SDK against the local Twilio REST double, no
 * WhatsApp conversation open), land in the customer's timeline, and the links
 * in the message work; an invoice link is signed, tamper-proof and expires.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { customers, whatsappMessages } from "../../db/schema";
import { startTwilioRestDouble, type TTwilioRestDouble } from "../doubles/twilio-rest";
import { startTranzilaDouble, type TTranzilaDouble } from "../doubles/tranzila-double";
import { createCustomerAndProperty } from "../helpers/billing";
import { invoicePdfPath, verifyInvoicePdfLink } from "../../api/billing/invoice-pdf-link";
import { createTestApp, TEST_AUTH_TOKEN, type TTestApp } from "../helpers/app";
import { DB_KINDS } from "../helpers/db";
import { expectRtlLines } from "../helpers/pdf-layout";
import { adminClient, createTenant, trpcError, type TTestClient } from "../helpers/trpc";

const ACCOUNT = "AC0123456789abcdef0123456789abcdef";
const URL_RE = /https?:\/\/\S+/;

for (const kind of DB_KINDS) {
  describe(`send documents to the customer (${kind})`, () => {
    let t: TTestApp;
    let rest: TTwilioRestDouble;
    let tranzila: TTranzilaDouble;
    let admin: TTestClient;
    let fixture: Awaited<ReturnType<typeof createCustomerAndProperty>>;

    beforeAll(async () => {
      rest = await startTwilioRestDouble({ accountSid: ACCOUNT, authToken: TEST_AUTH_TOKEN });
      tranzila = startTranzilaDouble();
      t = await createTestApp(kind, { TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_API_BASE_URL: rest.baseUrl, SESSION_SECRET: "send-documents-secret-0123456789ab" });
      admin = await adminClient(t);
      fixture = await createCustomerAndProperty(t.db.db, t.businessId);
    }, 180_000);
    afterAll(async () => {
      tranzila?.close();
      await rest?.close();
      await t?.close();
    }, 30_000);

    const lastSms = () => rest.messages.at(-1)!;
    const timeline = () => t.db.db.select().from(whatsappMessages).where(eq(whatsappMessages.customerId, fixture.customer.id));

    test("a signing link is sent by SMS, stored in the timeline, and opens the signing page", async () => {
      const c = await admin.api.contracts.create.mutate({ template: "viewing_order", customerId: fixture.customer.id, propertyId: fixture.property.id, fields: { brokerLicense: "3141592", fee: "2%", feeVat: "plus" } });
      const sent = await admin.api.contracts.sendToCustomer.mutate({ id: c.id });
      expect(sent.channel).toBe("sms");
      const sms = lastSms();
      expect(sms.to).toBe("+972541234567");
      expect(sms.body).toContain("שלום דנה,");
      expect(sms.body).toContain("הזמנת שירותי תיווך");
      expect(sms.body!.match(URL_RE)![0]).toBe(sent.url);
      const page = await t.app.request(sent.url);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain("הזמנת שירותי תיווך");
      const rows = await timeline();
      expect(rows.find((r) => r.id === sent.messageId)).toMatchObject({ provider: "sms", direction: "out", author: "staff", body: sms.body });
      expect((await admin.api.contracts.get.query({ id: c.id })).status).toBe("sent");
    });

    test("an invoice is sent as a signed PDF link that works, refuses tampering and expires", async () => {
      const inv = await admin.api.invoices.create.mutate({ type: "tax_invoice", customerId: fixture.customer.id, lines: [{ description: "דמי תיווך", quantity: 1, unitPriceAgorot: 100_000 }] });
      const sent = await admin.api.invoices.send.mutate({ id: inv.id });
      expect(lastSms().body).toContain(`חשבונית מס ${inv.number}`);
      expect(lastSms().body).toContain("₪1,180.00");
      const res = await t.app.request(sent.url);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/pdf");
      expectRtlLines(new Uint8Array(await res.arrayBuffer()), [`חשבונית מס ${inv.number} | ממתינה לתשלום`, "לכבוד | דנה לוי"]);

      const u = new URL(sent.url);
      const forged = new URL(u);
      forged.searchParams.set("sig", `${u.searchParams.get("sig")!.slice(0, -2)}AA`);
      expect((await t.app.request(forged.toString())).status).toBe(404);
      const extended = new URL(u);
      extended.searchParams.set("exp", String(Number(u.searchParams.get("exp")) + 86400));
      expect((await t.app.request(extended.toString())).status).toBe(404);
      const other = await admin.api.invoices.create.mutate({ type: "tax_invoice", customerName: "אחר", lines: [{ description: "x", quantity: 1, unitPriceAgorot: 100 }] });
      expect((await t.app.request(sent.url.replace(inv.id, other.id))).status).toBe(404);
      // The customer's link carries no session: it must not need one either.
      expect(res.headers.get("cache-control")).toContain("no-store");
      // Expiry, on an injected clock: valid for 30 days from issue, not a day more.
      const issued = new Date("2026-11-30T10:00:00Z");
      const q = new URL(`http://x${invoicePdfPath("k", inv.id, issued)}`).searchParams;
      const at = (days: number) => verifyInvoicePdfLink("k", inv.id, q.get("exp")!, q.get("sig")!, new Date(issued.getTime() + days * 86_400_000));
      expect([at(0), at(29.9), at(30.01)]).toEqual([true, true, false]);
      expect(verifyInvoicePdfLink("other-secret", inv.id, q.get("exp")!, q.get("sig")!, issued)).toBe(false);
    });

    test("a payment link is sent; documents without a CRM customer or phone are refused in Hebrew; tenants stay apart", async () => {
      await admin.api.payments.saveCredentials.mutate({ provider: "tranzila", credentials: { terminalName: tranzila.terminalName, appKey: tranzila.appKey, secret: tranzila.secret, apiBaseUrl: tranzila.url } });
      const inv = await admin.api.invoices.create.mutate({ type: "tax_invoice", customerId: fixture.customer.id, lines: [{ description: "דמי תיווך", quantity: 1, unitPriceAgorot: 50_000 }] });
      const link = await admin.api.payments.create.mutate({ provider: "tranzila", invoiceId: inv.id });
      const sent = await admin.api.payments.sendToCustomer.mutate({ id: link.id, channel: "sms" });
      expect(sent.url).toBe(link.url!);
      expect(lastSms().body).toContain("₪590.00");
      expect(lastSms().body).toContain(link.url!);

      const before = rest.messages.length;
      const noCustomer = await admin.api.invoices.create.mutate({ type: "tax_invoice", customerName: "ללא לקוח", lines: [{ description: "x", quantity: 1, unitPriceAgorot: 100 }] });
      const e1 = await trpcError(admin.api.invoices.send.mutate({ id: noCustomer.id }));
      expect(e1.message).toContain("אין לקוח");
      const [silent] = await t.db.db.insert(customers).values({ businessId: t.businessId, fullName: "בלי טלפון" }).returning();
      const noPhone = await admin.api.invoices.create.mutate({ type: "tax_invoice", customerId: silent!.id, lines: [{ description: "x", quantity: 1, unitPriceAgorot: 100 }] });
      expect((await trpcError(admin.api.invoices.send.mutate({ id: noPhone.id }))).message).toContain("טלפון");
      const stranger = await createTenant(t, { permissions: ["billing"] });
      expect((await trpcError(stranger.api.invoices.send.mutate({ id: inv.id }))).data?.code).toBe("NOT_FOUND");
      expect((await trpcError(stranger.api.payments.sendToCustomer.mutate({ id: link.id }))).data?.code).toBe("NOT_FOUND");
      expect(rest.messages.length).toBe(before);
    });
  });
}
