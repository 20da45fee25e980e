/**
 * One booking rule for staff and the AI: a listing (or an agent) never has two
 * active viewings at the same time, whoever books, however concurrently, and
 * the database itself refuses a double booking written around the service.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq, inArray } from "drizzle-orm";
import { appointmentRequests, auditLog, properties } from "../db/schema";
import { bookViewing } from "../core/conversation/brain/tools/book-viewing";
import { createTestApp, type TTestApp } from "./helpers/app";
import { DB_KINDS } from "./helpers/db";
import { adminClient, trpcError, type TTestClient } from "./helpers/trpc";

/** A Sunday (open 09:00–19:00 in the seed) far from the real date; the AI's clock is the day before. */
const DAY = "2030-01-06";
const aiNow = () => new Date(`2030-01-05T08:00:00Z`);
const at = (hhmm: string) => new Date(`${DAY}T${hhmm}:00+02:00`);

for (const kind of DB_KINDS) {
  describe(`viewings: one booking rule for staff and AI [${kind}]`, () => {
    let t: TTestApp;
    let admin: TTestClient;
    let propertyIds: string[];

    beforeAll(async () => {
      t = await createTestApp(kind);
      admin = await adminClient(t);
      const rows = await t.db.db.select({ id: properties.id }).from(properties).where(eq(properties.businessId, t.businessId)).limit(12);
      propertyIds = rows.map((r) => r.id);
    }, 120_000);
    afterAll(() => t.close());

    const aiBook = (propertyId: string, startsAt: Date, phone: string) =>
      bookViewing(
        { db: t.db.db, events: t.deps.events, log: t.deps.log },
        { businessId: t.businessId, channel: "call", callerPhone: phone, now: aiNow },
        { propertyId, startsAt: startsAt.toISOString() },
      );
    const staffBook = (propertyId: string, startsAt: Date) =>
      admin.api.appointments.create.mutate({ propertyId, startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + 30 * 60_000).toISOString() });
    const activeFor = (propertyId: string) =>
      t.db.db
        .select()
        .from(appointmentRequests)
        .where(and(eq(appointmentRequests.propertyId, propertyId), inArray(appointmentRequests.status, ["requested", "confirmed"])));

    test("staff and a caller booking the same listing at the same moment: exactly one wins, the other is told", async () => {
      // Ten listings, each raced by a staff booking and an AI booking of the same slot, all at once.
      const slots = propertyIds.slice(0, 10).map((id, i) => ({ id, start: at(`${String(10 + (i % 8)).padStart(2, "0")}:00`) }));
      const outcomes = await Promise.all(
        slots.flatMap(({ id, start }, i) => [
          staffBook(id, start).then(
            () => "staff" as const,
            (err) => (trpcError(Promise.reject(err)).then((e) => `staff-refused:${e.data?.code}:${e.message}`)),
          ),
          aiBook(id, start, `+9725400000${String(i).padStart(2, "0")}`).then((r) => (r.booked ? ("ai" as const) : `ai-refused:${r.reason}`)),
        ]),
      );
      for (const { id } of slots) expect(await activeFor(id)).toHaveLength(1);
      const wins = outcomes.filter((o) => o === "staff" || o === "ai");
      expect(wins).toHaveLength(slots.length);
      for (const o of outcomes.filter((o) => !wins.includes(o as "staff" | "ai"))) {
        // A refused staff booking hears why in Hebrew; a refused AI booking gets a conflict (and a next free slot).
        expect(o).toMatch(/^(staff-refused:CONFLICT:כבר קיימת פגישה לנכס זה|ai-refused:conflict)/);
      }
    });

    test("the database refuses an overlapping active viewing written around the service; cancelled ones may overlap", async () => {
      const id = propertyIds[10]!;
      const row = (startsAt: Date, status: "requested" | "cancelled" = "requested") => ({
        businessId: t.businessId,
        propertyId: id,
        startsAt,
        endsAt: new Date(startsAt.getTime() + 60 * 60_000),
        status,
      });
      await t.db.db.insert(appointmentRequests).values(row(at("12:00")));
      const err = await t.db.db.insert(appointmentRequests).values(row(at("12:30"))).then(() => null, (e: unknown) => e);
      expect(err).not.toBeNull();
      expect(JSON.stringify(err, Object.getOwnPropertyNames(err)) + String((err as { cause?: unknown }).cause)).toContain("appointments_property_no_overlap");
      await t.db.db.insert(appointmentRequests).values(row(at("12:30"), "cancelled"));
      // Back to back is not an overlap: [12:00, 13:00) then [13:00, 14:00).
      await t.db.db.insert(appointmentRequests).values(row(at("13:00")));
      expect(await activeFor(id)).toHaveLength(2);
    });

    test("an agent cannot be in two viewings at once; a staff move onto a taken slot is refused in Hebrew", async () => {
      const me = (await admin.api.auth.me.query())!;
      const [a, b] = [propertyIds[0]!, propertyIds[1]!];
      const start = at("18:00");
      const end = new Date(start.getTime() + 30 * 60_000).toISOString();
      await admin.api.appointments.create.mutate({ propertyId: a, assignedUserId: me.user.id, startsAt: start.toISOString(), endsAt: end });
      const clash = await trpcError(admin.api.appointments.create.mutate({ propertyId: b, assignedUserId: me.user.id, startsAt: start.toISOString(), endsAt: end }));
      expect(clash.data?.code).toBe("CONFLICT");
      expect(clash.message).toContain("לנציג זה");
      const other = await admin.api.appointments.create.mutate({ propertyId: b, startsAt: at("17:00").toISOString(), endsAt: at("17:30").toISOString() });
      const moved = await trpcError(admin.api.appointments.update.mutate({ id: other.id, startsAt: start.toISOString(), endsAt: end, assignedUserId: me.user.id }));
      expect(moved.data?.code).toBe("CONFLICT");
    });

    test("an AI booking is audited like a staff one (no user, via ai)", async () => {
      const r = await aiBook(propertyIds[11]!, at("09:30"), "+972549990000");
      expect(r.booked).toBe(true);
      if (!r.booked) return;
      const [audit] = await t.db.db.select().from(auditLog).where(and(eq(auditLog.entityId, r.appointmentId), eq(auditLog.action, "appointments.create")));
      expect(audit).toMatchObject({ businessId: t.businessId, userId: null, entityType: "appointment" });
      expect(audit!.after).toMatchObject({ via: "ai", propertyId: propertyIds[11] });
    });
  });
}
