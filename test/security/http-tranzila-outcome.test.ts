/**
 * Attack test for issue #12 item 4: Tranzila's notify is not signed by
 * Tranzila and our URL signature covers only the link id, so replaying the
 * notify URL with `Response=000` turned a failed link into paid. A success
 * must be confirmed with Tranzila (server-to-server, the local double here).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { createPaymentLink, type TPaymentContext } from "../../api/services/payments/create-payment-link";
import { saveCredentials } from "../../api/services/payments/credentials";
import { customers, paymentLinks } from "../../db/schema";
import { startTranzilaDouble, type TTranzilaDouble } from "../doubles/tranzila-double";
import { createTestApp, type TTestApp } from "../helpers/app";
import { scopeFor } from "../helpers/billing";
import { DB_KINDS } from "../helpers/db";

const SECRET = "tranzila-outcome-secret-0123456789";

for (const kind of DB_KINDS) {
  describe(`Tranzila outcome is verified [${kind}]`, () => {
    let t: TTestApp;
    let server: ReturnType<typeof Bun.serve>;
    let tranzila: TTranzilaDouble;
    let ctx: TPaymentContext;
    let customerId: string;
    beforeAll(async () => {
      t = await createTestApp(kind, { SESSION_SECRET: SECRET });
      server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: (req, srv) => t.app.fetch(req, { server: srv }) });
      ctx = { secret: SECRET, origin: `http://127.0.0.1:${server.port}` };
      tranzila = startTranzilaDouble();
      await saveCredentials(t.db.db, scopeFor(t.businessId), SECRET, "tranzila", { terminalName: tranzila.terminalName, appKey: tranzila.appKey, secret: tranzila.secret, apiBaseUrl: tranzila.url });
      const [c] = await t.db.db.insert(customers).values({ businessId: t.businessId, fullName: "דנה לוי", phone: "+972541230000" }).returning({ id: customers.id });
      customerId = c!.id;
    }, 480_000);
    afterAll(async () => {
      tranzila?.close();
      server?.stop(true);
      await t?.close();
    });

    const status = async (id: string) => (await t.db.db.select().from(paymentLinks).where(eq(paymentLinks.id, id)))[0]!.status;
    const replay = (notifyUrl: string, form: Record<string, string>) =>
      fetch(notifyUrl, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(form).toString() }).then((r) => r.status);

    test("a declined link replayed with Response=000 stays failed", async () => {
      const l = await createPaymentLink(t.db.db, scopeFor(t.businessId), ctx, { provider: "tranzila", customerId, amountAgorot: 45_000 });
      const notifyUrl = tranzila.requests.get(l.providerRef!)!.notifyUrl;
      expect(await tranzila.pay(l.providerRef!, { response: "033" })).toBe(200);
      expect(await status(l.id)).toBe("failed");
      const forged = { Response: "000", sum: "450.00", currency: "1", pr_id: l.providerRef!, index: "424242", ConfirmationCode: "0a0b0c0d", supplier: tranzila.terminalName };
      expect(await replay(notifyUrl, forged)).toBe(403);
      expect(await status(l.id)).toBe("failed");
      // A real payment afterwards still counts.
      expect(await tranzila.pay(l.providerRef!)).toBe(200);
      expect(await status(l.id)).toBe("paid");
    }, 120_000);

    test("a forged success for an unpaid link is refused; nothing changes", async () => {
      const l = await createPaymentLink(t.db.db, scopeFor(t.businessId), ctx, { provider: "tranzila", customerId, amountAgorot: 12_000 });
      const notifyUrl = tranzila.requests.get(l.providerRef!)!.notifyUrl;
      expect(await replay(notifyUrl, { Response: "000", sum: "120.00", currency: "1", pr_id: l.providerRef!, index: "1" })).toBe(403);
      expect(await status(l.id)).toBe("created");
    }, 120_000);
  });
}
