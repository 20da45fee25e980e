/**
 * SMS follow-through on viewings, through the real twilio SDK against the
 * local Twilio REST double and signed webhooks into the real app:
 * confirmation on `appointment.booked`, the day-before reminder (exactly
 * once, injected clock; WhatsApp when the conversation is open), replies
 * that confirm or cancel, inbound SMS into the thread, delivery receipts,
 * STOP honoured.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { createApp } from "../api/app";
import { messagingDepsOf } from "../api/sms/messaging-deps";
import type { TSendToCustomerDeps } from "../api/services/messaging/send-to-customer";
import { startViewingNotices } from "../api/services/sms/viewing-notice-runner";
import { sendDueViewingReminders, sendViewingNotice } from "../api/services/sms/viewing-notices";
import { createWhatsAppHub, type TWhatsAppHub } from "../api/whatsapp/whatsapp-hub";
import { appointmentRequests, businesses, customers, properties, smsOptOuts, viewingNotices, whatsappMessages } from "../db/schema";
import { baileysSocketFactory } from "./doubles/baileys-socket";
import { startTwilioRestDouble, type TTwilioRestDouble } from "./doubles/twilio-rest";
import { createTestApp, signedTwilioPost, TEST_AUTH_TOKEN, type TTestApp } from "./helpers/app";
import { DB_KINDS } from "./helpers/db";
import { waitFor } from "./helpers/wait-for";

const HOST = "https://kesher.example.com";
const ACCOUNT = "AC0123456789abcdef0123456789abcdef";
const BUSINESS_NUMBER = "+97235550100";
/** Wednesday 25.11.2026 10:00 in Israel. */
const T0 = new Date("2026-11-25T08:00:00Z");
const HOUR = 3_600_000;

