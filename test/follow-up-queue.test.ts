/**
 * #16 item 1 + 3 (the brain's side): the follow-up queue is an explicit
 * dependency, not process-wide state — two agents on one database handle keep
 * their own queues, and the queue the composition root passes is the one the
 * tools use. A database that hangs (a lock nobody releases: PGlite's
 * connection held by an open transaction, PostgreSQL's listings and
 * customers locked by another session) never leaves the caller waiting: the tool's deadline turns
 * it into "we will check and get back" (a graceful spoken line, not the
 * apology), the follow-up waits in the queue and is written once the database
 * answers.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import postgres from "postgres";
import { createLocalAgent } from "../core/conversation/brain/local-agent";
import { SAY } from "../core/conversation/brain/phrases";
import { createFollowUpQueue } from "../core/conversation/brain/tools/follow-up-queue";
import type { TConversationContext } from "../core/conversation/brain/types";
import { createEventBus } from "../core/kernel/events";
import { createLogger } from "../core/kernel/logger";
import { customers, tasks } from "../db/schema";
import { seedDemo } from "../db/seed/seed-demo";
import { createTestDb, DB_KINDS, type TTestDb, TEST_PASSWORD_COST } from "./helpers/db";
import { waitFor } from "./helpers/wait-for";

const NOW = new Date("2026-11-25T10:00:00Z");
const ASK = "אני מחפש לקנות דירת ארבעה חדרים ברמת גן עד שלושה וחצי מיליון";
const log = createLogger("silent");

for (const kind of DB_KINDS) {
  describe(`follow-up queue: an explicit dependency, and a hanging database (${kind})`, () => {
    setDefaultTimeout(60_000);
    let h: TTestDb;
    let businessId: string;
    let admin: postgres.Sql | undefined;

    /** Make every read of the listings hang until the returned function is called. */
    const hang = async (): Promise<() => Promise<void>> => {
      let release!: () => void;
      const released = new Promise<void>((r) => (release = r));
      let locked!: () => void;
      const isLocked = new Promise<void>((r) => (locked = r));
      let held: Promise<unknown>;
      if (kind === "pglite") {
        // PGlite has one connection: an open transaction makes every other query wait.
        held = h.db.transaction(async (tx) => {
          await tx.select({ id: customers.id }).from(customers).limit(1);
          locked();
          await released;
        });
      } else {
        held = admin!.begin(async (sql) => {
          await sql`lock table properties, customers in access exclusive mode`;
          locked();
          await released;
        });
      }
      await isLocked;
      return async () => {
        release();
        await held;
      };
    };

    beforeAll(async () => {
      h = await createTestDb(kind);
      businessId = (await seedDemo(h.db, { adminPassword: "follow-up-password-1", passwordCost: TEST_PASSWORD_COST })).businessId!;
      if (kind === "postgres") admin = postgres(h.url!, { max: 1, onnotice: () => {} });
    }, 180_000);
    afterAll(async () => {
      await admin?.end();
      await h?.destroy();
    });

    test("two agents on one handle keep their own queues; a hanging database gets 'we will check and get back' within the tool deadline, and the follow-up lands once it answers", async () => {
      const events = createEventBus();
      const mine = createFollowUpQueue({ db: h.db, log, events, retryMs: 20, maxRetryMs: 100 });
      const other = createFollowUpQueue({ db: h.db, log, events, retryMs: 20, maxRetryMs: 100 });
      const agent = createLocalAgent({ db: h.db, events, log, followUps: mine, toolTimeoutMs: 400, now: () => NOW });
      const bystander = createLocalAgent({ db: h.db, events, log, followUps: other, toolTimeoutMs: 400, now: () => NOW });
      expect(bystander.name).toBe("local");
      const phone = "+972541239901";
      const ctx: TConversationContext = { businessId, channel: "call", callerPhone: phone, history: [], state: {} };

      const release = await hang();
      let text = "";
      const results: unknown[] = [];
      let pendingWhileHung = -1;
      try {
        for await (const ev of agent.reply({ text: ASK, ctx })) {
          if (ev.type === "text") text += ev.delta;
          if (ev.type === "tool") results.push(ev.result);
        }
      } finally {
        // The reply came while the database still hung: the deadline answered, not the database.
        pendingWhileHung = mine.pending();
        await release();
      }
      expect(results.length).toBeGreaterThan(0);
      for (const r of results) expect(r).toMatchObject({ error: "temporarily_unavailable", followUpQueued: true });
      expect(text).toContain(SAY.willCheck);
      expect(text).not.toContain(SAY.noMatches);
      expect(pendingWhileHung).toBe(1);
      // The other agent's queue saw nothing: no shared, hidden queue per database handle.
      expect(other.pending()).toBe(0);

      const written = await waitFor(
        async () => {
          const [c] = await h.db.select().from(customers).where(and(eq(customers.businessId, businessId), eq(customers.phone, phone)));
          if (!c) return undefined;
          const rows = await h.db.select().from(tasks).where(eq(tasks.customerId, c.id));
          if (!rows.length || mine.pending() !== 0) return undefined;
          // Read the customer again: the query that hung may have created it (requirements still empty) just
          // before the follow-up's transaction committed between the two reads above.
          const [fresh] = await h.db.select().from(customers).where(eq(customers.id, c.id));
          return { c: fresh!, rows };
        },
        "the follow-up written once the database answers",
        20_000,
        25,
      );
      expect(written.rows).toHaveLength(1);
      expect(written.rows[0]!.title).toContain("לבדוק ולחזור");
      expect(written.rows[0]!.description).toContain("ברמת גן");
      expect(written.c.requirements).toMatchObject({ dealType: "sale", cities: ["רמת גן"], roomsMin: 4 });
      mine.stop();
      other.stop();
    });
  });
}
