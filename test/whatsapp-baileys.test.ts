/**
 * WhatsApp over Baileys, end to end below the socket: the real connection
 * manager, DB auth store, services and local Hebrew agent, driven through a
 * double of the Baileys socket that emits Baileys' own events. This file:
 * the QR login, then messages in order (replies, duplicates, receipts,
 * takeover, LID chats, ordering, provider choice, voice notes, after hours).
 * The connection's life after that is in whatsapp-baileys-connection.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { businesses, customers, whatsappAuth, whatsappMessages } from "../db/schema";
import { DEMO_BUSINESS } from "../db/seed/seed-demo";
import { setAiPaused } from "../api/services/whatsapp/set-ai-paused";
import { CUSTOMER, makeBaileysHub, OPEN_NOW, OWN } from "./helpers/whatsapp-baileys";
import type { TWhatsAppHub } from "../api/whatsapp/whatsapp-hub";
import type { TKesherEvent } from "../core/kernel/events";
import { createTestDb, DB_KINDS, type TTestDb } from "./helpers/db";
import { waitFor } from "./helpers/wait-for";

for (const kind of DB_KINDS) {
  describe(`whatsapp via baileys [${kind}]`, () => {
    let db: TTestDb;
    let businessId: string;
    let events: TKesherEvent[];
    let sockets: ReturnType<typeof makeBaileysHub>["sockets"];
    let hub: TWhatsAppHub;
    let now = OPEN_NOW;

    const makeHub = () => {
      const made = makeBaileysHub({ db: db.db, events, now: () => now });
      sockets = made.sockets;
      return made.hub;
    };
    const messagesOf = async (customerId: string) =>
      db.db.select().from(whatsappMessages).where(eq(whatsappMessages.customerId, customerId)).orderBy(whatsappMessages.createdAt);
    const customerByPhone = async (phone: string) =>
      (await db.db.select().from(customers).where(and(eq(customers.businessId, businessId), eq(customers.phone, phone))))[0];

    beforeAll(async () => {
      db = await createTestDb(kind, { seeded: true });
      businessId = (await db.db.select({ id: businesses.id }).from(businesses).where(eq(businesses.slug, DEMO_BUSINESS.slug)))[0]!.id;
      events = [];
      hub = makeHub();
    }, 120_000);
    afterAll(async () => {
      await hub.close();
      await db.destroy();
    });

    test("QR login: QR shown as SVG, pairing stores creds, 515 restart reconnects, then open", async () => {
      await hub.baileys.connect(businessId);
      const first = sockets.last();
      expect(first.config.markOnlineOnConnect).toBe(false);
      expect(typeof first.config.getMessage).toBe("function");
      first.showQr();
      const qr = await waitFor(() => hub.baileys.status(businessId).qrDataUrl, "QR data URL");
      expect(qr.startsWith("data:image/svg+xml;base64,")).toBe(true);
      expect(Buffer.from(qr.split(",")[1]!, "base64").toString()).toContain("<svg");
      expect(hub.baileys.status(businessId).state).toBe("qr");

      await first.completePairing(OWN);
      const second = await waitFor(() => (sockets.sockets.length === 2 ? sockets.sockets[1] : null), "reconnect after 515");
      // The reconnected socket carries the paired identity (same keys as the QR session).
      expect(second.config.auth.creds.me?.id).toBe(`${OWN}:7@s.whatsapp.net`);
      expect(second.config.auth.creds.noiseKey.public).toEqual(first.config.auth.creds.noiseKey.public);
      await second.open();
      await waitFor(() => hub.baileys.status(businessId).state === "open", "open");
      expect(hub.baileys.status(businessId).me).toBe(`+${OWN}`);
      // …and the pairing reached the database.
      await waitFor(async () => {
        const [row] = await db.db.select().from(whatsappAuth).where(and(eq(whatsappAuth.businessId, businessId), eq(whatsappAuth.keyType, "creds")));
        return (row?.value as { me?: { id?: string } }).me?.id === `${OWN}:7@s.whatsapp.net`;
      }, "paired creds stored");
      expect(hub.baileys.status(businessId).qrDataUrl).toBeNull();
    });

    test("signal keys of every type are written to whatsapp_auth on keys.set", async () => {
      const rows = await db.db.select().from(whatsappAuth).where(eq(whatsappAuth.businessId, businessId));
      const types = new Set(rows.map((r) => r.keyType));
      for (const t of ["creds", "pre-key", "session", "app-state-sync-key", "lid-mapping"]) expect(types.has(t)).toBe(true);
      const creds = rows.find((r) => r.keyType === "creds")!.value as { nextPreKeyId: number };
      await waitFor(async () => {
        const [row] = await db.db.select().from(whatsappAuth).where(and(eq(whatsappAuth.businessId, businessId), eq(whatsappAuth.keyType, "creds")));
        return (row?.value as { nextPreKeyId?: number }).nextPreKeyId === 3;
      }, "creds.update persisted");
      expect(creds).toBeDefined();
    });

    test("inbound message → stored, Hebrew AI reply sent to the same chat and stored with its provider id", async () => {
      const sock = sockets.last();
      const id = sock.receive({ fromPhoneDigits: CUSTOMER, text: "שלום, אני מחפש דירת 3 חדרים להשכרה בתל אביב", pushName: "דנה כהן" });
      const sent = await waitFor(() => sock.sent[0], "AI reply sent");
      expect(sent.jid).toBe(`${CUSTOMER}@s.whatsapp.net`);
      const replyText = "text" in sent.content ? sent.content.text : "";
      // "typing…" shown before the reply, cleared after it.
      expect(sock.presence.slice(0, 2)).toEqual([
        { type: "composing", jid: sent.jid },
        { type: "paused", jid: sent.jid },
      ]);
      expect(replyText).toMatch(/[\u0590-\u05FF]/);

      const customer = (await customerByPhone(`+${CUSTOMER}`))!;
      expect(customer.source).toBe("whatsapp");
      expect(customer.fullName).toBe("דנה כהן");
      const directions = () => events.filter((e) => e.type === "whatsapp.message" && e.customerId === customer.id).map((e) => e.type === "whatsapp.message" && e.direction);
      // The reply's event is published after its row is marked sent: wait for both.
      const msgs = await waitFor(async () => {
        const m = await messagesOf(customer.id);
        return m.length === 2 && m[1]!.status === "sent" && directions().length === 2 ? m : null;
      }, "both messages stored and published");
      expect(msgs[0]).toMatchObject({ direction: "in", author: "customer", providerMessageId: id, provider: "baileys", status: "received" });
      expect(msgs[1]).toMatchObject({ direction: "out", author: "ai", providerMessageId: sent.id, body: replyText, toNumber: `+${CUSTOMER}` });
      expect(directions()).toEqual(["in", "out"]);
      // getMessage (Baileys' retry path) is answered from our store.
      expect(await sock.config.getMessage!({ id: sent.id, remoteJid: sent.jid, fromMe: true })).toEqual({ conversation: replyText });
    });

    test("duplicate delivery of the same message id is ignored (no second row, no second reply)", async () => {
      const sock = sockets.last();
      const customer = (await customerByPhone(`+${CUSTOMER}`))!;
      const before = (await messagesOf(customer.id)).length;
      const firstId = (await messagesOf(customer.id))[0]!.providerMessageId!;
      const sentBefore = sock.sent.length;
      sock.receive({ fromPhoneDigits: CUSTOMER, text: "שלום, אני מחפש דירת 3 חדרים להשכרה בתל אביב", id: firstId });
      // A fresh message afterwards proves the pipeline ran past the duplicate.
      sock.receive({ fromPhoneDigits: CUSTOMER, text: "תקציב עד 7000 שקל" });
      await waitFor(() => sock.sent.length === sentBefore + 1, "reply to the fresh message");
      const after = await waitFor(async () => {
        const m = await messagesOf(customer.id);
        return m.length === before + 2 && m.at(-1)!.status === "sent" ? m : null;
      }, "fresh message + reply stored");
      expect(after.filter((m) => m.providerMessageId === firstId)).toHaveLength(1);
      expect(sock.sent.length).toBe(sentBefore + 1);
    });

    test("receipts move status forward only: delivered → read; a late 'sent' changes nothing", async () => {
      const sock = sockets.last();
      const sent = sock.sent[0]!;
      const row = async () => (await db.db.select().from(whatsappMessages).where(eq(whatsappMessages.providerMessageId, sent.id)))[0]!;
      sock.receipt(sent.id, sent.jid, "delivered");
      await waitFor(async () => (await row()).status === "delivered", "delivered");
      sock.receipt(sent.id, sent.jid, "read");
      await waitFor(async () => (await row()).status === "read", "read");
      sock.receipt(sent.id, sent.jid, "sent");
      sock.receipt(sent.id, sent.jid, "delivered");
      // Drive one more event through the same path so the stale receipts have been processed.
      const other = sock.sent[1]!;
      sock.receipt(other.id, other.jid, "delivered");
      await waitFor(async () => (await db.db.select().from(whatsappMessages).where(eq(whatsappMessages.providerMessageId, other.id)))[0]!.status === "delivered", "other delivered");
      expect((await row()).status).toBe("read");
    });

    test("takeover stops AI replies; hand back resumes them", async () => {
      const sock = sockets.last();
      const customer = (await customerByPhone(`+${CUSTOMER}`))!;
      const scope = { businessId, userId: null, ip: null };
      await setAiPaused(db.db, scope, customer.id, true);
      const sentBefore = sock.sent.length;
      const pausedId = sock.receive({ fromPhoneDigits: CUSTOMER, text: "אפשר לדבר עם נציג?" });
      await waitFor(async () => (await db.db.select().from(whatsappMessages).where(eq(whatsappMessages.providerMessageId, pausedId))).length === 1, "paused message stored");
      // A message from another customer is answered, proving the pipeline is alive while this thread stays quiet.
      sock.receive({ fromPhoneDigits: "972529999999", text: "שלום" });
      await waitFor(() => sock.sent.length === sentBefore + 1, "other customer answered");
      expect(sock.sent.at(-1)!.jid).toBe("972529999999@s.whatsapp.net");

      await setAiPaused(db.db, scope, customer.id, false);
      sock.receive({ fromPhoneDigits: CUSTOMER, text: "אני מחפש משרד ברמת גן" });
      await waitFor(() => sock.sent.length === sentBefore + 2, "reply after hand back");
      expect(sock.sent.at(-1)!.jid).toBe(`${CUSTOMER}@s.whatsapp.net`);
    });

    test("LID-addressed chat: phone taken from remoteJidAlt, reply goes to the LID", async () => {
      const sock = sockets.last();
      const sentBefore = sock.sent.length;
      sock.receive({ fromPhoneDigits: "972531112222", text: "היי", lid: true });
      await waitFor(() => sock.sent.length === sentBefore + 1, "reply to LID chat");
      expect(sock.sent.at(-1)!.jid).toEndWith("@lid");
      expect(await customerByPhone("+972531112222")).toBeDefined();
    });

    test("two quick messages from one customer are answered in order, one at a time", async () => {
      const sock = sockets.last();
      const sentBefore = sock.sent.length;
      sock.receive({ fromPhoneDigits: "972536660000", text: "שלום" });
      sock.receive({ fromPhoneDigits: "972536660000", text: "אני מחפש דירת 2 חדרים להשכרה בחיפה" });
      await waitFor(() => sock.sent.length === sentBefore + 2, "two replies");
      const c = (await customerByPhone("+972536660000"))!;
      const rows = await waitFor(async () => {
        const m = await messagesOf(c.id);
        return m.length === 4 && m.every((x) => x.status !== "queued") ? m : null;
      }, "four rows");
      expect(rows.map((m) => m.direction)).toEqual(["in", "out", "in", "out"]);
    });

    test("a message that came in over Baileys is answered over Baileys even when the default provider is Twilio", async () => {
      const [b] = await db.db.select().from(businesses).where(eq(businesses.id, businessId));
      await db.db.update(businesses).set({ settings: { ...b!.settings, whatsappProvider: "twilio" } }).where(eq(businesses.id, businessId));
      try {
        const sock = sockets.last();
        const sentBefore = sock.sent.length;
        sock.receive({ fromPhoneDigits: "972537770000", text: "שלום" });
        await waitFor(() => sock.sent.length === sentBefore + 1, "reply over baileys");
        const c = (await customerByPhone("+972537770000"))!;
        const rows = await waitFor(async () => {
          const m = await messagesOf(c.id);
          return m.length === 2 && m[1]!.status !== "queued" ? m : null;
        }, "reply stored");
        expect(rows[1]).toMatchObject({ provider: "baileys", status: "sent", author: "ai" });
      } finally {
        await db.db.update(businesses).set({ settings: b!.settings }).where(eq(businesses.id, businessId));
      }
    });

    test("voice note without STT: stored with its type, the AI still answers", async () => {
      const sock = sockets.last();
      const sentBefore = sock.sent.length;
      const id = sock.receive({ fromPhoneDigits: "972525550000", voiceNote: true });
      await waitFor(() => sock.sent.length === sentBefore + 1, "reply to voice note");
      const [row] = await db.db.select().from(whatsappMessages).where(eq(whatsappMessages.providerMessageId, id));
      expect(row).toMatchObject({ mediaType: "voice", body: null, direction: "in" });
      expect((sock.sent.at(-1)!.content as { text: string }).text).toMatch(/[\u0590-\u05FF]/);
    });

    test("outside business hours: one Hebrew auto-reply, then silence", async () => {
      now = new Date("2026-11-28T10:00:00Z"); // Saturday: closed
      try {
        const sock = sockets.last();
        const sentBefore = sock.sent.length;
        sock.receive({ fromPhoneDigits: "972547770000", text: "יש דירות פנויות?" });
        await waitFor(() => sock.sent.length === sentBefore + 1, "after-hours reply");
        const text = (sock.sent.at(-1)!.content as { text: string }).text;
        expect(text).toContain("סגור");
        const c = (await customerByPhone("+972547770000"))!;
        sock.receive({ fromPhoneDigits: "972547770000", text: "הלו?" });
        await waitFor(async () => (await messagesOf(c.id)).length === 3, "second message stored");
        const msgs = await messagesOf(c.id);
        expect(msgs.map((m) => m.author)).toEqual(["customer", "system", "customer"]);
        expect(sock.sent.length).toBe(sentBefore + 1);
      } finally {
        now = OPEN_NOW;
      }
    });
  });
}
