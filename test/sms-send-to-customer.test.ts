/**
 * sendToCustomer: WhatsApp when the customer's conversation is open, else SMS
 * through the real twilio SDK against the local Twilio REST double; every
 * message lands in the customer's thread; opt-outs and bad input write nothing.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { createTwilioClient } from "../core/kernel/twilio-client";
import { sendToCustomer, type TSendToCustomerDeps } from "../api/services/messaging/send-to-customer";
import { optOut } from "../api/services/sms/sms-opt-out";
import { createWhatsAppHub, type TWhatsAppHub } from "../api/whatsapp/whatsapp-hub";
import { businesses, customers, whatsappMessages } from "../db/schema";
import { baileysSocketFactory } from "./doubles/baileys-socket";
import { startTwilioRestDouble, type TTwilioRestDouble } from "./doubles/twilio-rest";
import { createTestApp, TEST_AUTH_TOKEN, type TTestApp } from "./helpers/app";
import { DB_KINDS } from "./helpers/db";
import { waitFor } from "./helpers/wait-for";

const HOST = "https://kesher.example.com";
const ACCOUNT = "AC0123456789abcdef0123456789abcdef";
const NOW = new Date("2026-11-25T08:00:00Z");

for (const kind of DB_KINDS) {
  describe(`sendToCustomer [${kind}]`, () => {
    let t: TTestApp;
    let rest: TTwilioRestDouble;
    let hub: TWhatsAppHub;
    let deps: TSendToCustomerDeps;
    let seq = 0;
    const sockets = baileysSocketFactory();

    const newCustomer = async (phone: string) => {
      const [c] = await t.db.db.insert(customers).values({ businessId: t.businessId, phone, fullName: "דנה כהן", source: "manual" }).returning();
      return c!;
    };
    const rowsFor = (customerId: string) => t.db.db.select().from(whatsappMessages).where(eq(whatsappMessages.customerId, customerId));

    beforeAll(async () => {
      rest = await startTwilioRestDouble({ accountSid: ACCOUNT, authToken: TEST_AUTH_TOKEN });
      t = await createTestApp(kind, { TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_API_BASE_URL: rest.baseUrl, PUBLIC_BASE_URL: HOST });
      hub = createWhatsAppHub({
        db: t.db.db,
        log: t.deps.log,
        events: t.deps.events,
        config: t.deps.config,
        agent: null,
        socketFactory: sockets.factory,
        now: () => NOW,
      });
      deps = {
        db: t.db.db,
        log: t.deps.log,
        events: t.deps.events,
        twilioClient: createTwilioClient(t.deps.config.twilio),
        publicBaseUrl: HOST,
        whatsapp: hub,
        now: () => NOW,
      };
      const [b] = await t.db.db.select().from(businesses).where(eq(businesses.id, t.businessId));
      await t.db.db.update(businesses).set({ settings: { ...b!.settings, whatsappProvider: "twilio" } }).where(eq(businesses.id, t.businessId));
    }, 480_000);
    afterAll(async () => {
      await hub.close();
      await rest.close();
      await t.close();
    });

    test("no open WhatsApp conversation → SMS from the business number, stored in the thread with its SID and status callback", async () => {
      const c = await newCustomer("+972541110001");
      const before = rest.messages.length;
      const res = await sendToCustomer(deps, { businessId: t.businessId, customerId: c.id, body: "קישור לתשלום: https://pay.example/x", purpose: "payment_link" });
      expect(res.channel).toBe("sms");
      const sent = rest.messages[before]!;
      expect(sent.to).toBe("+972541110001");
      expect(sent.from).toBe("+97235550100");
      expect(sent.body).toBe("קישור לתשלום: https://pay.example/x");
      expect(sent.statusCallback).toBe(`${HOST}/webhook/sms/status`);
      const [row] = await rowsFor(c.id);
      expect(row).toMatchObject({ id: res.messageId, provider: "sms", direction: "out", author: "system", status: "queued", providerMessageId: sent.sid });
      expect(row!.raw).toEqual({ purpose: "payment_link" });
      expect(t.events.some((e) => e.type === "whatsapp.message" && e.messageId === res.messageId)).toBe(true);
    });

    test("open WhatsApp window (customer wrote today) → WhatsApp through Twilio, not SMS", async () => {
      const c = await newCustomer("+972541110002");
      await t.db.db.insert(whatsappMessages).values({
        businessId: t.businessId, customerId: c.id, provider: "twilio", providerMessageId: `SMin${++seq}`, direction: "in", author: "customer",
        fromNumber: "whatsapp:+972541110002", toNumber: "whatsapp:+97235550100", body: "שלום", status: "received", sentAt: new Date(NOW.getTime() - 3_600_000),
      });
      const before = rest.messages.length;
      const res = await sendToCustomer(deps, { businessId: t.businessId, customerId: c.id, body: "אישור ביקור", purpose: "viewing_confirmation" });
      expect(res.channel).toBe("whatsapp");
      expect(rest.messages[before]!.to).toBe("whatsapp:+972541110002");
      const out = (await rowsFor(c.id)).find((r) => r.id === res.messageId)!;
      expect(out.provider).toBe("twilio");
    });

    test("an inbound SMS does not open the WhatsApp window: still SMS", async () => {
      const c = await newCustomer("+972541110003");
      await t.db.db.insert(whatsappMessages).values({
        businessId: t.businessId, customerId: c.id, provider: "sms", providerMessageId: `SMin${++seq}`, direction: "in", author: "customer",
        fromNumber: "+972541110003", toNumber: "+97235550100", body: "1", status: "received", sentAt: new Date(NOW.getTime() - 60_000),
      });
      const res = await sendToCustomer(deps, { businessId: t.businessId, customerId: c.id, body: "תזכורת", purpose: "viewing_reminder" });
      expect(res.channel).toBe("sms");
    });

    test("window closed 25 h ago → SMS; forcing WhatsApp fails with the Hebrew 24-hour error", async () => {
      const c = await newCustomer("+972541110004");
      await t.db.db.insert(whatsappMessages).values({
        businessId: t.businessId, customerId: c.id, provider: "twilio", providerMessageId: `SMin${++seq}`, direction: "in", author: "customer",
        fromNumber: "whatsapp:+972541110004", toNumber: "whatsapp:+97235550100", body: "שלום", status: "received", sentAt: new Date(NOW.getTime() - 25 * 3_600_000),
      });
      expect((await sendToCustomer(deps, { businessId: t.businessId, customerId: c.id, body: "חשבונית", purpose: "invoice" })).channel).toBe("sms");
      await expect(sendToCustomer(deps, { businessId: t.businessId, customerId: c.id, body: "חשבונית", purpose: "invoice", channel: "whatsapp" })).rejects.toMatchObject({
        userMessage: expect.stringContaining("24"),
      });
    });

    test("a staff author is recorded", async () => {
      const c = await newCustomer("+972541110005");
      const [u] = await t.db.db.select().from((await import("../db/schema")).users).limit(1);
      const res = await sendToCustomer(deps, { businessId: t.businessId, customerId: c.id, body: "שלום", purpose: "other", authorUserId: u!.id });
      const [row] = await rowsFor(c.id);
      expect(row).toMatchObject({ id: res.messageId, author: "staff", authorUserId: u!.id });
    });

    test("opted out (STOP) → Hebrew error, nothing sent or stored", async () => {
      const c = await newCustomer("+972541110006");
      await optOut(t.db.db, t.businessId, "+972541110006", "stop");
      const before = rest.messages.length;
      await expect(sendToCustomer(deps, { businessId: t.businessId, customerId: c.id, body: "שלום", purpose: "other" })).rejects.toMatchObject({
        code: "UNPROCESSABLE",
        userMessage: expect.stringContaining("STOP"),
      });
      expect(rest.messages.length).toBe(before);
      expect(await rowsFor(c.id)).toHaveLength(0);
    });

    test("bad input (empty body, another tenant's customer) → clear error and nothing written", async () => {
      const c = await newCustomer("+972541110007");
      await expect(sendToCustomer(deps, { businessId: t.businessId, customerId: c.id, body: "   ", purpose: "other" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
      const [other] = await t.db.db.insert(businesses).values({ name: "אחר", slug: `other-${kind}` }).returning();
      await expect(sendToCustomer(deps, { businessId: other!.id, customerId: c.id, body: "שלום", purpose: "other" })).rejects.toMatchObject({ code: "NOT_FOUND" });
      expect(await rowsFor(c.id)).toHaveLength(0);
    });

    test("Baileys: WhatsApp only while the phone is connected and the customer has a WhatsApp thread; otherwise SMS", async () => {
      const [b] = await t.db.db.select().from(businesses).where(eq(businesses.id, t.businessId));
      await t.db.db.update(businesses).set({ settings: { ...b!.settings, whatsappProvider: "baileys" } }).where(eq(businesses.id, t.businessId));
      try {
        const withThread = await newCustomer("+972541110009");
        await t.db.db.insert(whatsappMessages).values({
          businessId: t.businessId, customerId: withThread.id, provider: "baileys", providerMessageId: `BAE${++seq}`, direction: "in", author: "customer",
          fromNumber: "+972541110009", toNumber: "+97235550100", body: "היי", status: "received", sentAt: new Date(NOW.getTime() - 5 * 86_400_000),
        });
        // Not connected yet: SMS.
        expect((await sendToCustomer(deps, { businessId: t.businessId, customerId: withThread.id, body: "קישור לחתימה", purpose: "signing_link" })).channel).toBe("sms");
        await hub.baileys.connect(t.businessId);
        const first = sockets.last();
        first.showQr();
        await first.completePairing("972535550100");
        const second = await waitFor(() => (sockets.sockets.length === 2 ? sockets.sockets[1] : null), "reconnect after pairing");
        await second.open();
        await waitFor(() => hub.baileys.status(t.businessId).state === "open", "baileys open");
        const res = await sendToCustomer(deps, { businessId: t.businessId, customerId: withThread.id, body: "קישור לחתימה", purpose: "signing_link" });
        expect(res.channel).toBe("whatsapp");
        await waitFor(() => second.sent.find((m) => m.jid.startsWith("972541110009")), "baileys send");
        // Connected, but this customer never wrote on WhatsApp: SMS.
        const noThread = await newCustomer("+972541110010");
        expect((await sendToCustomer(deps, { businessId: t.businessId, customerId: noThread.id, body: "חשבונית", purpose: "invoice" })).channel).toBe("sms");
      } finally {
        await t.db.db.update(businesses).set({ settings: { ...b!.settings } }).where(eq(businesses.id, t.businessId));
      }
    });

    test("Twilio refuses the SMS → the row stays as failed with the error, and the caller gets a Hebrew error", async () => {
      const c = await newCustomer("+972541110008");
      rest.failNextMessage(21211, "The 'To' number is not a valid phone number.");
      await expect(sendToCustomer(deps, { businessId: t.businessId, customerId: c.id, body: "שלום", purpose: "other" })).rejects.toMatchObject({ code: "UNAVAILABLE" });
      const rows = await t.db.db.select().from(whatsappMessages).where(and(eq(whatsappMessages.customerId, c.id), eq(whatsappMessages.status, "failed")));
      expect(rows).toHaveLength(1);
      expect(rows[0]!.error).toContain("not a valid phone number");
    });
  });
}
