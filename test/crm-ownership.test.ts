/**
 * Ownership and tables (#17 items 2–3): staff assign leads, tasks and viewings
 * (one or many) only to active users of their own business; "mine" filters;
 * the AI assigns a new lead by the settings' rules (round robin / by area / by
 * deal type) and the agent is notified; saved views are private per user;
 * bulk status and tag; segment filters.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { upsertLead } from "../core/conversation/brain/tools/upsert-lead";
import type { TToolDeps } from "../core/conversation/brain/tools/types";
import { decideByRules } from "../core/domain/assign-lead";
import { createLogger } from "../core/kernel/logger";
import { appointmentRequests, customers, tasks, users } from "../db/schema";
import { DB_KINDS } from "./helpers/db";
import { createTestApp, type TTestApp } from "./helpers/app";
import { adminClient, createTenant, trpcError, type TTestClient } from "./helpers/trpc";

test("rules: by area waits until a place is said, matches 'רמת-גן' to 'רמת גן', else round robin", () => {
  const rules = { mode: "by_area" as const, agentIds: ["a"], areas: [{ place: "רמת גן", userId: "g" }], dealTypes: {} };
  expect(decideByRules(rules, {})).toEqual({ kind: "wait" });
  expect(decideByRules(rules, { cities: ["רמת-גן"] })).toEqual({ kind: "agent", userId: "g", reason: "area" });
  expect(decideByRules(rules, { cities: ["חיפה"] })).toEqual({ kind: "round_robin" });
  const deal = { mode: "by_deal_type" as const, agentIds: [], areas: [], dealTypes: { rent: "r" } };
  expect(decideByRules(deal, {})).toEqual({ kind: "wait" });
  expect(decideByRules(deal, { dealType: "rent" })).toEqual({ kind: "agent", userId: "r", reason: "deal_type" });
  expect(decideByRules(deal, { dealType: "sale" })).toEqual({ kind: "round_robin" });
  expect(decideByRules(undefined, { dealType: "sale" })).toEqual({ kind: "none" });
});

for (const kind of DB_KINDS) {
  describe(`ownership, saved views and bulk actions (${kind})`, () => {
    let t: TTestApp;
    let admin: TTestClient;
    let agent: Awaited<ReturnType<typeof createTenant>>;
    let stranger: Awaited<ReturnType<typeof createTenant>>;
    let adminId: string;
    const ids: string[] = [];

    beforeAll(async () => {
      t = await createTestApp(kind);
      admin = await adminClient(t);
      adminId = (await admin.api.auth.me.query())!.user.id;
      agent = await createTenant(t, { businessId: t.businessId, permissions: ["customers", "tasks", "appointments"] });
      stranger = await createTenant(t, { permissions: ["customers", "tasks", "appointments", "settings"] });
      for (let i = 0; i < 3; i++) {
        const c = await admin.api.customers.create.mutate({ fullName: `בעלות ${i}`, phone: `05412300${10 + i}`, requirements: { dealType: "sale", cities: ["תל אביב"], budgetMax: 2_000_000 + i * 1_000_000 } });
        ids.push(c.id);
      }
    }, 120_000);
    afterAll(() => t.close());

    test("bulk assign to a colleague: 'mine' shows them to the agent, the agent is notified, audited", async () => {
      const before = t.events.length;
      const res = await admin.api.assignments.assign.mutate({ entity: "customer", ids: ids.slice(0, 2), userId: agent.userId });
      expect(res.updated).toBe(2);
      const mine = await agent.api.customers.list.query({ mine: true });
      expect(mine.items.map((c) => c.id).sort()).toEqual(ids.slice(0, 2).sort());
      expect(mine.items.every((c) => c.assignedUserId === agent.userId)).toBe(true);
      const note = t.events.slice(before).find((e) => e.type === "assigned");
      expect(note).toMatchObject({ type: "assigned", entity: "customer", count: 2, assignedUserId: agent.userId, by: "staff", byUserId: adminId });
      // Assigning again to the same agent changes nothing and notifies nobody.
      const again = await admin.api.assignments.assign.mutate({ entity: "customer", ids: ids.slice(0, 2), userId: agent.userId });
      expect(again.updated).toBe(0);
      const unassigned = await admin.api.customers.list.query({ unassigned: true });
      expect(unassigned.items.some((c) => c.id === ids[2])).toBe(true);
    });

    test("tenant isolation: another business's user can never be assigned, and a stranger cannot assign our rows", async () => {
      const err = await trpcError(admin.api.assignments.assign.mutate({ entity: "customer", ids: [ids[2]!], userId: stranger.userId }));
      expect(err.message).toBe("המשתמש שנבחר לא נמצא בעסק");
      const theirs = await stranger.api.assignments.assign.mutate({ entity: "customer", ids: [ids[2]!], userId: stranger.userId });
      expect(theirs.updated).toBe(0);
      const [row] = await t.db.db.select().from(customers).where(eq(customers.id, ids[2]!));
      expect(row!.assignedUserId).toBeNull();
      // An inactive colleague cannot be assigned either.
      const idle = await createTenant(t, { businessId: t.businessId });
      await t.db.db.update(users).set({ active: false }).where(eq(users.id, idle.userId));
      expect((await trpcError(admin.api.assignments.assign.mutate({ entity: "task", ids: [ids[2]!], userId: idle.userId }))).message).toBe("המשתמש שנבחר לא נמצא בעסק");
      // Rules naming another tenant's user are refused.
      const bad = await trpcError(admin.api.assignments.setRules.mutate({ rules: { mode: "round_robin", agentIds: [stranger.userId], areas: [], dealTypes: {} } }));
      expect(bad.message).toBe("אחד הנציגים שנבחרו לא נמצא בעסק");
      const names = (await agent.api.assignments.assignees.query()).map((a) => a.id);
      expect(names).toContain(agent.userId);
      expect(names).not.toContain(stranger.userId);
      expect(names).not.toContain(idle.userId);
    });

    test("tasks and viewings: assign and 'mine'", async () => {
      const [task] = await t.db.db.insert(tasks).values({ businessId: t.businessId, title: "להתקשר לבעלים" }).returning();
      const [viewing] = await t.db.db
        .insert(appointmentRequests)
        .values({ businessId: t.businessId, startsAt: new Date(Date.UTC(2026, 11, 1, 10)), endsAt: new Date(Date.UTC(2026, 11, 1, 10, 30)) })
        .returning();
      await admin.api.assignments.assign.mutate({ entity: "task", ids: [task!.id], userId: agent.userId });
      await admin.api.assignments.assign.mutate({ entity: "appointment", ids: [viewing!.id], userId: agent.userId });
      expect((await agent.api.tasks.list.query({ mine: true })).map((x) => x.id)).toEqual([task!.id]);
      expect((await agent.api.appointments.list.query({ mine: true })).map((x) => x.id)).toEqual([viewing!.id]);
      expect(await admin.api.tasks.list.query({ mine: true })).not.toContainEqual(expect.objectContaining({ id: task!.id }));
      const ev = t.events.findLast((e) => e.type === "assigned");
      expect(ev).toMatchObject({ entity: "appointment", title: null });
    });

    test("the AI assigns new leads by the rules: round robin in turn, by area, and never takes over staff's choice", async () => {
      const deps = { db: t.db.db, events: t.deps.events, log: createLogger("silent") } as unknown as TToolDeps;
      await admin.api.assignments.setRules.mutate({ rules: { mode: "round_robin", agentIds: [adminId, agent.userId], areas: [], dealTypes: {} } });
      const got: (string | null)[] = [];
      for (let i = 0; i < 4; i++) {
        const lead = await upsertLead(deps, { businessId: t.businessId, channel: "call", callerPhone: `+97254555010${i}` }, { name: `מתקשר ${i}` });
        const before = t.events.length;
        lead.publish();
        const ev = t.events.slice(before).find((e) => e.type === "assigned");
        const [row] = await t.db.db.select().from(customers).where(eq(customers.id, lead.customerId));
        got.push(row!.assignedUserId);
        expect(ev).toMatchObject({ entity: "customer", ids: [lead.customerId], assignedUserId: row!.assignedUserId, by: "rules" });
      }
      expect(got[0]).not.toBe(got[1]);
      expect(got[0]).toBe(got[2]);
      expect(got[1]).toBe(got[3]);

      await admin.api.assignments.setRules.mutate({ rules: { mode: "by_area", agentIds: [adminId], areas: [{ place: "רמת גן", userId: agent.userId }], dealTypes: {} } });
      const scope = { businessId: t.businessId, channel: "whatsapp" as const, callerPhone: "+972545550200" };
      const first = await upsertLead(deps, scope, { name: "רותם" });
      expect((await t.db.db.select().from(customers).where(eq(customers.id, first.customerId)))[0]!.assignedUserId).toBeNull();
      await upsertLead(deps, scope, { requirements: { cities: ["רמת-גן"], dealType: "rent" } });
      expect((await t.db.db.select().from(customers).where(eq(customers.id, first.customerId)))[0]!.assignedUserId).toBe(agent.userId);

      // A lead staff gave to someone keeps its agent.
      const staffLead = await admin.api.customers.create.mutate({ fullName: "שמור", phone: "0545550300", assignedUserId: adminId });
      await upsertLead(deps, { ...scope, callerPhone: "+972545550300" }, { requirements: { cities: ["רמת גן"] } });
      expect((await t.db.db.select().from(customers).where(eq(customers.id, staffLead.id)))[0]!.assignedUserId).toBe(adminId);
      expect((await admin.api.assignments.rules.query()).mode).toBe("by_area");
      await admin.api.assignments.setRules.mutate({ rules: { mode: "off", agentIds: [], areas: [], dealTypes: {} } });
    });

    test("saved views are private per user, replaced by name, deletable only by their owner", async () => {
      const state = { filters: { dealType: "sale", city: "תל אביב", budgetUpTo: 3_000_000, mine: false }, sort: { id: "name", desc: false }, columns: ["name", "phone"] };
      const v = await admin.api.savedViews.save.mutate({ page: "customers", name: "קונים בתל אביב עד 3M", state });
      expect(v.state).toEqual(state);
      const again = await admin.api.savedViews.save.mutate({ page: "customers", name: "קונים בתל אביב עד 3M", state: { ...state, columns: ["name"] } });
      expect(again.id).toBe(v.id);
      expect((await admin.api.savedViews.list.query({ page: "customers" })).map((x) => x.state.columns)).toEqual([["name"]]);
      expect(await agent.api.savedViews.list.query({ page: "customers" })).toEqual([]);
      expect(await admin.api.savedViews.list.query({ page: "tasks" })).toEqual([]);
      expect((await trpcError(agent.api.savedViews.delete.mutate({ id: v.id }))).message).toBe("התצוגה לא נמצאה");
      // The segment itself: buyers in Tel Aviv up to 3M.
      const seg = await admin.api.customers.list.query({ dealType: "sale", city: "תל-אביב", budgetUpTo: 3_000_000 });
      expect(seg.items.map((c) => c.id).sort()).toEqual(ids.slice(0, 2).sort());
      expect((await admin.api.customers.list.query({ staleDays: 7 })).total).toBe(0);
      await admin.api.savedViews.delete.mutate({ id: v.id });
      expect(await admin.api.savedViews.list.query({ page: "customers" })).toEqual([]);
    });

    test("bulk status and tag on selected customers; another tenant's ids are skipped", async () => {
      const res = await admin.api.customers.bulkUpdate.mutate({ ids, status: "contacted", addTag: "חם" });
      expect(res.updated).toBe(3);
      await admin.api.customers.bulkUpdate.mutate({ ids: ids.slice(0, 1), addTag: "חם" });
      const rows = await t.db.db.select().from(customers).where(eq(customers.businessId, t.businessId));
      const mine = rows.filter((r) => ids.includes(r.id));
      expect(mine.every((r) => r.status === "contacted" && r.tags.filter((x) => x === "חם").length === 1)).toBe(true);
      await admin.api.customers.bulkUpdate.mutate({ ids: ids.slice(0, 1), removeTag: "חם" });
      expect((await t.db.db.select().from(customers).where(eq(customers.id, ids[0]!)))[0]!.tags).toEqual([]);
      expect((await stranger.api.customers.bulkUpdate.mutate({ ids, status: "lost" })).updated).toBe(0);
    });
  });
}
