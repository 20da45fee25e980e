/**
 * Attack tests for issue #12 items 2 and 3: the login throttle must hold under
 * concurrency, inside one tRPC batch, across instances sharing the database,
 * and against forged X-Forwarded-For; and strangers must not lock out a user.
 * "Verified" = the server checked the password (UNAUTHORIZED); a throttled
 * attempt answers TOO_MANY_REQUESTS without checking it.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createApp } from "../../api/app";
import { LOGIN_LIMITS } from "../../api/services/auth/login-limiter";
import { createTestApp, type TTestApp } from "../helpers/app";
import { DB_KINDS } from "../helpers/db";
import { createTenant, TEST_ORIGIN } from "../helpers/trpc";

type TLoginOutcome = "ok" | "UNAUTHORIZED" | "TOO_MANY_REQUESTS" | string;

async function attempt(app: { request: (url: string, init: RequestInit) => Response | Promise<Response> }, email: string, password: string, headers: Record<string, string> = {}): Promise<TLoginOutcome> {
  const res = await app.request(`${TEST_ORIGIN}/trpc/auth.login`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ email, password }),
  });
  if (res.ok) return "ok";
  const body = (await res.json()) as { error?: { data?: { code?: string } } };
  return body.error?.data?.code ?? `HTTP ${res.status}`;
}

const count = (xs: TLoginOutcome[], v: TLoginOutcome) => xs.filter((x) => x === v).length;

for (const kind of DB_KINDS) {
  describe(`login throttle under attack [${kind}]`, () => {
    let t: TTestApp;
    beforeAll(async () => {
      // One proxy of ours in front: the right-most X-Forwarded-For entry is the client.
      t = await createTestApp(kind, { TRUST_PROXY: "1" });
    }, 480_000);
    afterAll(async () => {
      await t.close();
    });

    test("30 parallel wrong passwords from one address: at most the limit are verified, then even the right password waits", async () => {
      const u = await createTenant(t);
      const xff = { "x-forwarded-for": "203.0.113.30" };
      const results = await Promise.all(Array.from({ length: 30 }, () => attempt(t.app, u.email, "wrong-password", xff)));
      expect(count(results, "UNAUTHORIZED")).toBeLessThanOrEqual(LOGIN_LIMITS.perPair);
      expect(count(results, "TOO_MANY_REQUESTS")).toBe(30 - count(results, "UNAUTHORIZED"));
      expect(await attempt(t.app, u.email, u.password, xff)).toBe("TOO_MANY_REQUESTS");
    }, 240_000);

    test("150 concurrent attempts: wrong passwords verified ≤ the limit", async () => {
      const u = await createTenant(t);
      const xff = { "x-forwarded-for": "203.0.113.150" };
      const results = await Promise.all(Array.from({ length: 150 }, (_, i) => attempt(t.app, u.email, `guess-${i}`, xff)));
      const verified = count(results, "UNAUTHORIZED");
      console.log(`[${kind}] 150 concurrent login attempts: ${verified} wrong passwords verified (limit ${LOGIN_LIMITS.perPair})`);
      expect(verified).toBeLessThanOrEqual(LOGIN_LIMITS.perPair);
      expect(count(results, "ok")).toBe(0);
    }, 240_000);

    test("one tRPC batch of 150 logins is refused whole with a clear error; nothing is verified", async () => {
      const u = await createTenant(t);
      const n = 150;
      const body = Object.fromEntries(Array.from({ length: n }, (_, i) => [String(i), { email: u.email, password: `batch-${i}` }]));
      const res = await t.app.request(`${TEST_ORIGIN}/trpc/${Array(n).fill("auth.login").join(",")}?batch=1`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": "203.0.113.151" },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain("batch");
      // The pair's budget is untouched: the right password still works from that address.
      expect(await attempt(t.app, u.email, u.password, { "x-forwarded-for": "203.0.113.151" })).toBe("ok");
    }, 240_000);

    test("a batch within the cap still cannot verify more than the limit", async () => {
      const u = await createTenant(t);
      const n = 20;
      const body = Object.fromEntries(Array.from({ length: n }, (_, i) => [String(i), { email: u.email, password: `batch-${i}` }]));
      const res = await t.app.request(`${TEST_ORIGIN}/trpc/${Array(n).fill("auth.login").join(",")}?batch=1`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": "203.0.113.152" },
        body: JSON.stringify(body),
      });
      const items = (await res.json()) as { error?: { data?: { code?: string } } }[];
      expect(items.length).toBe(n);
      expect(items.filter((i) => i.error?.data?.code === "UNAUTHORIZED").length).toBeLessThanOrEqual(LOGIN_LIMITS.perPair);
    }, 240_000);

    test("a stranger hammering an account does not lock the real user out from their own address", async () => {
      const u = await createTenant(t);
      const attacker = { "x-forwarded-for": "198.51.100.66" };
      for (let i = 0; i < 12; i++) await attempt(t.app, u.email, `nope-${i}`, attacker);
      expect(await attempt(t.app, u.email, u.password, attacker)).toBe("TOO_MANY_REQUESTS");
      expect(await attempt(t.app, u.email, u.password, { "x-forwarded-for": "192.0.2.10" })).toBe("ok");
    }, 240_000);

    test("the throttle lives in the database: a second instance sees the first one's attempts", async () => {
      const u = await createTenant(t);
      const other = createApp(t.deps); // another process on the same database
      const xff = { "x-forwarded-for": "203.0.113.200" };
      for (let i = 0; i < LOGIN_LIMITS.perPair; i++) expect(await attempt(t.app, u.email, `wrong-${i}`, xff)).toBe("UNAUTHORIZED");
      expect(await attempt(other, u.email, "wrong-again", xff)).toBe("TOO_MANY_REQUESTS");
      expect(await attempt(other, u.email, u.password, xff)).toBe("TOO_MANY_REQUESTS");
    }, 240_000);
  });

  describe(`client address cannot be spoofed [${kind}]`, () => {
    let t: TTestApp;
    beforeAll(async () => {
      t = await createTestApp(kind); // TRUST_PROXY unset: trust nothing but the socket
    }, 480_000);
    afterAll(async () => {
      await t.close();
    });

    test("default: a fresh X-Forwarded-For per attempt gets no fresh budget (the socket address counts)", async () => {
      const u = await createTenant(t);
      const app = createApp(t.deps, { peerAddress: () => "198.51.100.7" });
      const results: TLoginOutcome[] = [];
      for (let i = 0; i < 10; i++) results.push(await attempt(app, u.email, `spoof-${i}`, { "x-forwarded-for": `10.${i}.0.1` }));
      expect(count(results, "UNAUTHORIZED")).toBe(LOGIN_LIMITS.perPair);
      expect(count(results, "TOO_MANY_REQUESTS")).toBe(10 - LOGIN_LIMITS.perPair);
      // Another real socket address is a different client.
      const elsewhere = createApp(t.deps, { peerAddress: () => "198.51.100.8" });
      expect(await attempt(elsewhere, u.email, u.password)).toBe("ok");
    }, 240_000);
  });
}
