/**
 * The local brain's caller corpus (issue #14 item 6): 40+ scripts no earlier
 * test had seen, each run through the real local agent with its real tools on
 * a real database (PGlite, and PostgreSQL when DATABASE_URL is set), then
 * checked against the CRM outcome it must leave. Prints "turns understood /
 * total" and "CRM outcomes right / scripts" per database.
 */
import { afterAll, beforeAll, describe, expect, setDefaultTimeout, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { createEventBus } from "../core/kernel/events";
import { createLogger } from "../core/kernel/logger";
import { appointmentRequests, customers, tasks } from "../db/schema";
import { seedDemo } from "../db/seed/seed-demo";
import { createLocalAgent } from "../core/conversation/brain/local-agent";
import { createFollowUpQueue } from "../core/conversation/brain/tools/follow-up-queue";
import type { TToolDeps } from "../core/conversation/brain/tools/types";
import type { TConversationContext } from "../core/conversation/brain/types";
import type { TCorpusScript, TCorpusTurn } from "./brain-corpus/corpus-types";
import { SEEKER_SCRIPTS } from "./brain-corpus/scripts-seekers";
import { SPECIAL_SCRIPTS } from "./brain-corpus/scripts-special";
import { createTestDb, DB_KINDS, type TTestDb, TEST_PASSWORD_COST } from "./helpers/db";

const SCRIPTS: TCorpusScript[] = [...SEEKER_SCRIPTS, ...SPECIAL_SCRIPTS];
// Wednesday 25 Nov 2026, 12:00 in Jerusalem.
const NOW = "2026-11-25T10:00:00Z";

test("the corpus has at least 40 distinct scripts", () => {
  expect(SCRIPTS.length).toBeGreaterThanOrEqual(40);
  expect(new Set(SCRIPTS.map((s) => s.name)).size).toBe(SCRIPTS.length);
});

for (const kind of DB_KINDS) {
  describe(`brain corpus on ${kind}`, () => {
    setDefaultTimeout(60_000);
    let h: TTestDb;
    let businessId: string;
    let deps: TToolDeps;
    const tally = { turns: 0, understood: 0, scripts: 0, crmRight: 0 };

    beforeAll(async () => {
      h = await createTestDb(kind);
      businessId = (await seedDemo(h.db, { adminPassword: "corpus-password-1", passwordCost: TEST_PASSWORD_COST })).businessId!;
      const events = createEventBus();
      const log = createLogger("silent");
      deps = { db: h.db, events, log, followUps: createFollowUpQueue({ db: h.db, events, log }) };
    }, 180_000);
    afterAll(async () => {
      console.log(`brain corpus on ${kind}: turns understood ${tally.understood}/${tally.turns}, CRM outcomes right ${tally.crmRight}/${tally.scripts}`);
      await h?.destroy();
    });

    SCRIPTS.forEach((script, i) => {
      test(script.name, async () => {
        const digits = `+97253${String(1_000_000 + i).padStart(7, "0")}`;
        const phone = script.channel === "whatsapp" ? `whatsapp:${digits}` : digits;
        let customerId: string | undefined;
        if (script.known) {
          const [c] = await h.db.insert(customers).values({ businessId, fullName: script.known, phone: digits, source: "call" }).returning();
          customerId = c!.id;
        }
        const ctx: TConversationContext = {
          businessId,
          channel: script.channel ?? "call",
          callerPhone: phone,
          customerId,
          history: [],
          state: {},
          businessName: "שי דירות ומשרדים",
        };
        const agent = createLocalAgent({ ...deps, now: () => new Date(script.now ?? NOW) });
        const problems: string[] = [];
        for (const raw of script.turns) {
          const turn: TCorpusTurn = typeof raw === "string" ? { say: raw } : raw;
          let text = "";
          let action: string | undefined;
          const tools: string[] = [];
          for await (const ev of agent.reply({ text: turn.say, ctx })) {
            if (ev.type === "text") text += ev.delta;
            else if (ev.type === "tool") tools.push(ev.name);
            else if (ev.type === "action") action = ev.action;
          }
          const wrong = [
            ...(turn.has ?? []).filter((s) => !text.includes(s)).map((s) => `missing "${s}"`),
            ...(turn.not ?? []).filter((s) => text.includes(s)).map((s) => `unwanted "${s}"`),
            ...(turn.tool && !tools.includes(turn.tool) ? [`no ${turn.tool} call`] : []),
            ...(turn.action !== action && (turn.action || action) ? [`action ${action} instead of ${turn.action}`] : []),
            ...(text.includes("לא הבנתי") && !(turn.has ?? []).includes("סליחה") ? ["not understood"] : []),
          ];
          tally.turns++;
          if (wrong.length) problems.push(`«${turn.say}» → «${text.trim()}»: ${wrong.join(", ")}`);
          else tally.understood++;
        }

        const [lead] = await h.db.select().from(customers).where(and(eq(customers.businessId, businessId), eq(customers.phone, digits)));
        const crm = script.crm;
        const crmProblems: string[] = [];
        const needsLead = crm.fullName !== undefined || crm.status || crm.requirements || crm.notes || crm.tasks?.length || crm.bookings;
        if (needsLead && !lead) crmProblems.push("no customer row");
        if (lead) {
          if (crm.fullName !== undefined && lead.fullName !== crm.fullName) crmProblems.push(`name ${lead.fullName} ≠ ${crm.fullName}`);
          if (crm.status && lead.status !== crm.status) crmProblems.push(`status ${lead.status} ≠ ${crm.status}`);
          if (crm.requirements && !matches(lead.requirements, crm.requirements)) crmProblems.push(`requirements ${JSON.stringify(lead.requirements)}`);
          for (const k of crm.requirementsWithout ?? []) if (k in (lead.requirements as object)) crmProblems.push(`requirements has ${k}`);
          if (crm.notes && !(lead.notes ?? "").includes(crm.notes)) crmProblems.push(`notes «${lead.notes}»`);
          const rows = await h.db.select().from(tasks).where(and(eq(tasks.businessId, businessId), eq(tasks.customerId, lead.id)));
          for (const want of crm.tasks ?? []) {
            if (!rows.some((t) => t.title.includes(want.title) && (!want.priority || t.priority === want.priority))) crmProblems.push(`no task "${want.title}" (${rows.map((t) => t.title).join(" | ")})`);
          }
          if (crm.taskCount !== undefined && rows.length !== crm.taskCount) crmProblems.push(`${rows.length} tasks ≠ ${crm.taskCount}`);
          if (crm.bookings !== undefined) {
            const booked = await h.db.select().from(appointmentRequests).where(eq(appointmentRequests.customerId, lead.id));
            if (booked.length !== crm.bookings) crmProblems.push(`${booked.length} bookings ≠ ${crm.bookings}`);
          }
        }
        tally.scripts++;
        if (!crmProblems.length) tally.crmRight++;
        expect([...problems, ...crmProblems.map((p) => `CRM: ${p}`)]).toEqual([]);
      });
    });
  });
}

/** Subset match: every key of `want` equals (deeply, arrays as sets) the same key of `got`. */
function matches(got: unknown, want: unknown): boolean {
  if (Array.isArray(want)) return Array.isArray(got) && want.length === got.length && want.every((w) => got.includes(w));
  if (want && typeof want === "object") {
    if (!got || typeof got !== "object") return false;
    return Object.entries(want).every(([k, v]) => matches((got as Record<string, unknown>)[k], v));
  }
  return got === want;
}
