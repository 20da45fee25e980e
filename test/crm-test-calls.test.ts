/**
 * Test calls kept apart (#17): a test call and the lead it created are marked,
 * left out of customers, pickers, search and analytics by default, shown with
 * `includeTest: true`, and removed in one action — never a real customer.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { callLogs, customers } from "../db/schema";
import { markTestLead } from "../api/services/calls/test-calls";
import { DB_KINDS } from "./helpers/db";
import { createTestApp, type TTestApp } from "./helpers/app";
import { adminClient, type TTestClient } from "./helpers/trpc";

for (const kind of DB_KINDS) {
  describe(`test calls kept apart (${kind})`, () => {
    let t: TTestApp;
    let admin: TTestClient;
    let testLeadId: string;
    let realId: string;

    beforeAll(async () => {
      t = await createTestApp(kind);
      admin = await adminClient(t);
      const b = t.businessId;
      const startedAt = new Date(Date.now() - 60_000);
      const [real] = await t.db.db.insert(customers).values({ businessId: b, fullName: "לקוחה אמיתית ניסיונית", phone: "+972541230001" }).returning();
      realId = real!.id;
      await t.db.db.insert(callLogs).values({ businessId: b, callSid: "CAreal-tc", customerId: realId, status: "completed", summary: "שיחה אמיתית" });
      const [testCall] = await t.db.db.insert(callLogs).values({ businessId: b, callSid: "TEST-tc1", direction: "test", status: "completed", startedAt }).returning();
      const [lead] = await t.db.db.insert(customers).values({ businessId: b, fullName: "ליד מבחן ניסיוני", phone: "+972541230002" }).returning();
      testLeadId = lead!.id;
      await t.db.db.update(callLogs).set({ customerId: testLeadId }).where(eq(callLogs.id, testCall!.id));
      expect(await markTestLead(t.db.db, b, testLeadId, startedAt)).toBe(true);
      // A real customer used in a test call stays real.
      expect(await markTestLead(t.db.db, b, realId, startedAt)).toBe(false);
    }, 120_000);
    afterAll(() => t.close());

    test("the test call is flagged by the database and the lead it created is a test lead", async () => {
      const [call] = await t.db.db.select().from(callLogs).where(eq(callLogs.callSid, "TEST-tc1"));
      expect(call!.isTest).toBe(true);
      const rows = await t.db.db.select({ id: customers.id, isTest: customers.isTest }).from(customers).where(eq(customers.businessId, t.businessId));
      expect(rows.find((r) => r.id === testLeadId)!.isTest).toBe(true);
      expect(rows.find((r) => r.id === realId)!.isTest).toBe(false);
    });

    test("customers lists (and the pickers built on them) and search leave the test lead out unless asked", async () => {
      const list = await admin.api.customers.list.query({ search: "ניסיוני" });
      expect(list.items.map((c) => c.id)).toEqual([realId]);
      const all = await admin.api.customers.list.query({ search: "ניסיוני", includeTest: true });
      expect(all.items.map((c) => c.id).sort()).toEqual([realId, testLeadId].sort());
      const found = await admin.api.search.global.query({ q: "ניסיוני" });
      expect(found.groups.find((g) => g.kind === "customer")!.hits.map((h) => h.id)).toEqual([realId]);
    });

    test("analytics count only real calls and leads by default", async () => {
      const real = await admin.api.analytics.overview.query({});
      const withTest = await admin.api.analytics.overview.query({ includeTest: true });
      expect(withTest.callsInRange - real.callsInRange).toBe(1);
      expect(withTest.newLeads - real.newLeads).toBe(1);
    });

    test("one action removes every test call and test lead, and nothing real", async () => {
      const r = await admin.api.calls.deleteTestData.mutate({});
      expect(r).toEqual({ calls: 1, customers: 1 });
      const left = await t.db.db.select({ id: customers.id }).from(customers).where(eq(customers.id, realId));
      expect(left.length).toBe(1);
      expect((await t.db.db.select().from(callLogs).where(eq(callLogs.callSid, "CAreal-tc"))).length).toBe(1);
      expect(await admin.api.calls.deleteTestData.mutate({})).toEqual({ calls: 0, customers: 0 });
    });
  });
}
