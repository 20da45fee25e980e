/** Roles and per-user permissions per router, audit rows for mutations, typed errors for bad input. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { auditLog } from "../db/schema";
import { createTestApp, type TTestApp } from "./helpers/app";
import { DB_KINDS } from "./helpers/db";
import { adminClient, clientFor, createTenant, setPermissions, trpcError } from "./helpers/trpc";

for (const kind of DB_KINDS) {
  describe(`roles, permissions, audit, errors [${kind}]`, () => {
    let t: TTestApp;
    beforeAll(async () => {
      t = await createTestApp(kind);
    }, 60_000);
    afterAll(async () => {
      await t.close();
    });

    test("each router requires its permission; the dashboard sees permissions in me()", async () => {
      const u = await createTenant(t, { permissions: ["calls"] });
      expect((await u.api.auth.me.query())?.user.permissions).toEqual(["calls"]);
      await u.api.calls.list.query({});
      const denied: [string, () => Promise<unknown>][] = [
        ["customers", () => u.api.customers.list.query({})],
        ["properties", () => u.api.properties.list.query({})],
        ["appointments", () => u.api.appointments.list.query({})],
        ["tasks", () => u.api.tasks.list.query({})],
        ["settings", () => u.api.settings.get.query()],
        ["users", () => u.api.users.list.query()],
        ["analytics", () => u.api.analytics.overview.query({})],
        ["businesses.update", () => u.api.businesses.update.mutate({ name: "שם חדש" })],
        ["audit (admin)", () => u.api.audit.list.query({})],
        ["businesses.list (admin)", () => u.api.businesses.list.query()],
        ["businesses.create (admin)", () => u.api.businesses.create.mutate({ name: "עסק חדש" })],
      ];
      for (const [name, run] of denied) {
        const err = await trpcError(run());
        expect(`${name}:${err.data?.code}`).toBe(`${name}:FORBIDDEN`);
        expect(err.message).toMatch(/[\u0590-\u05FF]/);
      }
      // Granting a permission takes effect on the next request (no re-login).
      await setPermissions(t, u.userId, ["calls", "customers"]);
      expect((await u.api.customers.list.query({})).total).toBe(0);
      expect((await u.api.businesses.get.query()).id).toBe(u.businessId);
      // Anonymous callers get UNAUTHORIZED everywhere but login/me.
      const anon = clientFor(t);
      expect((await trpcError(anon.api.calls.list.query({}))).data?.code).toBe("UNAUTHORIZED");
      expect(await anon.api.auth.me.query()).toBeNull();
    });

    test("users: invite with a temporary password, only admins grant admin, deactivation ends sessions", async () => {
      const boss = await createTenant(t, { permissions: ["users"] });
      const invited = await boss.api.users.create.mutate({ email: "Agent@Example.co.il", fullName: "סוכנת", permissions: ["customers", "calls"] });
      expect(invited.temporaryPassword).toMatch(/^[A-Za-z0-9]{16}$/);
      expect(invited.user.email).toBe("agent@example.co.il");
      expect(invited.user.businessId).toBe(boss.businessId);
      const agent = clientFor(t);
      await agent.api.auth.login.mutate({ email: "agent@example.co.il", password: invited.temporaryPassword! });
      expect((await agent.api.auth.me.query())?.user.permissions).toEqual(["customers", "calls"]);
      const dupe = await trpcError(boss.api.users.create.mutate({ email: "agent@example.co.il", fullName: "כפול", permissions: [] }));
      expect(dupe.data?.code).toBe("CONFLICT");
      expect(dupe.message).toBe("כבר קיים משתמש עם כתובת האימייל הזו");
      const escalate = await trpcError(boss.api.users.create.mutate({ email: "x@example.com", fullName: "x", role: "admin", permissions: [] }));
      expect(escalate.data?.code).toBe("FORBIDDEN");
      expect((await trpcError(boss.api.users.update.mutate({ id: boss.userId, role: "admin" }))).data?.code).toBe("FORBIDDEN");
      expect((await trpcError(boss.api.users.setActive.mutate({ id: boss.userId, active: false }))).message).toBe("לא ניתן להשבית את המשתמש שלך");
      await boss.api.users.setActive.mutate({ id: invited.user.id, active: false });
      expect(await agent.api.auth.me.query()).toBeNull();
      // The platform admin may act on another business through businessId.
      const admin = await adminClient(t);
      const list = await admin.api.users.list.query({ businessId: boss.businessId });
      expect(list.map((x) => x.email)).toContain("agent@example.co.il");
      expect((await admin.api.businesses.list.query()).map((b) => b.id)).toContain(boss.businessId);
    });

    test("every mutation writes an audit row with who, business, action, entity and a before/after diff", async () => {
      const u = await createTenant(t);
      const c = await u.api.customers.create.mutate({ fullName: "לקוח לביקורת", phone: "0501112233" });
      await u.api.customers.update.mutate({ id: c.id, fullName: "שם מתוקן", notes: "הערה" });
      await u.api.customers.setStatus.mutate({ id: c.id, status: "qualified" });
      const p = await u.api.properties.create.mutate({ title: "נכס", dealType: "sale", propertyType: "office", city: "חיפה", price: 1_000_000 });
      await u.api.properties.archive.mutate({ id: p.id });
      await u.api.settings.update.mutate({ greetingText: "ברוכים הבאים", businessHours: { "5": { open: "09:00", close: "12:00" } } });
      const task = await u.api.tasks.create.mutate({ title: "משימה" });
      await u.api.tasks.complete.mutate({ id: task.id });
      await u.api.customers.delete.mutate({ id: c.id });

      const rows = await t.db.db.select().from(auditLog).where(eq(auditLog.businessId, u.businessId)).orderBy(auditLog.id);
      expect(rows.map((r) => r.action)).toEqual([
        "auth.login",
        "customers.create",
        "customers.update",
        "customers.setStatus",
        "properties.create",
        "properties.archive",
        "settings.update",
        "tasks.create",
        "tasks.complete",
        "customers.delete",
      ]);
      for (const r of rows) expect(r.userId).toBe(u.userId);
      const update = rows.find((r) => r.action === "customers.update")!;
      expect(update.entityType).toBe("customer");
      expect(update.entityId).toBe(c.id);
      expect(update.before).toEqual({ fullName: "לקוח לביקורת", notes: null });
      expect(update.after).toEqual({ fullName: "שם מתוקן", notes: "הערה" });
      expect(rows.find((r) => r.action === "customers.setStatus")!.after).toEqual({ status: "qualified" });
      expect(rows.find((r) => r.action === "settings.update")!.after).toMatchObject({ greetingText: "ברוכים הבאים" });
      const del = rows.find((r) => r.action === "customers.delete")!;
      expect((del.before as { phone: string }).phone).toBe("+972501112233");
      expect(del.after).toBeNull();

      const admin = await adminClient(t);
      const page = await admin.api.audit.list.query({ businessId: u.businessId, limit: 4 });
      expect(page.items.map((i) => i.action)).toEqual(["customers.delete", "tasks.complete", "tasks.create", "settings.update"]);
      const next = await admin.api.audit.list.query({ businessId: u.businessId, limit: 4, cursor: page.nextCursor! });
      expect(next.items[0]!.action).toBe("properties.archive");
      const failed = await trpcError(u.api.customers.update.mutate({ id: crypto.randomUUID(), fullName: "x" }));
      expect(failed.data?.code).toBe("NOT_FOUND");
      const after = await t.db.db.select().from(auditLog).where(and(eq(auditLog.businessId, u.businessId)));
      expect(after.length).toBe(rows.length); // the failed update wrote nothing (the admin's login belongs to the demo business)
    });

    test("bad input → typed errors with Hebrew messages and field errors, never a 500", async () => {
      const u = await createTenant(t);
      const cases: [() => Promise<unknown>, string, RegExp | string][] = [
        [() => u.api.customers.create.mutate({ fullName: "x", phone: "12" }), "BAD_REQUEST", 'מספר הטלפון "12" אינו תקין'],
        [() => u.api.customers.create.mutate({}), "BAD_REQUEST", "יש להזין לפחות שם, טלפון או אימייל"],
        [() => u.api.customers.create.mutate({ fullName: "x", email: "not-mail" }), "BAD_REQUEST", /הנתונים שנשלחו אינם תקינים \(email\)/],
        [() => u.api.customers.get.query({ id: "123" }), "BAD_REQUEST", /\(id\)/],
        [() => u.api.customers.get.query({ id: crypto.randomUUID() }), "NOT_FOUND", "הלקוח לא נמצא"],
        [() => u.api.customers.setStatus.mutate({ id: crypto.randomUUID(), status: "bogus" as never }), "BAD_REQUEST", /status/],
        [() => u.api.properties.create.mutate({ title: "", dealType: "sale", propertyType: "apartment", city: "x", price: -5 }), "BAD_REQUEST", /[\u0590-\u05FF]/],
        [() => u.api.settings.update.mutate({ businessHours: { "1": { open: "25:00", close: "10:00" } } }), "BAD_REQUEST", /businessHours/],
        [() => u.api.settings.update.mutate({ phoneNumber: "abc" }), "BAD_REQUEST", 'מספר הטלפון "abc" אינו תקין'],
        [() => u.api.calls.list.query({ from: "yesterday" }), "BAD_REQUEST", /from/],
        [() => u.api.tasks.create.mutate({ title: "   " }), "BAD_REQUEST", /title/],
      ];
      for (const [run, code, message] of cases) {
        const err = await trpcError(run());
        expect(err.data?.code).toBe(code as never);
        if (typeof message === "string") expect(err.message).toBe(message);
        else expect(err.message).toMatch(message);
        expect(err.data?.httpStatus).toBeLessThan(500);
      }
      await u.api.customers.create.mutate({ fullName: "ראשון", phone: "052-555-0001" });
      const dupe = await trpcError(u.api.customers.create.mutate({ fullName: "שני", phone: "+972525550001" }));
      expect(dupe.data?.code).toBe("CONFLICT");
      expect(dupe.message).toBe("כבר קיים לקוח עם מספר הטלפון הזה");
      const field = await trpcError(u.api.customers.create.mutate({ fullName: "x", email: "bad" }));
      expect(Object.keys(field.data?.fieldErrors ?? {})).toEqual(["email"]);
    });
  });
}
