/**
 * Issue #12 item 11: a failed database read during a conversation is not
 * "no matching listings". With a real database that fails (PGlite: the
 * tables the tools use are renamed away, so every read and write errors in
 * the database; PostgreSQL: the database refuses connections and its
 * backends are killed), the local brain says it will check and get back, the
 * OpenAI tool result says the same to the model, and the follow-up (lead +
 * staff task) is queued, retried, and written once the database answers —
 * one per conversation, nothing dropped.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { and, eq, sql } from "drizzle-orm";
import postgres from "postgres";
import { createEventBus } from "../../core/kernel/events";
import { createLogger } from "../../core/kernel/logger";
import { customers, tasks } from "../../db/schema";
import { seedDemo } from "../../db/seed/seed-demo";
import { createLocalAgent } from "../../core/conversation/brain/local-agent";
import { SAY } from "../../core/conversation/brain/phrases";
import { createFollowUpQueue, type TFollowUpQueue } from "../../core/conversation/brain/tools/follow-up-queue";
import { runTool } from "../../core/conversation/brain/tools/tool-registry";
import type { TToolDeps } from "../../core/conversation/brain/tools/types";
import type { TConversationContext } from "../../core/conversation/brain/types";
import { createTestDb, DB_KINDS, type TTestDb, TEST_PASSWORD_COST } from "../helpers/db";
import { waitFor } from "../helpers/wait-for";

const NOW = new Date("2026-11-25T10:00:00Z");
const TABLES = ["properties", "customers", "tasks"];

for (const kind of DB_KINDS) {
  describe(`database outage during a conversation (${kind})`, () => {
    setDefaultTimeout(60_000);
    let h: TTestDb;
    let businessId: string;
    let admin: postgres.Sql | undefined;
    let queue: TFollowUpQueue;
    let deps: TToolDeps;

    const outage = async (on: boolean) => {
      if (kind === "pglite") {
        for (const t of TABLES) await h.db.execute(sql.raw(on ? `alter table "${t}" rename to "${t}_away"` : `alter table "${t}_away" rename to "${t}"`));
        return;
      }
      const name = new URL(h.url!).pathname.slice(1);
      await admin!.unsafe(`alter database "${name}" allow_connections ${on ? "false" : "true"}`);
      if (on) await admin!`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${name} and pid <> pg_backend_pid()`;
    };

    beforeAll(async () => {
      h = await createTestDb(kind);
      businessId = (await seedDemo(h.db, { adminPassword: "outage-password-1", passwordCost: TEST_PASSWORD_COST })).businessId!;
      if (kind === "postgres") admin = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {} });
      const log = createLogger("silent");
      queue = createFollowUpQueue({ db: h.db, log, retryMs: 20, maxRetryMs: 200 });
      deps = { db: h.db, events: createEventBus(), log, followUps: queue };
    }, 180_000);
    afterAll(async () => {
      queue?.stop();
      if (kind === "postgres") await outage(false).catch(() => {});
      await admin?.end();
      await h?.destroy();
    });

    test("the caller hears 'we will check and get back', the model reads the same, and the tasks land once the database answers", async () => {
      const phoneA = "+972541230101";
      const phoneB = "+972541230102";
      await outage(true);
      try {
        // The local brain (no keys, or the model is down).
        const ctx: TConversationContext = { businessId, channel: "call", callerPhone: phoneA, history: [], state: {} };
        const agent = createLocalAgent({ ...deps, now: () => NOW });
        let text = "";
        const results: unknown[] = [];
        for await (const ev of agent.reply({ text: "אני מחפש לקנות דירת ארבעה חדרים ברמת גן עד שלושה וחצי מיליון", ctx })) {
          if (ev.type === "text") text += ev.delta;
          if (ev.type === "tool" && ev.name === "search_properties") results.push(ev.result);
        }
        expect(results).toHaveLength(1);
        expect(results[0]).toMatchObject({ error: "temporarily_unavailable", followUpQueued: true });
        expect(text).toContain(SAY.willCheck);
        for (const wrong of [SAY.noMatches, SAY.nothingThere, "אין לי"]) expect(text).not.toContain(wrong);

        // The OpenAI agent gets the tool result as JSON: it says "not no-matches, say you'll get back".
        const seen = await runTool(deps, { businessId, channel: "whatsapp", callerPhone: `whatsapp:${phoneB}`, now: () => NOW }, "search_properties", {
          dealType: "rent",
          city: "חיפה",
          roomsMin: 3,
        });
        expect(seen.ok).toBe(false);
        expect(JSON.stringify(seen.result)).toContain("NOT 'no matching listings'");

        // Two conversations, one follow-up each (the failed lead save and the failed search are merged).
        expect(queue.pending()).toBe(2);
        await queue.flush();
        expect(queue.pending()).toBe(2);
      } finally {
        await outage(false);
      }

      const taskOf = async (phone: string) => {
        // The pool's first queries after the outage may still land on a killed connection: that is "not yet".
        const [c] = await h.db
          .select()
          .from(customers)
          .where(and(eq(customers.businessId, businessId), eq(customers.phone, phone)))
          .catch(() => []);
        if (!c) return undefined;
        const rows = await h.db.select().from(tasks).where(eq(tasks.customerId, c.id)).catch(() => []);
        return rows.length ? { c, rows } : undefined;
      };
      const a = await waitFor(() => taskOf(phoneA), "follow-up of the call written after the outage", 20_000, 25);
      const b = await waitFor(() => taskOf(phoneB), "follow-up of the WhatsApp chat written after the outage", 20_000, 25);
      expect(queue.pending()).toBe(0);
      expect(a.rows).toHaveLength(1);
      expect(a.rows[0]!).toMatchObject({ priority: "high", status: "open" });
      expect(a.rows[0]!.title).toContain("לבדוק ולחזור");
      expect(a.rows[0]!.description).toContain("ברמת גן");
      expect(a.rows[0]!.description).toContain(phoneA);
      expect(a.c.requirements).toMatchObject({ dealType: "sale", cities: ["רמת גן"], roomsMin: 4, budgetMax: 3_500_000 });
      expect(b.rows).toHaveLength(1);
      expect(b.c.source).toBe("whatsapp");
      expect(b.rows[0]!.description).toContain("בחיפה");
      // Once written, a later flush writes nothing twice.
      await queue.flush();
      expect((await taskOf(phoneA))!.rows).toHaveLength(1);
    });
  });
}
