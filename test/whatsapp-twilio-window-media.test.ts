/**
 * WhatsApp over Twilio, the rest of the inbox: the 24-hour window (free text
 * refused outside it, templates allowed), voice notes (stored; fetched with
 * Twilio auth, Opus decoded and transcribed by the OpenAI STT double), the
 * inbox permission, and the Baileys QR login seen through tRPC.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { customers, whatsappMessages } from "../db/schema";
import { ACCOUNT, BUSINESS_WA, inbound } from "./helpers/whatsapp-twilio";
import { oggOpusSilence } from "./helpers/ogg-opus";
import { createTenant, trpcError } from "./helpers/trpc";
import { waitFor } from "./helpers/wait-for";
import { DB_KINDS } from "./helpers/db";
import { startWhatsAppTwilio, type TWhatsAppTwilioFixture } from "./helpers/whatsapp-twilio";

for (const kind of DB_KINDS) {
  describe(`whatsapp via twilio: window, voice notes, connection [${kind}]`, () => {
    let f: TWhatsAppTwilioFixture;
    let t: TWhatsAppTwilioFixture["t"];
    let rest: TWhatsAppTwilioFixture["rest"];
    let admin: TWhatsAppTwilioFixture["admin"];
    let sockets: TWhatsAppTwilioFixture["sockets"];
    let openai: TWhatsAppTwilioFixture["openai"];
    let now: TWhatsAppTwilioFixture["now"];
    let post: TWhatsAppTwilioFixture["post"];
    beforeAll(async () => {
      f = await startWhatsAppTwilio(kind);
      ({ t, rest, admin, sockets, openai, now, post } = f);
    }, 120_000);
    afterAll(() => f.close());

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
