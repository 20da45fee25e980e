import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { auditLog, invoices, paymentCredentials, paymentLinks } from "../../db/schema";
import { AppError } from "../../core/kernel/errors";
import { createInvoice } from "../../api/services/invoices/create-invoice";
import { configuredProviders, loadCredentials, saveCredentials } from "../../api/services/payments/credentials";
import { createPaymentLink, type TPaymentContext } from "../../api/services/payments/create-payment-link";
import { listPaymentLinks } from "../../api/services/payments/list-payment-links";
import { createOtherBusiness, scopeFor } from "../helpers/billing";
import { createTestApp, type TTestApp } from "../helpers/app";
import { DB_KINDS } from "../helpers/db";
import { startPaypalDouble, type TPaypalDouble } from "../doubles/paypal-double";
import { startTranzilaDouble, type TTranzilaDouble } from "../doubles/tranzila-double";

const SECRET = "billing-test-session-secret-0123456789";

for (const kind of DB_KINDS) {
  describe(`payment links (${kind})`, () => {
    let t: TTestApp;
    let server: ReturnType<typeof Bun.serve>;
    let paypal: TPaypalDouble;
    let tranzila: TTranzilaDouble;
    let ctx: TPaymentContext;
    let otherId: string;

    beforeAll(async () => {
      t = await createTestApp(kind, { SESSION_SECRET: SECRET });
      server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: (req, srv) => t.app.fetch(req, { server: srv }) });
      ctx = { secret: SECRET, origin: `http://127.0.0.1:${server.port}` };
      paypal = startPaypalDouble();
      tranzila = startTranzilaDouble();
      otherId = await createOtherBusiness(t.db.db);
      const scope = scopeFor(t.businessId);
      await saveCredentials(t.db.db, scope, SECRET, "paypal", { clientId: paypal.clientId, clientSecret: paypal.clientSecret, webhookId: paypal.webhookId, apiBaseUrl: paypal.url });
      await saveCredentials(t.db.db, scope, SECRET, "tranzila", { terminalName: tranzila.terminalName, appKey: tranzila.appKey, secret: tranzila.secret, apiBaseUrl: tranzila.url });
    }, 60_000);
    afterAll(async () => {
      paypal?.close();
      tranzila?.close();
      server?.stop(true);
      await t?.close();
    }, 30_000);

    const scope = () => scopeFor(t.businessId);
    const invoice = (agorot = 100_000) =>
      createInvoice(t.db.db, scope(), { type: "tax_invoice", customerName: "דנה לוי", lines: [{ description: "דמי תיווך", quantity: 1, unitPriceAgorot: agorot }] });
    const link = async (id: string) => (await t.db.db.select().from(paymentLinks).where(eq(paymentLinks.id, id)))[0]!;
    const invoiceStatus = async (id: string) => (await t.db.db.select().from(invoices).where(eq(invoices.id, id)))[0]!.status;
    const audits = async (id: string) => (await t.db.db.select().from(auditLog).where(eq(auditLog.entityId, id))).map((a) => a.action);
    const paypalHook = () => `${ctx.origin}/webhook/payments/paypal/${t.businessId}`;

    test("credentials are stored encrypted and only readable with the secret", async () => {
      const [row] = await t.db.db
        .select()
        .from(paymentCredentials)
        .where(and(eq(paymentCredentials.businessId, t.businessId), eq(paymentCredentials.provider, "tranzila")));
      expect(row!.encrypted.startsWith("v1.")).toBe(true);
      expect(row!.encrypted).not.toContain(tranzila.secret);
      expect(row!.encrypted).not.toContain(tranzila.appKey);
      expect((await loadCredentials(t.db.db, t.businessId, SECRET, "tranzila")).secret).toBe(tranzila.secret);
      await expect(loadCredentials(t.db.db, t.businessId, "another-secret-entirely-000", "tranzila")).rejects.toThrow(AppError);
      expect((await configuredProviders(t.db.db, scope())).sort()).toEqual(["paypal", "tranzila"]);
      expect(await configuredProviders(t.db.db, scopeFor(otherId))).toEqual([]);
      await expect(saveCredentials(t.db.db, scope(), SECRET, "paypal", { clientId: "x" })).rejects.toThrow();
    });

    test("PayPal: order → approve → verified webhook captures, link and invoice paid; replays change nothing", async () => {
      const inv = await invoice(100_000);
      const l = await createPaymentLink(t.db.db, scope(), ctx, { provider: "paypal", invoiceId: inv.id });
      expect(l.status).toBe("created");
      expect(l.amountAgorot).toBe(118_000);
      expect(l.url).toBe(`${paypal.url}/checkoutnow?token=${l.providerRef}`);
      expect(paypal.orders.get(l.providerRef!)!.amount).toEqual({ currency_code: "ILS", value: "1180.00" });
      await expect(createPaymentLink(t.db.db, scope(), ctx, { provider: "paypal", invoiceId: inv.id })).rejects.toThrow(AppError);

      paypal.approve(l.providerRef!);
      const approved = { id: "WH-APPROVED-1", event_type: "CHECKOUT.ORDER.APPROVED", resource: { id: l.providerRef, status: "APPROVED" } };
      expect(await paypal.deliver(paypalHook(), approved)).toBe(200);
      expect((await link(l.id)).status).toBe("paid");
      expect(await invoiceStatus(inv.id)).toBe("paid");
      expect(paypal.orders.get(l.providerRef!)!.status).toBe("COMPLETED");

      const before = (await audits(l.id)).length;
      const captures = paypal.requests.filter((r) => r.endsWith("/capture")).length;
      expect(await paypal.deliver(paypalHook(), approved)).toBe(200);
      expect(await paypal.deliver(paypalHook(), paypal.captureCompletedEvent(l.providerRef!))).toBe(200);
      expect((await audits(l.id)).length).toBe(before);
      expect(paypal.requests.filter((r) => r.endsWith("/capture")).length).toBe(captures);
      expect(await invoiceStatus(inv.id)).toBe("paid");
    });

    test("PayPal: a forged webhook is refused with no side effect", async () => {
      const inv = await invoice(50_000);
      const l = await createPaymentLink(t.db.db, scope(), ctx, { provider: "paypal", invoiceId: inv.id });
      paypal.approve(l.providerRef!);
      const event = paypal.captureCompletedEvent(l.providerRef!);
      expect(await paypal.deliver(paypalHook(), event, { forge: true })).toBe(403);
      const unsigned = await fetch(paypalHook(), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(event) });
      expect(unsigned.status).toBe(403);
      expect((await link(l.id)).status).toBe("created");
      expect(await invoiceStatus(inv.id)).toBe("issued");
      // Another business's webhook URL does not verify this business's events.
      expect(await paypal.deliver(`${ctx.origin}/webhook/payments/paypal/${otherId}`, event)).toBe(422);
    });

    test("PayPal: buyer returns from the approve page → captured and paid; a denied capture fails the link", async () => {
      const inv = await invoice(20_000);
      const l = await createPaymentLink(t.db.db, scope(), ctx, { provider: "paypal", invoiceId: inv.id });
      const page = await fetch(l.url!);
      expect(page.status).toBe(200);
      const back = await fetch(`${paypal.url}/checkoutnow/approve?token=${l.providerRef}`, { method: "POST", redirect: "manual" });
      expect(back.status).toBe(302);
      const ret = await fetch(back.headers.get("location")!);
      expect(ret.status).toBe(200);
      expect(await ret.text()).toContain("התשלום התקבל");
      expect((await link(l.id)).status).toBe("paid");
      expect(await invoiceStatus(inv.id)).toBe("paid");

      const l2 = await createPaymentLink(t.db.db, scope(), ctx, { provider: "paypal", customerId: undefined, invoiceId: (await invoice(10_000)).id });
      const denied = { id: "WH-DENIED", event_type: "PAYMENT.CAPTURE.DENIED", resource: { id: "CAP1", status: "DECLINED", supplementary_data: { related_ids: { order_id: l2.providerRef } } } };
      expect(await paypal.deliver(paypalHook(), denied)).toBe(200);
      expect((await link(l2.id)).status).toBe("failed");
    });

    test("Tranzila: HMAC-authenticated payment request → verified notify marks paid; replay is a no-op", async () => {
      const inv = await invoice(250_000);
      const l = await createPaymentLink(t.db.db, scope(), ctx, { provider: "tranzila", invoiceId: inv.id });
      expect(l.url).toBe(`${tranzila.url}/pr/${l.providerRef}`);
      expect(tranzila.requests.get(l.providerRef!)!.sumAgorot).toBe(295_000);
      expect(tranzila.requests.get(l.providerRef!)!.notifyUrl).toContain("sig=");
      expect(await tranzila.pay(l.providerRef!)).toBe(200);
      expect((await link(l.id)).status).toBe("paid");
      expect(await invoiceStatus(inv.id)).toBe("paid");
      const before = (await audits(l.id)).length;
      expect(await tranzila.pay(l.providerRef!)).toBe(200);
      expect((await audits(l.id)).length).toBe(before);
    });

    test("Tranzila: forged, re-targeted or altered notifies are refused; a declined card fails the link", async () => {
      const inv = await invoice(30_000);
      const l = await createPaymentLink(t.db.db, scope(), ctx, { provider: "tranzila", invoiceId: inv.id });
      const notifyUrl = tranzila.requests.get(l.providerRef!)!.notifyUrl;
      const forged = notifyUrl.replace(/sig=[^&]+/, "sig=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
      expect(await tranzila.pay(l.providerRef!, { notifyUrl: forged })).toBe(403);
      expect(await tranzila.pay(l.providerRef!, { notifyUrl: notifyUrl.replace(/sig=[^&]+/, "") })).toBe(403);
      expect(await tranzila.pay(l.providerRef!, { sum: "1.00" })).toBe(422);
      expect((await link(l.id)).status).toBe("created");
      expect(await invoiceStatus(inv.id)).toBe("issued");
      // Another link's valid signature does not transfer.
      const l2 = await createPaymentLink(t.db.db, scope(), ctx, { provider: "tranzila", customerId: undefined, invoiceId: (await invoice(10_000)).id });
      const otherSig = /sig=([^&]+)/.exec(tranzila.requests.get(l2.providerRef!)!.notifyUrl)![1]!;
      expect(await tranzila.pay(l.providerRef!, { notifyUrl: notifyUrl.replace(/sig=[^&]+/, `sig=${otherSig}`) })).toBe(403);
      expect(await tranzila.pay(l2.providerRef!, { response: "004" })).toBe(200);
      expect((await link(l2.id)).status).toBe("failed");
      expect(await tranzila.pay(l.providerRef!)).toBe(200);
      expect((await link(l.id)).status).toBe("paid");
    });

    test("Tranzila: wrong private key → refused by the API, the link is kept as failed", async () => {
      const scope2 = scopeFor(otherId);
      await saveCredentials(t.db.db, scope2, SECRET, "tranzila", { terminalName: tranzila.terminalName, appKey: tranzila.appKey, secret: "wrong-private-key", apiBaseUrl: tranzila.url });
      const inv = await createInvoice(t.db.db, scope2, { type: "tax_invoice", customerName: "לקוח", lines: [{ description: "x", quantity: 1, unitPriceAgorot: 10_000 }] });
      const err = await createPaymentLink(t.db.db, scope2, ctx, { provider: "tranzila", invoiceId: inv.id }).catch((e) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).userMessage).toContain("טרנזילה");
      expect(tranzila.refused).toContain("bad access token");
      const rows = await t.db.db.select().from(paymentLinks).where(eq(paymentLinks.invoiceId, inv.id));
      expect(rows.map((r) => r.status)).toEqual(["failed"]);
      await expect(createPaymentLink(t.db.db, scope2, ctx, { provider: "paypal", invoiceId: inv.id })).rejects.toThrow(AppError);
    });

    test("links past expiry become expired; tenants cannot use each other's invoices", async () => {
      const inv = await invoice(15_000);
      const l = await createPaymentLink(t.db.db, scope(), ctx, { provider: "tranzila", invoiceId: inv.id });
      await t.db.db.update(paymentLinks).set({ expiresAt: new Date(Date.now() - 60_000) }).where(eq(paymentLinks.id, l.id));
      const listed = await listPaymentLinks(t.db.db, scope(), {});
      expect(listed.find((x) => x.id === l.id)!.status).toBe("expired");
      const theirs = await listPaymentLinks(t.db.db, scopeFor(otherId));
      expect(theirs.map((x) => [x.amountAgorot, x.status])).toEqual([[11_800, "failed"]]);
      expect(listed.some((x) => theirs.some((y) => y.id === x.id))).toBe(false);
      // A late payment still counts.
      expect(await tranzila.pay(l.providerRef!)).toBe(200);
      expect((await link(l.id)).status).toBe("paid");
      await expect(createPaymentLink(t.db.db, scopeFor(otherId), ctx, { provider: "tranzila", invoiceId: (await invoice(10_000)).id })).rejects.toThrow(AppError);
    });
  });
}
