/**
 * WhatsApp over Twilio (the backup provider) and the `conversations` tRPC
 * router: signed webhooks into the real app, replies through the real twilio
 * SDK to the local Twilio REST double, inbox/takeover/window through real
 * tRPC clients.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { createApp } from "../api/app";
import { createWhatsAppHub, type TWhatsAppHub } from "../api/whatsapp/whatsapp-hub";
import { businesses, customers, whatsappMessages } from "../db/schema";
import { createLocalAgent } from "../core/conversation/brain/local-agent";
import { baileysSocketFactory } from "./doubles/baileys-socket";
import { startTwilioRestDouble, type TTwilioRestDouble } from "./doubles/twilio-rest";
import { createTestApp, signedTwilioPost, TEST_AUTH_TOKEN, type TTestApp } from "./helpers/app";
import { DB_KINDS } from "./helpers/db";
import { adminClient, createTenant, trpcError, type TTestClient } from "./helpers/trpc";
import { waitFor } from "./helpers/wait-for";
import OpenAI from "openai";
import { createOpenAiStt } from "../core/conversation/providers/stt/openai";
import { startOpenAiDouble, type TOpenAiDouble } from "./doubles/openai-double";
import { clockFrom } from "./helpers/clock";
import { oggOpusSilence } from "./helpers/ogg-opus";

const HOST = "https://kesher.example.com";
const ACCOUNT = "AC0123456789abcdef0123456789abcdef";
const BUSINESS_WA = "+97235550100";
/** Wednesday 10:00 in Israel: open per the seeded hours. */
const OPEN_NOW = new Date("2026-11-25T08:00:00Z");
/** The suite's one clock (app, hub and the rows it writes); it starts at OPEN_NOW. */
const now = clockFrom(OPEN_NOW);

const inbound = (sid: string, body: string, from = "+972541234567", extra: Record<string, string> = {}) => ({
  AccountSid: ACCOUNT,
  MessageSid: sid,
  SmsMessageSid: sid,
  From: `whatsapp:${from}`,
  To: `whatsapp:${BUSINESS_WA}`,
  Body: body,
  NumMedia: "0",
  ProfileName: "יוסי לוי",
  WaId: from.slice(1),
  ...extra,
});

