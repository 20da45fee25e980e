/**
 * Viewing confirmations and reminders as jobs, on PGlite and PostgreSQL: a
 * booking heard by two job engines (every machine hears it) becomes one
 * confirmation job and one SMS; the reminder tick, offered by both engines,
 * sends the day-before reminder once. SMS through the real twilio SDK against
 * the local REST double.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq, sql } from "drizzle-orm";
import { createJobs, type TJobs } from "../api/jobs/create-jobs";
import { registerJobWorkers } from "../api/jobs/register-job-workers";
import { messagingDepsOf } from "../api/sms/messaging-deps";
import { appointmentRequests, businesses, customers, properties } from "../db/schema";
import { startTwilioRestDouble, type TTwilioRestDouble } from "./doubles/twilio-rest";
import { createTestApp, TEST_AUTH_TOKEN, type TTestApp } from "./helpers/app";
import { DB_KINDS, rowsOf } from "./helpers/db";
import { waitFor } from "./helpers/wait-for";

const ACCOUNT = "AC0123456789abcdef0123456789abcdef";
const HOUR = 3_600_000;

for (const kind of DB_KINDS) {
  describe(`viewing notices as jobs [${kind}]`, () => {
    let t: TTestApp;
    let rest: TTwilioRestDouble;
    const engines: TJobs[] = [];
    const smsTo = (phone: string) => rest.messages.filter((m) => m.to === phone);

    const book = async (phone: string, startsAt: Date) => {
      const [c] = await t.db.db.insert(customers).values({ businessId: t.businessId, phone, fullName: "רונית לוי", source: "manual" }).returning();
      const [p] = await t.db.db
        .insert(properties)
        .values({ businessId: t.businessId, title: "דירת 4 חדרים", dealType: "sale", propertyType: "apartment", city: "תל אביב", street: "הרצל 10", price: 2_500_000 })
        .returning();
      const [a] = await t.db.db
        .insert(appointmentRequests)
        .values({ businessId: t.businessId, customerId: c!.id, propertyId: p!.id, startsAt, endsAt: new Date(startsAt.getTime() + HOUR), status: "requested" })
        .returning();
      return a!;
    };

    beforeAll(async () => {
      rest = await startTwilioRestDouble({ accountSid: ACCOUNT, authToken: TEST_AUTH_TOKEN });
      t = await createTestApp(kind, { TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_API_BASE_URL: rest.baseUrl, PUBLIC_BASE_URL: "https://kesher.example.com" });
      const [b] = await t.db.db.select().from(businesses).where(eq(businesses.id, t.businessId));
      await t.db.db.update(businesses).set({ settings: { ...b!.settings, whatsappProvider: "twilio" } }).where(eq(businesses.id, t.businessId));
      const messaging = messagingDepsOf(t.deps);
      // Two engines on one database, as two machines: both hear every booking event and both tick.
      for (let i = 0; i < 2; i++) {
        const jobs = createJobs({ dbh: t.db, databaseUrl: t.db.url, log: t.deps.log, tickSeconds: 1, pollSeconds: 0.5 });
        registerJobWorkers(jobs, { db: t.db.db, log: t.deps.log, events: t.deps.events, openai: null, stt: null, download: async () => new Uint8Array(), messaging });
        await jobs.start();
        engines.push(jobs);
      }
    }, 480_000);
    afterAll(async () => {
      for (const j of engines) await j.stop(0);
      await rest?.close();
      await t?.close();
    });

    test("a booking heard by both engines is one confirmation job and one SMS", async () => {
      const a = await book("+972541000101", new Date(Date.now() + 72 * HOUR));
      t.deps.events.publish({ type: "appointment.booked", businessId: t.businessId, appointmentId: a.id, startsAt: a.startsAt.toISOString() });
      const [sms] = await waitFor(() => (smsTo("+972541000101").length ? smsTo("+972541000101") : null), "confirmation sms", 60_000, 50);
      expect(sms!.body).toContain("נקבע לך ביקור בדירת 4 חדרים");
      const jobsFor = async () => Number(rowsOf<{ n: number }>(await t.db.db.execute(sql`select count(*)::int as n from pgboss.job where name = 'viewing-confirmation' and data->>'appointmentId' = ${a.id}`))[0]?.n ?? 0);
      expect(await jobsFor()).toBe(1);
      await waitFor(async () => Number(rowsOf<{ n: number }>(await t.db.db.execute(sql`select count(*)::int as n from pgboss.job where name = 'viewing-confirmation' and data->>'appointmentId' = ${a.id} and state = 'completed'`))[0]?.n ?? 0) === 1, "confirmation job completed", 30_000, 50);
      expect(smsTo("+972541000101").length).toBe(1);
    }, 120_000);

    test("the reminder tick, offered by both engines, reminds a viewing within 24 h once", async () => {
      await book("+972541000102", new Date(Date.now() + 20 * HOUR));
      await waitFor(() => smsTo("+972541000102").length >= 1, "reminder sms", 60_000, 50);
      const ticks = async () => Number(rowsOf<{ n: number }>(await t.db.db.execute(sql`select count(*)::int as n from pgboss.job where name = 'viewing-reminders' and state = 'completed'`))[0]?.n ?? 0);
      const done = await ticks();
      await waitFor(async () => (await ticks()) >= done + 3, "three more reminder ticks", 60_000, 100);
      expect(smsTo("+972541000102").length).toBe(1);
    }, 120_000);
  });
}