for (const kind of DB_KINDS) {
  describe(`sms viewing notices and webhooks [${kind}]`, () => {
    let t: TTestApp;
    let rest: TTwilioRestDouble;
    let hub: TWhatsAppHub;
    let deps: TSendToCustomerDeps;
    let stop: () => void;
    let clock = T0;
    let seq = 0;
    const now = () => clock;

    const smsTo = (phone: string) => rest.messages.filter((m) => m.to === phone);
    const newCustomer = async (phone: string) =>
      (await t.db.db.insert(customers).values({ businessId: t.businessId, phone, fullName: "רונית לוי", source: "manual" }).returning())[0]!;
    // One listing per viewing: the no-double-booking constraint would refuse two at one time on one listing.
    const newListing = async () =>
      (
        await t.db.db
          .insert(properties)
          .values({ businessId: t.businessId, title: "דירת 4 חדרים", dealType: "sale", propertyType: "apartment", city: "תל אביב", neighborhood: "פלורנטין", street: "הרצל 10", price: 2_500_000 })
          .returning()
      )[0]!.id;
    const book = async (customerId: string, startsAt: Date, announce = true) => {
      const propertyId = await newListing();
      const [a] = await t.db.db
        .insert(appointmentRequests)
        .values({ businessId: t.businessId, customerId, propertyId, startsAt, endsAt: new Date(startsAt.getTime() + HOUR), status: "requested" })
        .returning();
      if (announce) t.deps.events.publish({ type: "appointment.booked", businessId: t.businessId, appointmentId: a!.id, startsAt: a!.startsAt.toISOString() });
      return a!;
    };
    const inbound = (from: string, body: string) =>
      t.app.request(
        signedTwilioPost(`${HOST}/webhook/sms/inbound`, { AccountSid: ACCOUNT, MessageSid: `SM${String(++seq).padStart(32, "0")}`, From: from, To: BUSINESS_NUMBER, Body: body, NumMedia: "0" }),
      );
    const statusOf = async (id: string) => (await t.db.db.select().from(appointmentRequests).where(eq(appointmentRequests.id, id)))[0]!.status;

    beforeAll(async () => {
      rest = await startTwilioRestDouble({ accountSid: ACCOUNT, authToken: TEST_AUTH_TOKEN });
      t = await createTestApp(kind, { TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_API_BASE_URL: rest.baseUrl, PUBLIC_BASE_URL: HOST });
      t.deps.now = now;
      hub = createWhatsAppHub({ db: t.db.db, log: t.deps.log, events: t.deps.events, config: t.deps.config, agent: null, socketFactory: baileysSocketFactory().factory, now });
      t.deps.whatsapp = hub;
      t.app = createApp(t.deps);
      deps = messagingDepsOf(t.deps);
      stop = startViewingNotices(deps, { tickMs: 3_600_000 });
      const [b] = await t.db.db.select().from(businesses).where(eq(businesses.id, t.businessId));
      await t.db.db.update(businesses).set({ settings: { ...b!.settings, whatsappProvider: "twilio" } }).where(eq(businesses.id, t.businessId));
    }, 480_000);
    afterAll(async () => {
      stop?.();
      await hub?.close();
      await rest?.close();
      await t?.close();
    });

    test("booked → one confirmation SMS with day, time, address and the reply options; a repeated event sends nothing more", async () => {
      const c = await newCustomer("+972541000001");
      const a = await book(c.id, new Date(T0.getTime() + 49 * HOUR));
      const [sms] = await waitFor(() => (smsTo("+972541000001").length ? smsTo("+972541000001") : null), "confirmation sms");
      expect(sms!.from).toBe(BUSINESS_NUMBER);
      expect(sms!.body).toContain("נקבע לך ביקור בדירת 4 חדרים");
      expect(sms!.body).toContain("בשעה 11:00");
      expect(sms!.body).toContain("27.11");
      expect(sms!.body).toContain("כתובת: הרצל 10, פלורנטין, תל אביב");
      expect(sms!.body).toContain("לאישור השיבו 1 או כן, לביטול השיבו 2 או בטל");
      expect(sms!.statusCallback).toBe(`${HOST}/webhook/sms/status`);
      const [notice] = await waitFor(async () => {
        const rows = await t.db.db.select().from(viewingNotices).where(eq(viewingNotices.appointmentId, a.id));
        return rows[0]?.outcome ? rows : null;
      }, "notice outcome");
      expect(notice).toMatchObject({ kind: "confirmation", outcome: "sms" });
      // The same event again (another process, a retry): the claim row stops a second message.
      t.deps.events.publish({ type: "appointment.booked", businessId: t.businessId, appointmentId: a.id, startsAt: a.startsAt.toISOString() });
      t.deps.events.publish({ type: "appointment.booked", businessId: t.businessId, appointmentId: a.id, startsAt: a.startsAt.toISOString() });
      const rows = await t.db.db.select().from(viewingNotices).where(eq(viewingNotices.appointmentId, a.id));
      expect(rows).toHaveLength(1);
      // Explicitly: a direct second attempt is refused by the claim, and Twilio saw one message.
      expect((await sendViewingNotice(deps, a.id, "confirmation")).outcome).toBe("already_sent");
      expect(smsTo("+972541000001")).toHaveLength(1);
      // Stored in the customer's thread as an SMS.
      const thread = await t.db.db.select().from(whatsappMessages).where(eq(whatsappMessages.customerId, c.id));
      expect(thread.map((m) => [m.provider, m.direction])).toEqual([["sms", "out"]]);
    });

    test("reminder the day before: sent once per viewing within 24 h; later ticks send nothing; far viewings wait", async () => {
      const c = await newCustomer("+972541000002");
      const tomorrow = await book(c.id, new Date(T0.getTime() + 20 * HOUR), false);
      const later = await book(c.id, new Date(T0.getTime() + 72 * HOUR), false);
      const first = await sendDueViewingReminders({ ...deps, now });
      expect(first.filter((r) => r.appointmentId === tomorrow.id).map((r) => r.outcome)).toEqual(["sms"]);
      expect(first.some((r) => r.appointmentId === later.id)).toBe(false);
      const sms = smsTo("+972541000002");
      expect(sms).toHaveLength(1);
      expect(sms[0]!.body).toContain("תזכורת — מחר ביקור בדירת 4 חדרים");
      expect(sms[0]!.body).toContain("לביטול השיבו 2");
      // The next ticks (same time, an hour later) do nothing for it.
      await sendDueViewingReminders({ ...deps, now });
      clock = new Date(T0.getTime() + HOUR);
      await sendDueViewingReminders({ ...deps, now });
      expect(smsTo("+972541000002")).toHaveLength(1);
      // Two days on, the later viewing is due — once.
      clock = new Date(T0.getTime() + 50 * HOUR);
      await sendDueViewingReminders({ ...deps, now });
      await sendDueViewingReminders({ ...deps, now });
      expect(smsTo("+972541000002")).toHaveLength(2);
      clock = T0;
    });

    test("the reminder goes by WhatsApp when the customer's WhatsApp conversation is open", async () => {
      const c = await newCustomer("+972541000003");
      await t.db.db.insert(whatsappMessages).values({
        businessId: t.businessId, customerId: c.id, provider: "twilio", providerMessageId: "SMwa_open_1", direction: "in", author: "customer",
        fromNumber: "whatsapp:+972541000003", toNumber: `whatsapp:${BUSINESS_NUMBER}`, body: "היי", status: "received", sentAt: new Date(T0.getTime() - HOUR),
      });
      const a = await book(c.id, new Date(T0.getTime() + 5 * HOUR), false);
      const out = await sendDueViewingReminders({ ...deps, now });
      expect(out.find((r) => r.appointmentId === a.id)?.outcome).toBe("whatsapp");
      expect(smsTo("+972541000003")).toHaveLength(0);
      expect(rest.messages.filter((m) => m.to === "whatsapp:+972541000003")).toHaveLength(1);
    });

    test('replies: "1" confirms, "בטל" cancels the next notified viewing, each with a short SMS back', async () => {
      const c = await newCustomer("+972541000004");
      const a = await book(c.id, new Date(T0.getTime() + 30 * HOUR));
      await waitFor(() => smsTo("+972541000004").length === 1, "confirmation");
      expect((await inbound("+972541000004", "1")).status).toBe(200);
      expect(await statusOf(a.id)).toBe("confirmed");
      expect(smsTo("+972541000004").at(-1)!.body).toContain("הביקור אושר");
      expect((await inbound("+972541000004", " בטל ")).status).toBe(200);
      expect(await statusOf(a.id)).toBe("cancelled");
      expect(smsTo("+972541000004").at(-1)!.body).toContain("הביקור בוטל");
      // Nothing left to answer: a further "1" is just stored.
      await inbound("+972541000004", "1");
      expect(await statusOf(a.id)).toBe("cancelled");
      expect(smsTo("+972541000004")).toHaveLength(3);
    });

    test("inbound SMS from a new number → a lead and the message in the thread (unified inbox); a redelivery is ignored", async () => {
      const params = { AccountSid: ACCOUNT, MessageSid: "SM0000000000000000000000000000beef", From: "+972541000005", To: BUSINESS_NUMBER, Body: "שלום, ראיתי מודעה", NumMedia: "0" };
      for (let i = 0; i < 2; i++) expect((await t.app.request(signedTwilioPost(`${HOST}/webhook/sms/inbound`, params))).status).toBe(200);
      const [c] = await t.db.db.select().from(customers).where(and(eq(customers.businessId, t.businessId), eq(customers.phone, "+972541000005")));
      expect(c!.source).toBe("sms");
      const rows = await t.db.db.select().from(whatsappMessages).where(eq(whatsappMessages.customerId, c!.id));
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ provider: "sms", direction: "in", author: "customer", body: "שלום, ראיתי מודעה", status: "received" });
      expect(t.events.some((e) => e.type === "whatsapp.message" && e.messageId === rows[0]!.id && e.direction === "in")).toBe(true);
    });

    test("forged inbound SMS → 403 and nothing written", async () => {
      const before = (await t.db.db.select().from(whatsappMessages)).length;
      const req = signedTwilioPost(`${HOST}/webhook/sms/inbound`, { MessageSid: "SM0000000000000000000000000000f00d", From: "+972541000006", To: BUSINESS_NUMBER, Body: "STOP" }, { signature: "forged" });
      expect((await t.app.request(req)).status).toBe(403);
      expect((await t.db.db.select().from(whatsappMessages)).length).toBe(before);
      expect(await t.db.db.select().from(smsOptOuts).where(eq(smsOptOuts.phone, "+972541000006"))).toHaveLength(0);
    });

    test("STOP is honoured: stored, no confirmation or reminder is sent afterwards; START resumes", async () => {
      const c = await newCustomer("+972541000007");
      await inbound("+972541000007", "STOP");
      expect(await t.db.db.select().from(smsOptOuts).where(and(eq(smsOptOuts.businessId, t.businessId), eq(smsOptOuts.phone, "+972541000007")))).toHaveLength(1);
      const a = await book(c.id, new Date(T0.getTime() + 10 * HOUR));
      const [notice] = await waitFor(async () => {
        const rows = await t.db.db.select().from(viewingNotices).where(eq(viewingNotices.appointmentId, a.id));
        return rows[0]?.outcome ? rows : null;
      }, "confirmation outcome");
      expect(notice!.outcome).toBe("skipped");
      expect(notice!.error).toContain("opted out");
      const out = await sendDueViewingReminders({ ...deps, now });
      expect(out.find((r) => r.appointmentId === a.id)?.outcome).toBe("skipped");
      expect(smsTo("+972541000007")).toHaveLength(0);
      await inbound("+972541000007", "START");
      expect(await t.db.db.select().from(smsOptOuts).where(eq(smsOptOuts.phone, "+972541000007"))).toHaveLength(0);
    });

    test("delivery receipts move the stored status forward only; an unsubscribed-number error stores the opt-out", async () => {
      const c = await newCustomer("+972541000008");
      await book(c.id, new Date(T0.getTime() + 40 * HOUR));
      const sms = (await waitFor(() => smsTo("+972541000008")[0], "confirmation"))!;
      // Twilio's signed StatusCallback, delivered to the app (the double would post to the public host).
      const receipt = (sid: string, status: string, extra: Record<string, string> = {}) =>
        t.app.request(signedTwilioPost(`${HOST}/webhook/sms/status`, { AccountSid: ACCOUNT, MessageSid: sid, SmsSid: sid, MessageStatus: status, SmsStatus: status, ...extra }));
      const row = async () => (await t.db.db.select().from(whatsappMessages).where(eq(whatsappMessages.providerMessageId, sms.sid)))[0]!;
      // The SID is stored once Twilio's answer is back.
      await waitFor(async () => (await t.db.db.select().from(whatsappMessages).where(eq(whatsappMessages.providerMessageId, sms.sid)))[0], "stored sid");
      expect((await receipt(sms.sid, "delivered")).status).toBe(204);
      expect((await row()).status).toBe("delivered");
      await receipt(sms.sid, "sent");
      expect((await row()).status).toBe("delivered");
      const c2 = await newCustomer("+972541000009");
      await book(c2.id, new Date(T0.getTime() + 40 * HOUR));
      const sms2 = (await waitFor(() => smsTo("+972541000009")[0], "confirmation 2"))!;
      await waitFor(async () => (await t.db.db.select().from(whatsappMessages).where(eq(whatsappMessages.providerMessageId, sms2.sid)))[0], "stored sid 2");
      await receipt(sms2.sid, "undelivered", { ErrorCode: "21610", ErrorMessage: "Attempt to send to unsubscribed recipient" });
      const failed = (await t.db.db.select().from(whatsappMessages).where(eq(whatsappMessages.providerMessageId, sms2.sid)))[0]!;
      expect(failed.status).toBe("failed");
      expect(failed.error).toContain("21610");
      expect(await t.db.db.select().from(smsOptOuts).where(eq(smsOptOuts.phone, "+972541000009"))).toHaveLength(1);
      // A forged receipt changes nothing.
      const forged = signedTwilioPost(`${HOST}/webhook/sms/status`, { MessageSid: sms.sid, MessageStatus: "failed" }, { signature: "forged" });
      expect((await t.app.request(forged)).status).toBe(403);
      expect((await row()).status).toBe("delivered");
    });
  });
}
