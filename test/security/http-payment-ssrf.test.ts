/**
 * Attack test for issue #12 item 6: a payment provider's base URL is where
 * the server POSTs with the business's credentials, so only the providers'
 * own sandbox/live hosts are accepted. The local doubles' loopback URLs are a
 * test-only override that production refuses.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { paymentCredentials } from "../../db/schema";
import { createTestApp, type TTestApp } from "../helpers/app";
import { DB_KINDS } from "../helpers/db";
import { adminClient, trpcError } from "../helpers/trpc";

const tranzila = (apiBaseUrl: string) => ({ provider: "tranzila" as const, credentials: { terminalName: "shaidirot", appKey: "app-key-0123", secret: "secret-4567", apiBaseUrl } });
const paypal = (apiBaseUrl: string) => ({ provider: "paypal" as const, credentials: { clientId: "client-id", clientSecret: "client-secret", webhookId: "WH-123456", apiBaseUrl } });

const EVIL = [
  "http://169.254.169.254/latest/meta-data",
  "https://evil.example/v1",
  "https://api.tranzila.com.evil.example",
  "http://api.tranzila.com", // plain http leaks the credentials
  "https://10.0.0.5",
  "https://api-m.paypal.com@evil.example",
];

for (const kind of DB_KINDS) {
  describe(`payment provider URLs [${kind}]`, () => {
    let t: TTestApp;
    let prod: TTestApp;
    beforeAll(async () => {
      t = await createTestApp(kind);
      prod = await createTestApp(kind, { NODE_ENV: "production", SESSION_SECRET: "s".repeat(32), TWILIO_ACCOUNT_SID: `AC${"0".repeat(32)}`, VOICE_SIMULATOR: "off" });
    }, 480_000);
    afterAll(async () => {
      await t.close();
      await prod.close();
    });

    test("any other host is refused with a Hebrew message and nothing is stored", async () => {
      const admin = await adminClient(t);
      for (const url of EVIL) {
        for (const input of [tranzila(url), paypal(url)]) {
          const err = await trpcError(admin.api.payments.saveCredentials.mutate(input));
          expect(err.data?.code).toBe("BAD_REQUEST");
          expect(err.message).toMatch(/[\u0590-\u05FF]/);
        }
      }
      expect(await t.db.db.select().from(paymentCredentials)).toEqual([]);
    }, 240_000);

    test("the providers' own hosts are accepted", async () => {
      const admin = await adminClient(t);
      expect(await admin.api.payments.saveCredentials.mutate(tranzila("https://api.tranzila.com"))).toEqual({ ok: true });
      expect(await admin.api.payments.saveCredentials.mutate(paypal("https://api-m.sandbox.paypal.com"))).toEqual({ ok: true });
      expect(await admin.api.payments.saveCredentials.mutate(paypal("https://api-m.paypal.com/"))).toEqual({ ok: true });
    }, 240_000);

    test("the local doubles' loopback URL: accepted in tests, refused in production", async () => {
      const admin = await adminClient(t);
      expect(await admin.api.payments.saveCredentials.mutate(tranzila("http://127.0.0.1:4567"))).toEqual({ ok: true });
      const prodAdmin = await adminClient(prod);
      for (const url of ["http://127.0.0.1:4567", "http://localhost:4567", "http://[::1]:4567"]) {
        const err = await trpcError(prodAdmin.api.payments.saveCredentials.mutate(tranzila(url)));
        expect(err.data?.code).toBe("BAD_REQUEST");
      }
      expect(await prod.db.db.select().from(paymentCredentials)).toEqual([]);
    }, 240_000);
  });
}
