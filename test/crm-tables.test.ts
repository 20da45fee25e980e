/**
 * The listings and invoices tables (#17 item 3) and assignment through the
 * customer form: bulk listing status (tenant-scoped, audited, an unchanged
 * row not counted), server sorts and filters of both tables, and
 * customers.update / customers.create with an agent notifying that agent as
 * assignments.assign does.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq, inArray } from "drizzle-orm";
import { auditLog, properties, users } from "../db/schema";
import { DB_KINDS } from "./helpers/db";
import { createTestApp, type TTestApp } from "./helpers/app";
import { adminClient, createTenant, trpcError, type TTestClient } from "./helpers/trpc";

for (const kind of DB_KINDS) {
  describe(`listings and invoices tables, assignment by update (${kind})`, () => {
    let t: TTestApp;
    let admin: TTestClient;
    let adminId: string;
    let agent: Awaited<ReturnType<typeof createTenant>>;
    let stranger: Awaited<ReturnType<typeof createTenant>>;
    const listingIds: string[] = [];

    beforeAll(async () => {
      t = await createTestApp(kind);
      admin = await adminClient(t);
      adminId = (await admin.api.auth.me.query())!.user.id;
      agent = await createTenant(t, { businessId: t.businessId, permissions: ["customers"] });
      stranger = await createTenant(t, { permissions: ["properties", "billing", "customers"] });
      for (const [title, price, rooms] of [["טבלה א׳ בגבעתיים", 2_100_000, 3], ["טבלה ב׳ בגבעתיים", 3_400_000, 4.5], ["טבלה ג׳ בגבעתיים", 2_700_000, 5]] as const) {
        const p = await admin.api.properties.create.mutate({ title, dealType: "sale", propertyType: "apartment", city: "גבעתיים", price, rooms });
        listingIds.push(p.id);
      }
    }, 120_000);
    afterAll(() => t.close());

    test("bulk listing status: only this business's listings change, each audited, an unchanged one not counted", async () => {
      const res = await admin.api.properties.bulkSetStatus.mutate({ ids: listingIds.slice(0, 2), status: "under_offer" });
      expect(res.updated).toBe(2);
      const rows = await t.db.db.select({ id: properties.id, status: properties.status }).from(properties).where(inArray(properties.id, listingIds));
      expect(Object.fromEntries(rows.map((r) => [r.id, r.status]))).toEqual({ [listingIds[0]!]: "under_offer", [listingIds[1]!]: "under_offer", [listingIds[2]!]: "available" });
      const audits = await t.db.db.select().from(auditLog).where(and(eq(auditLog.action, "properties.bulkSetStatus"), inArray(auditLog.entityId, listingIds)));
      expect(audits.map((a) => a.entityId).sort()).toEqual(listingIds.slice(0, 2).sort());
      expect(audits[0]!.after).toEqual({ status: "under_offer" });
      // Already under offer: nothing to change.
      expect((await admin.api.properties.bulkSetStatus.mutate({ ids: listingIds.slice(0, 1), status: "under_offer" })).updated).toBe(0);
      // Another business cannot touch them.
      expect((await stranger.api.properties.bulkSetStatus.mutate({ ids: listingIds, status: "sold" })).updated).toBe(0);
      expect((await t.db.db.select().from(properties).where(eq(properties.status, "sold"))).some((r) => listingIds.includes(r.id))).toBe(false);
      // Without the properties permission the procedure refuses.
      expect((await trpcError(agent.api.properties.bulkSetStatus.mutate({ ids: listingIds, status: "sold" }))).data?.code).toBe("FORBIDDEN");
    });

    test("listings: sort by price either way, price-up-to and rooms-from filters", async () => {
      const up = await admin.api.properties.list.query({ search: "טבלה", status: undefined, sort: "price" });
      expect(up.map((p) => p.price)).toEqual([2_100_000, 2_700_000, 3_400_000]);
      const down = await admin.api.properties.list.query({ search: "טבלה", sort: "price_desc" });
      expect(down.map((p) => p.id)).toEqual([listingIds[1]!, listingIds[2]!, listingIds[0]!]);
      const cheap = await admin.api.properties.list.query({ search: "טבלה", priceMax: 2_700_000, roomsMin: 4, sort: "title" });
      expect(cheap.map((p) => p.id)).toEqual([listingIds[2]!]);
      expect((await admin.api.properties.list.query({ search: "טבלה", status: "under_offer", sort: "title_desc" })).map((p) => p.id)).toEqual([listingIds[1]!, listingIds[0]!]);
    });

    test("invoices: search by customer or number, sort by total and customer, another tenant sees none", async () => {
      const issue = (name: string, agorot: number) =>
        admin.api.invoices.create.mutate({ type: "tax_invoice", customerName: name, lines: [{ description: "דמי תיווך", quantity: 1, unitPriceAgorot: agorot }], issueDate: "2026-03-01" });
      const a = await issue("טבלאות אבירם", 300_000);
      const b = await issue("טבלאות בן עמי", 100_000);
      const c = await issue("טבלאות גולן", 200_000);
      const byTotal = await admin.api.invoices.list.query({ search: "טבלאות", sort: "total" });
      expect(byTotal.map((i) => i.id)).toEqual([b.id, c.id, a.id]);
      const byName = await admin.api.invoices.list.query({ search: "טבלאות", sort: "customer_desc" });
      expect(byName.map((i) => i.customerName)).toEqual(["טבלאות גולן", "טבלאות בן עמי", "טבלאות אבירם"]);
      const byNumber = await admin.api.invoices.list.query({ search: String(b.number), type: "tax_invoice" });
      expect(byNumber.map((i) => i.id)).toContain(b.id);
      expect(byNumber.every((i) => i.number === b.number || i.customerName.includes(String(b.number)))).toBe(true);
      expect(await admin.api.invoices.list.query({ search: "טבלאות", from: "2026-03-02" })).toEqual([]);
      expect(await stranger.api.invoices.list.query({ search: "טבלאות" })).toEqual([]);
    });

    test("changing the agent through customers.update notifies that agent and audits the assignment", async () => {
      const c = await admin.api.customers.create.mutate({ fullName: "לקוח טופס", phone: "0541239901" });
      const before = t.events.length;
      await admin.api.customers.update.mutate({ id: c.id, assignedUserId: agent.userId, notes: "עבר לנציג" });
      const ev = t.events.slice(before).filter((e) => e.type === "assigned");
      expect(ev).toEqual([{ type: "assigned", businessId: t.businessId, entity: "customer", ids: [c.id], count: 1, title: "לקוח טופס", assignedUserId: agent.userId, by: "staff", byUserId: adminId }]);
      const mine = await agent.api.customers.list.query({ mine: true });
      expect(mine.items.map((x) => x.id)).toContain(c.id);
      const audit = await t.db.db.select().from(auditLog).where(and(eq(auditLog.action, "customers.assign"), eq(auditLog.entityId, c.id)));
      expect(audit.map((a) => a.after)).toEqual([{ assignedUserId: agent.userId }]);

      // Saving the form again with the same agent, or unassigning, notifies nobody.
      const again = t.events.length;
      await admin.api.customers.update.mutate({ id: c.id, assignedUserId: agent.userId, fullName: "לקוח טופס" });
      await admin.api.customers.update.mutate({ id: c.id, assignedUserId: null });
      expect(t.events.slice(again).filter((e) => e.type === "assigned")).toEqual([]);

      // An inactive colleague cannot be given a lead this way either, and nothing is written.
      const idle = await createTenant(t, { businessId: t.businessId });
      await t.db.db.update(users).set({ active: false }).where(eq(users.id, idle.userId));
      const err = await trpcError(admin.api.customers.update.mutate({ id: c.id, assignedUserId: idle.userId, notes: "לא יישמר" }));
      expect(err.message).toBe("המשתמש שנבחר לא נמצא בעסק");
      expect((await admin.api.customers.get.query({ id: c.id })).customer).toMatchObject({ notes: "עבר לנציג", assignedUserId: null });
    });

    test("creating a customer with an agent notifies that agent", async () => {
      const before = t.events.length;
      const c = await admin.api.customers.create.mutate({ fullName: "לקוח משויך", phone: "0541239902", assignedUserId: agent.userId });
      expect(t.events.slice(before).filter((e) => e.type === "assigned")).toEqual([
        { type: "assigned", businessId: t.businessId, entity: "customer", ids: [c.id], count: 1, title: "לקוח משויך", assignedUserId: agent.userId, by: "staff", byUserId: adminId },
      ]);
    });
  });
}