for (const kind of DB_KINDS) {
  describe(`whatsapp via twilio + conversations router [${kind}]`, () => {
    let t: TTestApp;
    let rest: TTwilioRestDouble;
    let hub: TWhatsAppHub;
    let admin: TTestClient;
    let sockets: ReturnType<typeof baileysSocketFactory>;
    let openai: TOpenAiDouble;

    const post = async (path: string, params: Record<string, string>, opts: Parameters<typeof signedTwilioPost>[2] = {}) =>
      t.app.request(signedTwilioPost(`${HOST}${path}`, params, opts));
    const customerByPhone = async (phone: string) =>
      (await t.db.db.select().from(customers).where(and(eq(customers.businessId, t.businessId), eq(customers.phone, phone))))[0];
    const rowsFor = async (customerId: string) =>
      t.db.db.select().from(whatsappMessages).where(eq(whatsappMessages.customerId, customerId)).orderBy(whatsappMessages.createdAt);

    beforeAll(async () => {
      rest = await startTwilioRestDouble({ accountSid: ACCOUNT, authToken: TEST_AUTH_TOKEN });
      t = await createTestApp(kind, { TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_API_BASE_URL: rest.baseUrl, PUBLIC_BASE_URL: HOST });
      sockets = baileysSocketFactory();
      openai = startOpenAiDouble();
      hub = createWhatsAppHub({
        stt: createOpenAiStt({ client: new OpenAI({ apiKey: "test-key", baseURL: openai.baseURL, maxRetries: 0 }), log: t.deps.log }),
        db: t.db.db,
        log: t.deps.log,
        events: t.deps.events,
        config: t.deps.config,
        agent: createLocalAgent({ db: t.db.db, events: t.deps.events, log: t.deps.log }),
        socketFactory: sockets.factory,
        sendGap: { minGapMs: 0, jitterMs: 0 },
        now,
      });
      // One clock for the app and the hub: nothing in this suite meets the real date.
      t.deps.now = now;
      t.deps.whatsapp = hub;
      t.app = createApp(t.deps);
      const [b] = await t.db.db.select().from(businesses).where(eq(businesses.id, t.businessId));
      await t.db.db
        .update(businesses)
        .set({ settings: { ...b!.settings, whatsappProvider: "twilio" } })
        .where(eq(businesses.id, t.businessId));
      admin = await adminClient(t);
    }, 120_000);
    afterAll(async () => {
      await hub.close();
      await rest.close();
      await openai.close();
      await t.close();
    });

    test("signed inbound → stored, Hebrew AI reply sent through Twilio REST and stored with its SID", async () => {
      const res = await post("/webhook/whatsapp/inbound", inbound("SM_in_1", "שלום, מחפש דירה לקנייה בתל אביב"));
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/xml");
      expect(await res.text()).toContain("<Response></Response>");

      // Twilio is acknowledged once the message is stored; the reply follows in the background.
      await waitFor(() => rest.messages.length === 1, "AI reply through Twilio REST");
      const out = rest.messages[0]!;
      expect(out.from).toBe(`whatsapp:${BUSINESS_WA}`);
      expect(out.to).toBe("whatsapp:+972541234567");
      expect(out.body).toMatch(/[\u0590-\u05FF]/);
      expect(out.statusCallback).toBe(`${HOST}/webhook/whatsapp/status`);

      const customer = (await customerByPhone("+972541234567"))!;
      expect(customer).toMatchObject({ source: "whatsapp", fullName: "יוסי לוי" });
      const rows = await waitFor(async () => {
        const r = await rowsFor(customer.id);
        return r.length === 2 && r[1]!.status !== "queued" ? r : null;
      }, "reply stored as sent");
      expect(rows.map((r) => [r.direction, r.author, r.provider, r.status])).toEqual([
        ["in", "customer", "twilio", "received"],
        ["out", "ai", "twilio", "sent"],
      ]);
      expect(rows[0]!.providerMessageId).toBe("SM_in_1");
      expect(rows[1]!.providerMessageId).toBe(out.sid);
      expect(rows[1]!.body).toBe(out.body);
      expect(t.events.filter((e) => e.type === "whatsapp.message" && e.customerId === customer.id)).toHaveLength(2);
    });

    test("Twilio redelivery of the same MessageSid is ignored", async () => {
      const res = await post("/webhook/whatsapp/inbound", inbound("SM_in_1", "שלום, מחפש דירה לקנייה בתל אביב"));
      expect(res.status).toBe(200);
      expect(rest.messages).toHaveLength(1);
      const customer = (await customerByPhone("+972541234567"))!;
      expect(await rowsFor(customer.id)).toHaveLength(2);
    });

    test("forged or missing signature → 403 and nothing stored or sent", async () => {
      const forged = await post("/webhook/whatsapp/inbound", inbound("SM_forged", "x", "+972520000001"), { token: "wrong-token-123456" });
      expect(forged.status).toBe(403);
      const unsigned = await post("/webhook/whatsapp/inbound", inbound("SM_unsigned", "x", "+972520000001"), { signature: null });
      expect(unsigned.status).toBe(403);
      expect(await customerByPhone("+972520000001")).toBeUndefined();
      expect(rest.messages).toHaveLength(1);
    });

    test("status callbacks: delivered → read; a stale delivered changes nothing", async () => {
      const sid = rest.messages[0]!.sid;
      const status = (s: string, extra: Record<string, string> = {}) =>
        post("/webhook/whatsapp/status", { AccountSid: ACCOUNT, MessageSid: sid, MessageStatus: s, ...extra });
      expect((await status("delivered")).status).toBe(204);
      expect((await status("read")).status).toBe(204);
      expect((await status("delivered")).status).toBe(204);
      const [row] = await t.db.db.select().from(whatsappMessages).where(eq(whatsappMessages.providerMessageId, sid));
      expect(row!.status).toBe("read");
    });

    test("inbox: thread list and thread with window state through tRPC", async () => {
      const threads = await admin.api.conversations.threads.query();
      const customer = (await customerByPhone("+972541234567"))!;
      const mine = threads.find((x) => x.customerId === customer.id)!;
      expect(mine).toMatchObject({ name: "יוסי לוי", phone: "+972541234567", aiPaused: false, lastChannel: "whatsapp", lastDirection: "out" });
      const found = await admin.api.conversations.threads.query({ search: "054-123" });
      expect(found.map((x) => x.customerId)).toEqual([customer.id]);
      expect(await admin.api.conversations.threads.query({ search: "יוסי" })).toHaveLength(1);
      expect(await admin.api.conversations.threads.query({ search: "אין כזה" })).toHaveLength(0);
      const thread = await admin.api.conversations.thread.query({ customerId: customer.id });
      expect(thread.provider).toBe("twilio");
      expect(thread.window).toMatchObject({ open: true, enforced: true });
      expect(thread.items.map((i) => i.kind === "whatsapp" && i.author)).toEqual(["customer", "ai"]);
    });

    test("takeover: AI stays quiet, staff reply goes out via Twilio, hand back resumes AI", async () => {
      const customer = (await customerByPhone("+972541234567"))!;
      expect(await admin.api.conversations.takeover.mutate({ customerId: customer.id })).toEqual({ customerId: customer.id, aiPaused: true });
      await post("/webhook/whatsapp/inbound", inbound("SM_in_2", "אפשר נציג אנושי?"));
      expect(rest.messages).toHaveLength(1);
      expect((await rowsFor(customer.id)).at(-1)).toMatchObject({ providerMessageId: "SM_in_2", direction: "in" });

      const sent = await admin.api.conversations.send.mutate({ customerId: customer.id, body: "שלום יוסי, כאן דנה מהמשרד. איך אפשר לעזור?" });
      expect(sent.status).toBe("sent");
      expect(rest.messages).toHaveLength(2);
      expect(rest.messages[1]!.body).toBe("שלום יוסי, כאן דנה מהמשרד. איך אפשר לעזור?");
      const [row] = await t.db.db.select().from(whatsappMessages).where(eq(whatsappMessages.id, sent.id));
      expect(row).toMatchObject({ author: "staff", providerMessageId: rest.messages[1]!.sid });
      expect(row!.authorUserId).not.toBeNull();

      await admin.api.conversations.handBack.mutate({ customerId: customer.id });
      await post("/webhook/whatsapp/inbound", inbound("SM_in_3", "תודה, ומה לגבי דירות ברמת גן?"));
      await waitFor(() => rest.messages.length === 3, "AI reply after hand back");
      expect(rest.messages[2]!.to).toBe("whatsapp:+972541234567");
    });

    test("24-hour window: free text refused outside it (Hebrew error, nothing sent), template allowed", async () => {
      const [c] = await t.db.db.insert(customers).values({ businessId: t.businessId, phone: "+972509998877", fullName: "לקוח ותיק", source: "whatsapp" }).returning();
      await t.db.db.insert(whatsappMessages).values({
        businessId: t.businessId,
        customerId: c!.id,
        provider: "twilio",
        providerMessageId: "SM_old_1",
        direction: "in",
        author: "customer",
        fromNumber: "+972509998877",
        toNumber: BUSINESS_WA,
        body: "שלום",
        status: "received",
        sentAt: new Date(now().getTime() - 2 * 86_400_000),
      });
      const thread = await admin.api.conversations.thread.query({ customerId: c!.id });
      expect(thread.window).toMatchObject({ open: false, enforced: true });
      const before = rest.messages.length;
      const err = await trpcError(admin.api.conversations.send.mutate({ customerId: c!.id, body: "היי, עדיין מחפש?" }));
      expect(err.data?.code).toBe("UNPROCESSABLE_CONTENT");
      expect(err.message).toContain("24");
      expect(rest.messages.length).toBe(before);

      const contentSid = "HX0123456789abcdef0123456789abcdef";
      const sent = await admin.api.conversations.send.mutate({ customerId: c!.id, template: { contentSid, variables: { "1": "דירה ברמת גן" }, preview: "עדכון לגבי דירה ברמת גן" } });
      expect(sent.status).toBe("sent");
      const last = rest.messages.at(-1)!;
      expect(last.contentSid).toBe(contentSid);
      expect(JSON.parse(last.contentVariables!)).toEqual({ "1": "דירה ברמת גן" });
      expect(last.body).toBeNull();

      // Twilio later reports the template undelivered: status and Twilio's error are kept.
      const cb = await post("/webhook/whatsapp/status", { AccountSid: ACCOUNT, MessageSid: last.sid, MessageStatus: "undelivered", ErrorCode: "63016" });
      expect(cb.status).toBe(204);
      const [row] = await t.db.db.select().from(whatsappMessages).where(eq(whatsappMessages.id, sent.id));
      expect(row).toMatchObject({ status: "failed", error: "twilio 63016" });
    });

    test("media: a voice note is stored with its type and URL (unfetchable audio: answered untranscribed)", async () => {
      const before = rest.messages.length;
      await post(
        "/webhook/whatsapp/inbound",
        inbound("SM_voice_1", "", "+972541234567", { NumMedia: "1", MediaContentType0: "audio/ogg", MediaUrl0: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT}/Messages/SM_voice_1/Media/ME1` }),
      );
      await waitFor(() => rest.messages.length === before + 1, "reply to the voice note");
      const [row] = await t.db.db.select().from(whatsappMessages).where(eq(whatsappMessages.providerMessageId, "SM_voice_1"));
      expect(row).toMatchObject({ mediaType: "voice", body: null });
      expect(row!.mediaUrl).toContain("/Media/ME1");
    });

    test("voice note: fetched from Twilio with auth, Opus decoded, transcribed by STT, answered by the AI", async () => {
      openai.transcripts = ["אני רוצה לקבוע צפייה בדירה ברמת גן"];
      const url = rest.addMedia("SM_voice_2", oggOpusSilence(2500), "audio/ogg");
      const before = rest.messages.length;
      const res = await post("/webhook/whatsapp/inbound", inbound("SM_voice_2", "", "+972541234567", { NumMedia: "1", MediaContentType0: "audio/ogg", MediaUrl0: url }));
      expect(res.status).toBe(200);
      await waitFor(() => rest.messages.length === before + 1, "reply to the transcribed voice note");
      const [row] = await t.db.db.select().from(whatsappMessages).where(eq(whatsappMessages.providerMessageId, "SM_voice_2"));
      expect(row).toMatchObject({ mediaType: "voice", body: "אני רוצה לקבוע צפייה בדירה ברמת גן" });
      const stt = openai.requests.find((r) => r.path === "/v1/audio/transcriptions")!;
      const file = (stt.body as { file: { type: string; size: number } }).file;
      expect(file.type).toMatch(/wav/);
      // 2.5 s at 16 kHz mono PCM16 ≈ 80 kB: the decoded audio, not the 1 kB Ogg file.
      expect(file.size).toBeGreaterThan(60_000);
      expect((stt.body as { language: string }).language).toBe("he");
      expect(rest.messages.length).toBe(before + 1);
      expect(rest.messages.at(-1)!.body).toMatch(/[\u0590-\u05FF]/);
    });

    test("bad input: webhook without MessageSid → 400; empty staff message → Hebrew validation error", async () => {
      const res = await post("/webhook/whatsapp/inbound", { AccountSid: ACCOUNT, From: "whatsapp:+972541234567", Body: "x" });
      expect(res.status).toBe(400);
      const customer = (await customerByPhone("+972541234567"))!;
      const err = await trpcError(admin.api.conversations.send.mutate({ customerId: customer.id, body: "   " }));
      expect(err.data?.code).toBe("BAD_REQUEST");
      expect(err.message).toMatch(/[\u0590-\u05FF]/);
    });

    test("tenants: another business sees none of these threads and cannot act on them", async () => {
      const other = await createTenant(t, { permissions: ["whatsapp", "settings"] });
      const customer = (await customerByPhone("+972541234567"))!;
      expect(await other.api.conversations.threads.query()).toEqual([]);
      expect((await trpcError(other.api.conversations.thread.query({ customerId: customer.id }))).data?.code).toBe("NOT_FOUND");
      expect((await trpcError(other.api.conversations.takeover.mutate({ customerId: customer.id }))).data?.code).toBe("NOT_FOUND");
      const before = rest.messages.length;
      expect((await trpcError(other.api.conversations.send.mutate({ customerId: customer.id, body: "hi" }))).data?.code).toBe("NOT_FOUND");
      expect(rest.messages.length).toBe(before);
      const [fresh] = await t.db.db.select().from(customers).where(eq(customers.id, customer.id));
      expect(fresh!.aiPaused).toBe(false);
    });

    test("permissions: without 'whatsapp' the inbox is forbidden", async () => {
      const limited = await createTenant(t, { permissions: ["customers"] });
      expect((await trpcError(limited.api.conversations.threads.query())).data?.code).toBe("FORBIDDEN");
    });

    test("connection: provider and Baileys QR login visible through tRPC", async () => {
      const before = await admin.api.conversations.connection.query();
      expect(before).toMatchObject({ provider: "twilio", twilioConfigured: true, whatsappNumber: BUSINESS_WA, state: "idle" });
      const started = await admin.api.conversations.connect.mutate();
      expect(started.state).toBe("connecting");
      sockets.last().showQr();
      const withQr = await waitFor(async () => {
        const s = await admin.api.conversations.connection.query();
        return s.state === "qr" ? s : null;
      }, "QR via tRPC");
      expect(withQr.qrDataUrl).toStartWith("data:image/svg+xml;base64,");
      // Inbox-only staff see the state but never the login QR, and cannot start a login.
      const inboxOnly = await createTenant(t, { permissions: ["whatsapp"], businessId: t.businessId });
      expect(await inboxOnly.api.conversations.connection.query()).toMatchObject({ state: "qr", qrDataUrl: null, pairingCode: null });
      expect((await trpcError(inboxOnly.api.conversations.connect.mutate())).data?.code).toBe("FORBIDDEN");
      const stopped = await admin.api.conversations.disconnect.mutate();
      expect(stopped.state).toBe("stopped");
    });
  });
}
