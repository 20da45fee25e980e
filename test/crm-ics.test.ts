/**
 * Each agent's private ICS feed of their viewings (#17): a secret-token URL a
 * calendar app can subscribe to; only that agent's viewings; a forged or
 * altered token gets 404 and nothing else.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { appointmentRequests, customers, properties, users } from "../db/schema";
import { DEMO_ADMIN_EMAIL } from "../db/seed/seed-demo";
import { DB_KINDS } from "./helpers/db";
import { createTestApp, type TTestApp } from "./helpers/app";
import { adminClient, createTenant, TEST_ORIGIN, type TTestClient } from "./helpers/trpc";

for (const kind of DB_KINDS) {
  describe(`agent ICS feed (${kind})`, () => {
    let t: TTestApp;
    let admin: TTestClient;

    beforeAll(async () => {
      t = await createTestApp(kind);
      admin = await adminClient(t);
      const b = t.businessId;
      const [me] = await t.db.db.select().from(users).where(eq(users.email, DEMO_ADMIN_EMAIL));
      const colleague = await createTenant(t, { businessId: b, permissions: ["appointments"] });
      const [c] = await t.db.db.insert(customers).values({ businessId: b, fullName: "אורי, בן; נחום", phone: "+972541238001" }).returning();
      const [p] = await t.db.db.insert(properties).values({ businessId: b, title: "דירת 4 חדרים ברחוב הרצל", street: "הרצל 10", dealType: "sale", propertyType: "apartment", city: "ראשון לציון", price: 2_500_000 }).returning();
      const soon = Date.now() + 86400_000;
      await t.db.db.insert(appointmentRequests).values([
        { businessId: b, customerId: c!.id, propertyId: p!.id, assignedUserId: me!.id, startsAt: new Date(soon), endsAt: new Date(soon + 1800_000), status: "confirmed" },
        { businessId: b, customerId: c!.id, propertyId: p!.id, assignedUserId: colleague.userId, startsAt: new Date(soon + 7200_000), endsAt: new Date(soon + 9000_000), notes: "של עמית" },
        { businessId: b, customerId: c!.id, propertyId: p!.id, assignedUserId: me!.id, startsAt: new Date(soon + 3600_000), endsAt: new Date(soon + 5400_000), status: "cancelled" },
      ]);
    }, 120_000);
    afterAll(() => t.close());

    test("the signed-in agent gets a feed URL; it serves only their viewings, escaped and folded per RFC 5545", async () => {
      const { path } = await admin.api.calendar.myFeed.query();
      expect(path).toMatch(/^\/ics\/[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}\.ics$/);
      const res = await t.app.request(`${TEST_ORIGIN}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/calendar");
      const ics = await res.text();
      expect(ics.startsWith("BEGIN:VCALENDAR\r\n")).toBe(true);
      expect(ics.match(/BEGIN:VEVENT/g)?.length).toBe(1);
      const unfolded = ics.replace(/\r\n /g, "");
      expect(unfolded).toContain("SUMMARY:צפייה: דירת 4 חדרים ברחוב הרצל – אורי\\, בן\\; נחום");
      expect(unfolded).toContain("LOCATION:הרצל 10\\, ראשון לציון");
      expect(unfolded).toContain("STATUS:CONFIRMED");
      expect(unfolded).not.toContain("של עמית");
      for (const line of ics.split("\r\n")) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(75);
    });

    test("a forged, altered or malformed token gets 404 with nothing in it", async () => {
      const { path } = await admin.api.calendar.myFeed.query();
      const altered = path.replace(/\.([A-Za-z0-9_-])/, (_m, ch: string) => `.${ch === "A" ? "B" : "A"}`);
      for (const p of [altered, "/ics/not-a-token.ics", path.replace(/^\/ics\/([0-9a-f])/, (_m, ch: string) => `/ics/${ch === "0" ? "1" : "0"}`)]) {
        const res = await t.app.request(`${TEST_ORIGIN}${p}`);
        expect(res.status).toBe(404);
        expect(await res.text()).not.toContain("VEVENT");
      }
    });
  });
}
