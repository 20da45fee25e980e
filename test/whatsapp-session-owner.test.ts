/**
 * One owner per Baileys session. On PostgreSQL two managers (two connection
 * pools, as two instances have) race for a stored session: exactly one opens
 * a socket, the other stands by, refuses a second login, and takes over when
 * the owner's database connection dies. On PGlite (one process owns the data
 * folder) the single manager always owns its sessions and gives them back on
 * disconnect.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import postgres from "postgres";
import { createEventBus } from "../core/kernel/events";
import { createLogger } from "../core/kernel/logger";
import { useDbAuthState } from "../api/whatsapp/baileys/db-auth-state";
import { createSessionLocks, lockKeyOf, type TSessionLocks } from "../api/whatsapp/baileys/session-locks";
import { createWhatsAppHub, type TWhatsAppHub } from "../api/whatsapp/whatsapp-hub";
import { seedDemo } from "../db/seed/seed-demo";
import { loadEnv } from "../env";
import { baileysSocketFactory } from "./doubles/baileys-socket";
import { createTestDb, DB_KINDS, type TTestDb, TEST_PASSWORD_COST } from "./helpers/db";
import { startTcpProxy } from "./helpers/tcp-proxy";
import { waitFor } from "./helpers/wait-for";

const log = createLogger("silent");

for (const kind of DB_KINDS) {
  describe(`whatsapp session owner [${kind}]`, () => {
    let db: TTestDb;
    let businessId: string;
    const clients: postgres.Sql[] = [];
    const hubs: TWhatsAppHub[] = [];

    /** One "instance": its own pool (PostgreSQL), locks, socket double that opens paired sessions. */
    const instance = (heartbeatMs = 100, url = db.url) => {
      const pg = kind === "postgres" ? postgres(url!, { max: 2, onnotice: () => {} }) : undefined;
      if (pg) clients.push(pg);
      const locks: TSessionLocks = createSessionLocks({ pg, log, heartbeatMs, heartbeatTimeoutMs: 500 });
      const sockets = baileysSocketFactory();
      const bus = createEventBus();
      const hub = createWhatsAppHub({
        db: db.db,
        log,
        events: bus,
        config: loadEnv({ NODE_ENV: "test" }),
        agent: null,
        twilioClient: null,
        locks,
        socketFactory: (config) => {
          const s = sockets.factory(config);
          queueMicrotask(() => void sockets.last().open());
          return s;
        },
        standbyMs: 100,
      });
      hubs.push(hub);
      return { hub, sockets, pg, locks };
    };

    /** Connections PostgreSQL says hold the business's session lock. */
    const lockHolders = async () =>
      (await db.pg!`select count(*)::int as n from pg_locks where locktype = 'advisory' and classid = ${0x5741} and objid = ${lockKeyOf(businessId) >>> 0} and granted`)[0]!.n as number;

    beforeAll(async () => {
      db = await createTestDb(kind);
      businessId = (await seedDemo(db.db, { adminPassword: "demo-password-123", passwordCost: TEST_PASSWORD_COST })).businessId!;
      // A paired session is stored (as after a QR login).
      const store = await useDbAuthState(db.db, businessId);
      store.state.creds.me = { id: "97235550100:7@s.whatsapp.net", name: "שי דירות" };
      await store.saveCreds();
      await store.flush();
    }, 300_000);
    afterAll(async () => {
      for (const h of hubs) await h.close().catch(() => {});
      for (const c of clients) await c.end({ timeout: 1 }).catch(() => {});
      await db.destroy();
    });

    test("lock keys are stable 32-bit integers per business", () => {
      expect(lockKeyOf(businessId)).toBe(lockKeyOf(businessId));
      expect(Number.isInteger(lockKeyOf(businessId))).toBe(true);
      expect(Math.abs(lockKeyOf(businessId))).toBeLessThan(2 ** 31);
      expect(lockKeyOf("00000000-0000-4000-8000-000000000001")).not.toBe(lockKeyOf("00000000-0000-4000-8000-000000000002"));
    });

    if (kind === "pglite") {
      test("one process: the stored session is resumed and owned; disconnect gives it back, connect takes it again", async () => {
        const a = instance();
        expect(await a.hub.baileys.resumeAll()).toBe(1);
        await waitFor(() => a.hub.baileys.status(businessId).state === "open", "session open");
        expect(a.locks.held()).toEqual([businessId]);
        await a.hub.baileys.disconnect(businessId);
        expect(a.locks.held()).toEqual([]);
        await a.hub.baileys.connect(businessId);
        expect(a.locks.held()).toEqual([businessId]);
      });
      return;
    }

    test("two instances: exactly one opens the session; the other stands by and refuses a second login in Hebrew", async () => {
      const a = instance();
      const b = instance();
      const [ra, rb] = await Promise.all([a.hub.baileys.resumeAll(), b.hub.baileys.resumeAll()]);
      expect(ra + rb).toBe(1);
      const [owner, standby] = ra === 1 ? [a, b] : [b, a];
      await waitFor(() => owner.hub.baileys.status(businessId).state === "open", "owner open");
      expect(standby.sockets.sockets.length).toBe(0);
      expect(standby.hub.baileys.status(businessId).state).toBe("idle");
      await expect(standby.hub.baileys.connect(businessId)).rejects.toThrow("baileys session owned by another instance");
      await expect(standby.hub.baileys.connect(businessId)).rejects.toMatchObject({ userMessage: expect.stringContaining("פעיל כרגע בשרת אחר") });
      // Several standby rounds later it still has not opened a socket.
      expect(await lockHolders()).toBe(1);
      expect(standby.sockets.sockets.length).toBe(0);
    });

    test("the owner's database connection dies: it closes its socket, and the standby takes the session over", async () => {
      const [owner, standby] = hubs[0]!.baileys.status(businessId).state === "open" ? [0, 1] : [1, 0];
      const ownerPg = clients[owner]!;
      const ownerHub = hubs[owner]!;
      const standbyHub = hubs[standby]!;
      // As when an instance is killed: its connections close and PostgreSQL drops its advisory locks.
      await ownerPg.end({ timeout: 0 });
      await waitFor(() => standbyHub.baileys.status(businessId).state === "open", "standby took over", 30_000, 50);
      // The old owner noticed (heartbeat) and closed its socket: never two sockets on one account.
      await waitFor(() => ownerHub.baileys.status(businessId).state !== "open", "old owner closed its socket", 10_000, 50);
    });

    test("closing while a claim is in flight leaves no lock behind in PostgreSQL", async () => {
      for (const h of hubs.splice(0)) await h.close();
      const pg = postgres(db.url!, { max: 2, onnotice: () => {} });
      clients.push(pg);
      const locks = createSessionLocks({ pg, log });
      const claim = locks.tryAcquire(businessId);
      await locks.close();
      expect(await claim).toBe(false);
      expect(locks.held()).toEqual([]);
      expect(await lockHolders()).toBe(0);
    });

    test("the owner's lock connection stalls past the heartbeat: it gives the session up, and PostgreSQL lets go of the lock too, so another instance can take it", async () => {
      for (const h of hubs.splice(0)) await h.close();
      // The owner reaches PostgreSQL through a proxy that can stop delivering (a stalled network, a hung server).
      const direct = new URL(db.url!);
      const proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
      try {
        const via = new URL(direct);
        via.port = String(proxy.port);
        const owner = instance(100, via.toString());
        await owner.hub.baileys.connect(businessId);
        await waitFor(() => owner.hub.baileys.status(businessId).state === "open", "owner open");
        proxy.pause();
        await waitFor(() => owner.locks.held().length === 0, "owner gave the session up", 10_000, 20);
        await waitFor(() => owner.hub.baileys.status(businessId).state !== "open", "owner closed its socket", 10_000, 20);
        proxy.resume();
        // The connection that held the lock must not live on in the owner's pool still holding it:
        // then nobody could ever open the session again.
        const other = instance();
        await waitFor(() => other.hub.baileys.connect(businessId).then(() => true, () => false), "another instance took the session", 10_000, 50);
        await waitFor(() => other.hub.baileys.status(businessId).state === "open", "the other instance's socket open");
      } finally {
        await proxy.close();
      }
    });
  });
}
