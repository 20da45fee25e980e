import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq, sql } from "drizzle-orm";
import { auditLog, sessions, users } from "../db/schema";
import { DEMO_ADMIN_EMAIL } from "../db/seed/seed-demo";
import { LOGIN_LIMITS } from "../api/services/auth/login-limiter";
import { hashToken } from "../api/services/auth/sessions";
import { createTestApp, type TTestApp } from "./helpers/app";
import { DB_KINDS, rowsOf } from "./helpers/db";
import { clientFor, createTenant, TEST_ORIGIN, trpcError } from "./helpers/trpc";

for (const kind of DB_KINDS) {
  describe(`auth [${kind}]`, () => {
    let t: TTestApp;
    beforeAll(async () => {
      // One proxy of ours in front, so the tests' X-Forwarded-For is the client address.
      t = await createTestApp(kind, { TRUST_PROXY: "1" });
    }, 60_000);
    afterAll(async () => {
      await t.close();
    });

    const tokenOf = (cookie: string | undefined) => cookie?.split("=")[1] ?? "";

    test("login sets an HttpOnly SameSite=Lax cookie whose SHA-256 is the session id; me returns the user", async () => {
      const res = await t.app.request(`${TEST_ORIGIN}/trpc/auth.login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: DEMO_ADMIN_EMAIL, password: t.adminPassword }),
      });
      expect(res.status).toBe(200);
      const setCookie = res.headers.get("set-cookie") ?? "";
      expect(setCookie).toContain("kesher_session=");
      expect(setCookie).toContain("HttpOnly");
      expect(setCookie).toContain("SameSite=Lax");
      expect(setCookie).not.toContain("Secure"); // not production
      const token = /kesher_session=([^;]+)/.exec(setCookie)![1]!;
      const [row] = await t.db.db.select().from(sessions).where(eq(sessions.id, hashToken(token)));
      expect(row).toBeDefined();
      const stored = await t.db.db.select({ id: sessions.id }).from(sessions);
      expect(stored.some((s) => s.id === token)).toBe(false); // never the raw token

      const c = clientFor(t);
      c.jar.cookie = `kesher_session=${token}`;
      const me = await c.api.auth.me.query();
      expect(me?.user.email).toBe(DEMO_ADMIN_EMAIL);
      expect(me?.user.role).toBe("admin");
      expect(me?.business?.id).toBe(t.businessId);
    });

    test("wrong password → UNAUTHORIZED with a Hebrew message, no session", async () => {
      const before = (await t.db.db.select().from(sessions)).length;
      const c = clientFor(t, { ip: "203.0.113.9" });
      const err = await trpcError(c.api.auth.login.mutate({ email: DEMO_ADMIN_EMAIL, password: "wrong-password" }));
      expect(err.data?.code).toBe("UNAUTHORIZED");
      expect(err.message).toBe("האימייל או הסיסמה שגויים");
      expect((await t.db.db.select().from(sessions)).length).toBe(before);
      expect(c.jar.cookie).toBeUndefined();
    });

    test("unknown email gets the same message as a wrong password", async () => {
      const err = await trpcError(clientFor(t, { ip: "203.0.113.10" }).api.auth.login.mutate({ email: "nobody@example.com", password: "x" }));
      expect(err.message).toBe("האימייל או הסיסמה שגויים");
    });

    test("logout revokes the session server-side and clears the cookie", async () => {
      const u = await createTenant(t);
      const cookie = u.jar.cookie!;
      expect((await u.api.auth.me.query())?.user.id).toBe(u.userId);
      expect(await u.api.auth.logout.mutate()).toEqual({ ok: true });
      expect(u.jar.cookie).toBeUndefined();
      const [row] = await t.db.db.select().from(sessions).where(eq(sessions.id, hashToken(tokenOf(cookie))));
      expect(row).toBeUndefined();
      // Replaying the old cookie does not work.
      const replay = clientFor(t);
      replay.jar.cookie = cookie;
      expect(await replay.api.auth.me.query()).toBeNull();
      const err = await trpcError(replay.api.customers.list.query());
      expect(err.data?.code).toBe("UNAUTHORIZED");
    });

    test("an expired session is rejected; a session past half-life slides forward", async () => {
      const u = await createTenant(t);
      const id = hashToken(tokenOf(u.jar.cookie));
      await t.db.db.update(sessions).set({ expiresAt: new Date(Date.now() + 3600_000) }).where(eq(sessions.id, id));
      const me = await u.api.auth.me.query();
      expect(me?.user.id).toBe(u.userId);
      const [renewed] = await t.db.db.select().from(sessions).where(eq(sessions.id, id));
      expect(renewed!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 7 * 24 * 3600_000);

      await t.db.db.update(sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(sessions.id, id));
      expect(await u.api.auth.me.query()).toBeNull();
      expect((await trpcError(u.api.customers.list.query())).data?.code).toBe("UNAUTHORIZED");
    });

    test("a deactivated user is logged out", async () => {
      const u = await createTenant(t);
      await t.db.db.update(users).set({ active: false }).where(eq(users.id, u.userId));
      expect(await u.api.auth.me.query()).toBeNull();
      const err = await trpcError(clientFor(t).api.auth.login.mutate({ email: u.email, password: u.password }));
      expect(err.data?.code).toBe("UNAUTHORIZED");
    });

    test("login is rate limited per account and address (Hebrew message) even with the right password; other addresses unaffected", async () => {
      const u = await createTenant(t);
      for (let i = 0; i < LOGIN_LIMITS.perPair; i++) {
        const err = await trpcError(clientFor(t, { ip: "198.51.100.1" }).api.auth.login.mutate({ email: u.email, password: "nope-nope" }));
        expect(err.data?.code).toBe("UNAUTHORIZED");
      }
      const err = await trpcError(clientFor(t, { ip: "198.51.100.1" }).api.auth.login.mutate({ email: u.email, password: u.password }));
      expect(err.data?.code).toBe("TOO_MANY_REQUESTS");
      expect(err.message).toContain("יותר מדי ניסיונות התחברות");
      // No account-wide lockout: the real user elsewhere still gets in.
      const res = await clientFor(t, { ip: "198.51.100.99" }).api.auth.login.mutate({ email: u.email, password: u.password });
      expect(res.user.id).toBe(u.userId);
    });

    test("login is rate limited per IP across accounts", async () => {
      const ip = "192.0.2.77";
      for (let i = 0; i < LOGIN_LIMITS.perAddress; i++) {
        await trpcError(clientFor(t, { ip }).api.auth.login.mutate({ email: `spray${i}@example.com`, password: "guess" }));
      }
      const u = await createTenant(t);
      const err = await trpcError(clientFor(t, { ip }).api.auth.login.mutate({ email: u.email, password: u.password }));
      expect(err.data?.code).toBe("TOO_MANY_REQUESTS");
      // Another IP is not affected.
      const ok = clientFor(t, { ip: "192.0.2.78" });
      const res = await ok.api.auth.login.mutate({ email: u.email, password: u.password });
      expect(res.user.id).toBe(u.userId);
    });

    test("mutations from another origin are refused (CSRF); same origin passes", async () => {
      const u = await createTenant(t);
      const evil = clientFor(t, { headers: { origin: "https://evil.example" } });
      evil.jar.cookie = u.jar.cookie;
      const err = await trpcError(evil.api.customers.create.mutate({ fullName: "פישינג" }));
      expect(err.data?.code).toBe("FORBIDDEN");
      const cross = clientFor(t, { headers: { "sec-fetch-site": "cross-site" } });
      cross.jar.cookie = u.jar.cookie;
      expect((await trpcError(cross.api.auth.logout.mutate())).data?.code).toBe("FORBIDDEN");
      const same = clientFor(t, { headers: { origin: TEST_ORIGIN, "sec-fetch-site": "same-origin" } });
      same.jar.cookie = u.jar.cookie;
      const created = await same.api.customers.create.mutate({ fullName: "לקוח אמיתי" });
      expect(created.fullName).toBe("לקוח אמיתי");
      const rows = rowsOf<{ n: number }>(await t.db.db.execute(sql`select count(*)::int as n from customers where full_name = 'פישינג'`));
      expect(rows[0]!.n).toBe(0);
    });

    test("without a fixture cost (production) a password set through the app is hashed at 64 MiB, t=2; fixtures are cheaper", async () => {
      const u = await createTenant(t);
      const [fixture] = await t.db.db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, u.userId));
      expect(fixture!.hash).toStartWith("$argon2id$v=19$m=1024,t=1,p=1$");
      const saved = t.deps.passwordCost;
      t.deps.passwordCost = undefined;
      try {
        await u.api.auth.changePassword.mutate({ currentPassword: u.password, newPassword: "production-cost-pass-1" });
      } finally {
        t.deps.passwordCost = saved;
      }
      const [changed] = await t.db.db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, u.userId));
      expect(changed!.hash).toStartWith("$argon2id$v=19$m=65536,t=2,p=1$");
      const again = clientFor(t);
      expect((await again.api.auth.login.mutate({ email: u.email, password: "production-cost-pass-1" })).user.id).toBe(u.userId);
    }, 120_000);

    test("changePassword checks the current password, revokes other sessions and is audited", async () => {
      const u = await createTenant(t);
      const other = clientFor(t);
      await other.api.auth.login.mutate({ email: u.email, password: u.password });
      const bad = await trpcError(u.api.auth.changePassword.mutate({ currentPassword: "wrong", newPassword: "new-password-123" }));
      expect(bad.data?.code).toBe("BAD_REQUEST");
      expect(bad.message).toBe("הסיסמה הנוכחית שגויה");
      const short = await trpcError(u.api.auth.changePassword.mutate({ currentPassword: u.password, newPassword: "short" }));
      expect(short.data?.code).toBe("BAD_REQUEST");
      expect(short.data?.fieldErrors?.newPassword?.[0]).toContain("8");
      await u.api.auth.changePassword.mutate({ currentPassword: u.password, newPassword: "new-password-123" });
      expect((await u.api.auth.me.query())?.user.id).toBe(u.userId);
      expect(await other.api.auth.me.query()).toBeNull();
      const again = clientFor(t);
      expect((await again.api.auth.login.mutate({ email: u.email, password: "new-password-123" })).user.id).toBe(u.userId);
      const audit = await t.db.db.select().from(auditLog).where(eq(auditLog.action, "auth.changePassword"));
      expect(audit.some((a) => a.userId === u.userId && a.businessId === u.businessId)).toBe(true);
      expect(JSON.stringify(audit)).not.toContain("argon2");
    });

    test("in production the session cookie is also Secure", async () => {
      const prod = await createTestApp(kind, { NODE_ENV: "production", TWILIO_ACCOUNT_SID: `AC${"0".repeat(32)}` });
      try {
        const res = await prod.app.request("https://kesher.example.com/trpc/auth.login", {
          method: "POST",
          headers: { "content-type": "application/json", origin: "https://kesher.example.com" },
          body: JSON.stringify({ email: DEMO_ADMIN_EMAIL, password: prod.adminPassword }),
        });
        expect(res.status).toBe(200);
        const cookie = res.headers.get("set-cookie") ?? "";
        expect(cookie).toContain("Secure");
        expect(cookie).toContain("HttpOnly");
        expect(cookie).toMatch(/Max-Age=\d{6,}/);
      } finally {
        await prod.close();
      }
    }, 60_000);

    test("bad input is a typed BAD_REQUEST with a Hebrew message, never a 500", async () => {
      const res = await t.app.request(`${TEST_ORIGIN}/trpc/auth.login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "not-an-email", password: 5 }),
      });
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { message: string; data: { code: string; fieldErrors: Record<string, string[]> } } };
      expect(body.error.data.code).toBe("BAD_REQUEST");
      expect(body.error.message).toMatch(/[\u0590-\u05FF]/);
      expect(Object.keys(body.error.data.fieldErrors)).toEqual(expect.arrayContaining(["email", "password"]));
      const garbage = await t.app.request(`${TEST_ORIGIN}/trpc/auth.login`, { method: "POST", headers: { "content-type": "application/json" }, body: "{not json" });
      expect(garbage.status).toBe(400);
      const unknown = await t.app.request(`${TEST_ORIGIN}/trpc/nope.nothing`);
      expect(unknown.status).toBe(404);
    });
  });
}
