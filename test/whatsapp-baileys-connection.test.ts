/**
 * WhatsApp over Baileys, the connection's life once paired (real connection
 * manager and DB auth store, Baileys socket double): resuming from the
 * database after a restart, the reconnect policy, sending while
 * disconnected, logout, pairing-code login and a second business.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { businesses, customers, whatsappAuth, whatsappMessages } from "../db/schema";
import { DEMO_BUSINESS } from "../db/seed/seed-demo";
import { useDbAuthState } from "../api/whatsapp/baileys/db-auth-state";
import { CUSTOMER, makeBaileysHub, OPEN_NOW, pairAndOpen } from "./helpers/whatsapp-baileys";
import type { TWhatsAppHub } from "../api/whatsapp/whatsapp-hub";
import type { TKesherEvent } from "../core/kernel/events";
import { createTestDb, DB_KINDS, type TTestDb } from "./helpers/db";
import { waitFor } from "./helpers/wait-for";

for (const kind of DB_KINDS) {
  describe(`whatsapp via baileys: connection [${kind}]`, () => {
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
      await pairAndOpen(db.db, hub, sockets, businessId);
      // One conversation, so the customer exists.
      sockets.last().receive({ fromPhoneDigits: CUSTOMER, text: "שלום, אני מחפש דירה להשכרה בתל אביב" });
      await waitFor(() => sockets.last().sent.length === 1, "first reply");
    }, 120_000);
    afterAll(async () => {
      await hub.close();
      await db.destroy();
    });

    test("auth state survives a restart: a new manager resumes from the database alone", async () => {
      const before = sockets.last().config.auth.creds;
      await hub.close();
      hub = makeHub();
      expect(await hub.baileys.resumeAll()).toBe(1);
      const resumed = sockets.last();
      expect(resumed.config.auth.creds.me?.id).toBe(before.me?.id);
      expect(Buffer.from(resumed.config.auth.creds.signedIdentityKey.private)).toEqual(Buffer.from(before.signedIdentityKey.private));
      expect(resumed.config.auth.creds.advSecretKey).toBe(before.advSecretKey);
      // Keys read back through a fresh store, with Buffers and protobufs revived.
      const store = await useDbAuthState(db.db, businessId);
      const pre = await store.state.keys.get("pre-key", ["1", "2", "404"]);
      expect(Buffer.from(pre["1"]!.private).toString()).toBe("pre-key-private-1");
      expect(pre["404"]).toBeUndefined();
      const session = await store.state.keys.get("session", ["972541234567.0"]);
      expect([...session["972541234567.0"]!]).toEqual([1, 2, 3, 4, 5]);
      const sync = await store.state.keys.get("app-state-sync-key", ["AAAAAQ"]);
      expect(Buffer.from(sync.AAAAAQ!.keyData!).toString()).toBe("sync-key");
      expect(typeof (sync.AAAAAQ as { toJSON?: unknown }).toJSON).toBe("function");
      // Deleting a key (null) removes its row.
      await store.state.keys.set({ "pre-key": { "2": null } });
      expect((await store.state.keys.get("pre-key", ["2"]))["2"]).toBeUndefined();
      await resumed.open();
      await waitFor(() => hub.baileys.status(businessId).state === "open", "open after resume");
    });

    test("reconnect policy: transient close reconnects with backoff; 440 and 403 stop without looping", async () => {
      let sock = sockets.last();
      const count = sockets.sockets.length;
      sock.close(428);
      await waitFor(() => sockets.sockets.length === count + 1, "reconnect after 428");
      expect(hub.baileys.status(businessId).state).toBe("connecting");
      sock = sockets.last();
      await sock.open();
      await waitFor(() => hub.baileys.status(businessId).state === "open", "open");
      expect(hub.baileys.status(businessId).reconnectAttempts).toBe(0);

      for (const code of [440, 403]) {
        const n = sockets.sockets.length;
        sockets.last().close(code);
        await waitFor(() => hub.baileys.status(businessId).state === "stopped", `stopped on ${code}`);
        expect(hub.baileys.status(businessId).reason).toBe(code === 440 ? "connection_replaced" : "forbidden");
        // Well past the backoff: still no new socket.
        await new Promise((r) => setTimeout(r, 60));
        expect(sockets.sockets.length).toBe(n);
        await hub.baileys.connect(businessId);
        await sockets.last().open();
        await waitFor(() => hub.baileys.status(businessId).state === "open", "open again");
      }
    });

    test("sending while disconnected fails clearly and keeps the message as failed", async () => {
      const customer = (await customerByPhone(`+${CUSTOMER}`))!;
      await hub.baileys.disconnect(businessId);
      await expect(hub.send({ businessId, customerId: customer.id, author: "staff", body: "נחזור אליך מחר" })).rejects.toMatchObject({ code: "UNAVAILABLE" });
      const [last] = (await messagesOf(customer.id)).slice(-1);
      expect(last).toMatchObject({ body: "נחזור אליך מחר", status: "failed", author: "staff" });
      await hub.baileys.connect(businessId);
      await sockets.last().open();
      await waitFor(() => hub.baileys.status(businessId).state === "open", "open again");
    });

    test("401 loggedOut: stop, clear the stored session, ask for a new login", async () => {
      const n = sockets.sockets.length;
      sockets.last().close(401);
      await waitFor(() => hub.baileys.status(businessId).state === "logged_out", "logged_out");
      expect(await db.db.select().from(whatsappAuth).where(eq(whatsappAuth.businessId, businessId))).toHaveLength(0);
      await new Promise((r) => setTimeout(r, 60));
      expect(sockets.sockets.length).toBe(n);
      // A new login starts from fresh creds.
      await hub.baileys.connect(businessId);
      expect(sockets.last().config.auth.creds.me).toBeUndefined();
      await hub.baileys.disconnect(businessId);
    });

    test("pairing-code login shows the code instead of a QR", async () => {
      await hub.baileys.connect(businessId, { pairingPhone: "+972 54-123-4567" });
      const sock = sockets.last();
      sock.showQr();
      await waitFor(() => hub.baileys.status(businessId).state === "pairing_code", "pairing code");
      expect(sock.pairingRequests).toEqual(["972541234567"]);
      expect(hub.baileys.status(businessId).pairingCode).toBe("KSHR4567");
      expect(hub.baileys.status(businessId).qrDataUrl).toBeNull();
      await hub.baileys.disconnect(businessId);
    });

    test("another business's socket and data stay separate", async () => {
      const [other] = await db.db.insert(businesses).values({ name: "עסק אחר", slug: `other-${kind}` }).returning();
      await hub.baileys.connect(other!.id);
      const sock = sockets.last();
      await sock.completePairing("972500000001");
      const again = await waitFor(() => (sockets.last() !== sock ? sockets.last() : null), "other business reconnect");
      await again.open();
      await waitFor(() => hub.baileys.status(other!.id).state === "open", "other open");
      again.receive({ fromPhoneDigits: CUSTOMER, text: "שלום" });
      await waitFor(() => again.sent.length === 1, "other business reply");
      const mine = (await customerByPhone(`+${CUSTOMER}`))!;
      const [theirs] = await db.db.select().from(customers).where(and(eq(customers.businessId, other!.id), eq(customers.phone, `+${CUSTOMER}`)));
      expect(theirs!.id).not.toBe(mine.id);
      const theirMsgs = await db.db.select().from(whatsappMessages).where(eq(whatsappMessages.businessId, other!.id));
      expect(theirMsgs.every((m) => m.customerId === theirs!.id)).toBe(true);
      expect(hub.baileys.status(businessId).state).not.toBe("open");
    });
  });
}
