/** CRM domain through the real tRPC client: Hebrew search, pagination, matching, viewings, tasks. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { claimDueReminders } from "../api/services/tasks/manage-tasks";
import { fireDueReminders } from "../api/services/tasks/task-reminders";
import { createTestApp, type TTestApp } from "./helpers/app";
import { DB_KINDS } from "./helpers/db";
import { createTenant, trpcError } from "./helpers/trpc";

type TTenant = Awaited<ReturnType<typeof createTenant>>;

for (const kind of DB_KINDS) {
  describe(`CRM domain [${kind}]`, () => {
    let t: TTestApp;
    let u: TTenant;
    beforeAll(async () => {
      t = await createTestApp(kind);
      u = await createTenant(t);
    }, 60_000);
    afterAll(async () => {
      await t.close();
    });

    test("Hebrew search: 'רמת גן' finds 'רמת-גן', gershayim and niqqud are ignored, phones match in any format", async () => {
      const hyphen = await u.api.customers.create.mutate({ fullName: "משה לוי", phone: "054-123-4567", notes: "מחפש 4 חדרים ברמת-גן, ליד הבורסה" });
      const maqaf = await u.api.customers.create.mutate({ fullName: "רינה", notes: "משרד בפתח־תקווה" });
      const quotes = await u.api.customers.create.mutate({ fullName: "דוד", notes: 'דירה עם ממ"ד בת״א' });
      const other = await u.api.customers.create.mutate({ fullName: "יעל כהן", notes: "דירה בחיפה" });
      const names = async (search: string) => (await u.api.customers.list.query({ search })).items.map((c) => c.id);

      expect(await names("רמת גן")).toEqual([hyphen.id]);
      expect(await names("רמת-גן")).toEqual([hyphen.id]);
      expect(await names("פתח תקווה")).toEqual([maqaf.id]);
      expect(await names("ממד")).toEqual([quotes.id]);
      expect(await names("תא")).toContain(quotes.id);
      expect(await names("מֹשֶׁה")).toEqual([hyphen.id]); // with niqqud
      expect(await names("0541234567")).toEqual([hyphen.id]);
      expect(await names("+972 54-123")).toEqual([hyphen.id]);
      expect(await names("כהן")).toEqual([other.id]);
      // A near miss (typo) still finds the row through trigram word similarity.
      expect(await names("הבורסא")).toEqual([hyphen.id]);

      const props = await u.api.properties.create.mutate({ title: "3 חדרים", dealType: "rent", propertyType: "apartment", city: "רמת-גן", price: 6500, rooms: 3 });
      expect((await u.api.properties.list.query({ city: "רמת גן" })).map((p) => p.id)).toEqual([props.id]);
      expect((await u.api.properties.list.query({ search: "רמת גן" })).map((p) => p.id)).toEqual([props.id]);
    });

    test("calls.search spans customers, calls and transcript turns, best match first", async () => {
      const { callLogs, conversationTurns } = await import("../db/schema");
      const customer = await u.api.customers.create.mutate({ fullName: "אבי גבעתיים" });
      const [call] = await t.db.db
        .insert(callLogs)
        .values({ businessId: u.businessId, callSid: `CA_search_${kind}`, customerId: customer.id, summary: "מתעניין בפנטהאוז בגבעתיים" })
        .returning();
      await t.db.db.insert(conversationTurns).values([
        { businessId: u.businessId, callId: call!.id, seq: 1, speaker: "caller", text: "שלום, אני מחפש פנטהאוז בגבעתיים" },
        { businessId: u.businessId, callId: call!.id, seq: 2, speaker: "assistant", text: "יש לנו כמה נכסים מעניינים" },
      ]);
      const r = await u.api.calls.search.query({ q: "גבעתיים" });
      expect(r.customers.map((c) => c.id)).toEqual([customer.id]);
      expect(r.calls.map((c) => c.id)).toEqual([call!.id]);
      expect(r.turns.map((x) => x.seq)).toEqual([1]);
      expect(r.turns[0]!.score).toBeGreaterThan(0.5);
      const detail = await u.api.calls.get.query({ id: call!.id });
      expect(detail.turns.map((x) => x.seq)).toEqual([1, 2]);
      expect(detail.customer?.id).toBe(customer.id);
      const listed = await u.api.calls.list.query({ search: "פנטהאוז" });
      expect(listed.items.map((c) => c.id)).toEqual([call!.id]);
      expect(listed.items[0]!.customerName).toBe("אבי גבעתיים");
    });

    test("keyset pagination walks every customer exactly once; a forged cursor is a clear BAD_REQUEST", async () => {
      const v = await createTenant(t);
      const created = new Set<string>();
      for (let i = 0; i < 7; i++) created.add((await v.api.customers.create.mutate({ fullName: `לקוח ${i}`, tags: i % 2 ? ["משקיע"] : [] })).id);
      for (const sort of ["newest", "oldest", "name", "updated"] as const) {
        const seen: string[] = [];
        let cursor: string | undefined;
        for (let page = 0; page < 10; page++) {
          const r = await v.api.customers.list.query({ sort, limit: 3, cursor });
          expect(r.total).toBe(7);
          seen.push(...r.items.map((c) => c.id));
          if (!r.nextCursor) break;
          cursor = r.nextCursor;
        }
        expect(seen.length).toBe(7);
        expect(new Set(seen)).toEqual(created);
      }
      expect((await v.api.customers.list.query({ tag: "משקיע" })).total).toBe(3);
      const err = await trpcError(v.api.customers.list.query({ cursor: "not-a-cursor" }));
      expect(err.data?.code).toBe("BAD_REQUEST");
      expect(err.message).toContain("סמן");
      const forged = Buffer.from(JSON.stringify({ v: "'; drop table customers; --", id: crypto.randomUUID() })).toString("base64url");
      expect((await trpcError(v.api.customers.list.query({ cursor: forged }))).data?.code).toBe("BAD_REQUEST");
      expect((await v.api.customers.list.query({})).total).toBe(7);
    });

    test("matching works both ways with a score and Hebrew reasons", async () => {
      const m = await createTenant(t);
      const fit = await m.api.properties.create.mutate({ title: "3.5 חדרים בבבלי", dealType: "rent", propertyType: "apartment", city: "תל אביב", neighborhood: "בבלי", price: 7800, rooms: 3.5, sizeSqm: 85 });
      const slightlyOver = await m.api.properties.create.mutate({ title: "4 חדרים בצפון", dealType: "rent", propertyType: "apartment", city: "תל-אביב", price: 8600, rooms: 4 });
      const tooExpensive = await m.api.properties.create.mutate({ title: "פנטהאוז", dealType: "rent", propertyType: "penthouse", city: "תל אביב", price: 15000, rooms: 4 });
      const sale = await m.api.properties.create.mutate({ title: "למכירה", dealType: "sale", propertyType: "apartment", city: "תל אביב", price: 8000, rooms: 3 });
      const office = await m.api.properties.create.mutate({ title: "משרד", dealType: "rent", propertyType: "office", city: "תל אביב", price: 7000 });
      const otherCity = await m.api.properties.create.mutate({ title: "בחיפה", dealType: "rent", propertyType: "apartment", city: "חיפה", price: 5000, rooms: 3 });
      const lead = await m.api.customers.create.mutate({
        fullName: "נועה",
        requirements: { dealType: "rent", propertyType: "apartment", cities: ["תל אביב"], neighborhoods: ["בבלי"], roomsMin: 3, roomsMax: 4, budgetMax: 8000, sizeMin: 80 },
      });
      const noMatch = await m.api.customers.create.mutate({ fullName: "גיל", requirements: { dealType: "sale", cities: ["אילת"] } });

      const matches = await m.api.properties.match.query({ customerId: lead.id });
      expect(matches.map((x) => x.property.id)).toEqual([fit.id, slightlyOver.id]);
      expect(matches[0]!.score).toBe(100);
      expect(matches[0]!.reasons).toEqual(expect.arrayContaining(["בעיר המבוקשת: תל אביב", "בשכונה המבוקשת: בבלי", "3.5 חדרים כמבוקש"]));
      expect(matches[1]!.score).toBeLessThan(matches[0]!.score);
      expect(matches[1]!.reasons.some((r) => r.startsWith("מעט מעל התקציב"))).toBe(true);
      for (const excluded of [tooExpensive, sale, office, otherCity]) expect(matches.some((x) => x.property.id === excluded.id)).toBe(false);

      const back = await m.api.properties.matchCustomers.query({ propertyId: fit.id });
      expect(back.map((x) => x.customer.id)).toEqual([lead.id]);
      expect(back.some((x) => x.customer.id === noMatch.id)).toBe(false);
      await m.api.properties.archive.mutate({ id: fit.id });
      expect((await m.api.properties.match.query({ customerId: lead.id })).map((x) => x.property.id)).toEqual([slightlyOver.id]);
    });

    test("viewings: overlapping bookings of one property or agent → CONFLICT in Hebrew; back-to-back is fine", async () => {
      const p = await u.api.properties.create.mutate({ title: "לצפייה", dealType: "sale", propertyType: "apartment", city: "חולון", price: 2_000_000 });
      const at = (h: number, m = 0) => new Date(Date.UTC(2030, 0, 6, h, m)).toISOString();
      const first = await u.api.appointments.create.mutate({ propertyId: p.id, startsAt: at(8), endsAt: at(8, 30) });
      const clash = await trpcError(u.api.appointments.create.mutate({ propertyId: p.id, startsAt: at(8, 15), endsAt: at(8, 45) }));
      expect(clash.data?.code).toBe("CONFLICT");
      expect(clash.message).toContain("כבר קיימת פגישה לנכס זה");
      const next = await u.api.appointments.create.mutate({ propertyId: p.id, startsAt: at(8, 30), endsAt: at(9) });
      const agentClash = await trpcError(
        u.api.appointments.create.mutate({ assignedUserId: u.userId, startsAt: at(10), endsAt: at(11) }).then(() =>
          u.api.appointments.create.mutate({ assignedUserId: u.userId, startsAt: at(10, 30), endsAt: at(11, 30) }),
        ),
      );
      expect(agentClash.message).toContain("לנציג זה");
      // A viewing across midnight (Israel time) names each end with its date.
      await u.api.appointments.create.mutate({ propertyId: p.id, startsAt: at(21, 30), endsAt: at(22, 15) });
      const late = await trpcError(u.api.appointments.create.mutate({ propertyId: p.id, startsAt: at(22), endsAt: at(22, 30) }));
      expect(late.message).toBe("כבר קיימת פגישה לנכס זה בין 06/01/2030 23:30 ל-07/01/2030 00:15");
      expect((await trpcError(u.api.appointments.update.mutate({ id: next.id, startsAt: at(8, 10) }))).data?.code).toBe("CONFLICT");
      await u.api.appointments.update.mutate({ id: first.id, status: "cancelled" });
      const moved = await u.api.appointments.update.mutate({ id: next.id, startsAt: at(8, 10) });
      expect(moved.startsAt).toBe(at(8, 10));
      const bad = await trpcError(u.api.appointments.create.mutate({ startsAt: at(12), endsAt: at(11) }));
      expect(bad.data?.code).toBe("BAD_REQUEST");
      expect(bad.message).toBe("שעת הסיום חייבת להיות אחרי שעת ההתחלה");
      expect(t.events.some((e) => e.type === "appointment.booked" && e.appointmentId === first.id)).toBe(true);
      const listed = await u.api.appointments.list.query({ from: at(0), to: at(23) });
      expect(listed.map((a) => a.id)).toContain(moved.id);
    });

    test("tasks: due dates, overdue flag, completion and reminders claimed once", async () => {
      const customer = await u.api.customers.create.mutate({ fullName: "לקוח למשימה" });
      const past = new Date(Date.now() - 3600_000).toISOString();
      const task = await u.api.tasks.create.mutate({ title: "לחזור ללקוח", customerId: customer.id, dueAt: past, remindAt: past, priority: "high" });
      expect(task.overdue).toBe(true);
      expect(task.assignedUserId).toBe(u.userId);
      const future = await u.api.tasks.create.mutate({ title: "לשלוח חוזה", dueAt: new Date(Date.now() + 86400_000).toISOString() });
      expect(future.overdue).toBe(false);
      expect(await fireDueReminders(t.db.db, t.deps.events)).toBeGreaterThanOrEqual(1);
      const reminder = t.events.find((e) => e.type === "task.reminder" && e.taskId === task.id);
      expect(reminder).toMatchObject({ businessId: u.businessId, title: "לחזור ללקוח", assignedUserId: u.userId });
      expect((await claimDueReminders(t.db.db)).map((x) => x.id)).not.toContain(task.id);
      // A new reminder time fires again.
      await u.api.tasks.update.mutate({ id: task.id, remindAt: past });
      expect((await claimDueReminders(t.db.db)).map((x) => x.id)).toContain(task.id);
      const done = await u.api.tasks.complete.mutate({ id: task.id });
      expect(done.status).toBe("done");
      expect(done.completedAt).not.toBeNull();
      expect(done.overdue).toBe(false);
      expect((await u.api.tasks.list.query({ status: "open" })).map((x) => x.id)).toEqual([future.id]);
      const timeline = (await u.api.customers.get.query({ id: customer.id })).timeline;
      expect(timeline.some((i) => i.kind === "task" && i.id === task.id)).toBe(true);
    });
  });
}
