/**
 * Post-call analysis on a real database: rules with no keys, GPT-4o with a
 * JSON schema through the real OpenAI SDK against the local double, and the
 * fallback to rules when the model fails. Summary, sentiment, lead score and
 * reasons land on call_logs and the customer; the next-best action is a task.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import OpenAI from "openai";
import { createLogger } from "../core/kernel/logger";
import { analyzeCall } from "../api/services/analysis/analyze-call";
import { analyzeWithRules } from "../api/services/analysis/analysis-rules";
import { registerIncomingCall } from "../api/services/calls/register-incoming-call";
import { appointmentRequests, callLogs, conversationTurns, customers, properties, tasks } from "../db/schema";
import { seedDemo } from "../db/seed/seed-demo";
import { DB_KINDS, createTestDb, type TTestDb, TEST_PASSWORD_COST } from "./helpers/db";
import { startOpenAiDouble, type TOpenAiDouble, type TChatRequestBody } from "./doubles/openai-double";

const log = createLogger("silent");

test("rules: stated budget, timeline, engagement, matches and a viewing raise the score; anger lowers it", () => {
  const hot = analyzeWithRules({
    turns: [
      { speaker: "caller", text: "שלום, אני מחפש דירה לקנות ברמת גן" },
      { speaker: "caller", text: "ארבעה חדרים, התקציב שלי שלושה מיליון שקל" },
      { speaker: "tool", text: "search_properties", toolName: "search_properties", toolPayload: { args: {}, result: { total: 2, items: [], relaxed: [] } } },
      { speaker: "caller", text: "מעולה, אשמח לראות אותה מחר בחמש" },
    ],
    bookedViewings: 1,
    transferred: false,
  });
  expect(hot.sentiment).toBe("positive");
  expect(hot.leadScore).toBeGreaterThanOrEqual(80);
  expect(hot.leadReasons.some((r) => r.startsWith("תקציב ידוע"))).toBe(true);
  expect(hot.leadReasons).toContain("יש לוח זמנים");
  expect(hot.leadReasons).toContain("נמצאו 2 נכסים מתאימים");
  expect(hot.leadReasons).toContain("נקבעה פגישת צפייה");
  expect(hot.summary).toContain("רמת גן");
  expect(hot.nextAction.priority).toBe("high");

  const cold = analyzeWithRules({ turns: [{ speaker: "caller", text: "אני מאוכזב, זה יקר מדי ולא רלוונטי" }], bookedViewings: 0, transferred: false });
  expect(cold.sentiment).toBe("negative");
  expect(cold.sentimentScore).toBeLessThan(0);
  expect(cold.leadScore).toBeLessThan(hot.leadScore);
  expect(cold.nextAction.title).toContain("לא מרוצה");

  const silent = analyzeWithRules({ turns: [{ speaker: "assistant", text: "שלום?" }], bookedViewings: 0, transferred: false });
  expect(silent.sentiment).toBe("neutral");
  expect(silent.leadReasons).toContain("לא נאמר דבר מצד המתקשר/ת");
});

for (const kind of DB_KINDS) {
  describe(`post-call analysis (${kind})`, () => {
    let db: TTestDb;
    let businessId = "";
    let oa: TOpenAiDouble;
    beforeAll(async () => {
      db = await createTestDb(kind);
      businessId = (await seedDemo(db.db, { adminPassword: "demo-password-123", passwordCost: TEST_PASSWORD_COST })).businessId!;
      oa = startOpenAiDouble({ apiKey: "sk-test" });
    }, 60_000);
    afterAll(async () => {
      await oa.close();
      await db.destroy();
    });

    const callWith = async (lines: Array<[string, string]>, from = `+97254${Math.floor(1_000_000 + Math.random() * 8_999_999)}`) => {
      const callSid = `CA${crypto.randomUUID().replace(/-/g, "")}`;
      const r = await registerIncomingCall(db.db, { callSid, from, to: null });
      let seq = 0;
      for (const [speaker, text] of lines)
        await db.db.insert(conversationTurns).values({ businessId, callId: r.callId, seq: seq++, speaker: speaker as "caller", text });
      return r;
    };

    test("rules (no keys): stored on the call and the customer, one task per call", async () => {
      const r = await callWith([
        ["assistant", "שלום, איך אפשר לעזור?"],
        ["caller", "אני מחפשת דירה לשכור בתל אביב"],
        ["caller", "עד שמונה אלף שקל, דחוף לי, תודה"],
        ["caller", "נשמע טוב"],
      ]);
      const [prop] = await db.db.select({ id: properties.id }).from(properties).where(eq(properties.businessId, businessId)).limit(1);
      await db.db.insert(appointmentRequests).values({ businessId, customerId: r.customerId, propertyId: prop!.id, callId: r.callId, startsAt: new Date(Date.now() + 86_400_000), endsAt: new Date(Date.now() + 86_400_000 + 1_800_000) });
      const out = await analyzeCall({ db: db.db, log }, r.callId);
      expect(out?.engine).toBe("rules");
      const [call] = await db.db.select().from(callLogs).where(eq(callLogs.id, r.callId));
      expect(call!.summary).toContain("לשכור");
      expect(call!.summary).toContain("תל אביב");
      expect(call!.sentiment).toBe("positive");
      expect(call!.leadScore).toBe(out!.leadScore);
      expect(call!.leadReasons).toContain("נקבעה פגישת צפייה");
      const [cust] = await db.db.select().from(customers).where(eq(customers.id, r.customerId!));
      expect(cust!.leadScore).toBe(call!.leadScore);
      expect(cust!.sentiment).toBe("positive");
      const t = await db.db.select().from(tasks).where(eq(tasks.callId, r.callId));
      expect(t.length).toBe(1);
      expect(t[0]!.title).toBe("לאשר את פגישת הצפייה מול הלקוח");
      expect(t[0]!.customerId).toBe(r.customerId);
      // Again (a redelivered stop, a second process): nothing is duplicated.
      const again = await analyzeCall({ db: db.db, log }, r.callId);
      expect(again?.skipped).toBe(true);
      expect((await db.db.select().from(tasks).where(eq(tasks.callId, r.callId))).length).toBe(1);
    });

    test("a recorded message after the stream: forced re-analysis includes it", async () => {
      const r = await callWith([["caller", "הלו?"]]);
      const first = await analyzeCall({ db: db.db, log }, r.callId);
      expect(first?.summary).not.toContain("נתניה");
      await db.db.insert(conversationTurns).values({ businessId, callId: r.callId, seq: 5, speaker: "caller", text: "אני מחפש דירה לקנות בנתניה עד מיליון וחצי שקל" });
      const again = await analyzeCall({ db: db.db, log }, r.callId, { force: true });
      expect(again?.skipped).toBe(false);
      const [call] = await db.db.select().from(callLogs).where(eq(callLogs.id, r.callId));
      expect(call!.summary).toContain("נתניה");
      expect(call!.leadScore).toBeGreaterThan(first!.leadScore);
      expect((await db.db.select().from(tasks).where(eq(tasks.callId, r.callId))).length).toBe(2);
    });

    test("GPT-4o with a JSON schema through the OpenAI double", async () => {
      const r = await callWith([["caller", "אני רוצה משרד להשכרה ברמת גן, מאה מטר"]]);
      oa.chat.push((body: TChatRequestBody) => {
        const rf = body.response_format as { type: string; json_schema: { name: string; strict: boolean; schema: { required: string[] } } };
        expect(rf.type).toBe("json_schema");
        expect(rf.json_schema.strict).toBe(true);
        expect(rf.json_schema.schema.required).toContain("leadScore");
        expect(JSON.stringify(body.messages)).toContain("משרד להשכרה");
        return {
          text: JSON.stringify({
            summary: "הלקוח מחפש משרד להשכרה ברמת גן, כ-100 מ״ר.",
            sentiment: "neutral",
            sentimentScore: 0.1,
            leadScore: 64,
            leadReasons: ["הגדיר סוג נכס ועיר", "לא ציין תקציב"],
            nextAction: { title: "לשלוח הצעות משרדים ברמת גן", description: "שלוש הצעות בוואטסאפ", priority: "normal" },
          }),
        };
      });
      const client = new OpenAI({ apiKey: "sk-test", baseURL: oa.baseURL, maxRetries: 0 });
      const out = await analyzeCall({ db: db.db, log, openai: client }, r.callId);
      expect(out?.engine).toBe("gpt-4o");
      const [call] = await db.db.select().from(callLogs).where(eq(callLogs.id, r.callId));
      expect(call!.summary).toBe("הלקוח מחפש משרד להשכרה ברמת גן, כ-100 מ״ר.");
      expect(call!.leadScore).toBe(64);
      expect(call!.sentimentScore).toBeCloseTo(0.1, 5);
      expect(call!.leadReasons).toEqual(["הגדיר סוג נכס ועיר", "לא ציין תקציב"]);
      const [task] = await db.db.select().from(tasks).where(eq(tasks.callId, r.callId));
      expect(task!.title).toBe("לשלוח הצעות משרדים ברמת גן");
    });

    test("model failure or an answer outside the schema → the rules, nothing lost", async () => {
      const client = new OpenAI({ apiKey: "sk-test", baseURL: oa.baseURL, maxRetries: 0 });
      const a = await callWith([["caller", "אני מחפש דירה לקנות בחיפה"]]);
      oa.chat.push({ status: 500 });
      const outA = await analyzeCall({ db: db.db, log, openai: client }, a.callId);
      expect(outA?.engine).toBe("rules");
      const b = await callWith([["caller", "אני מחפש דירה לקנות בחיפה"]]);
      oa.chat.push({ text: JSON.stringify({ summary: "x", sentiment: "great", leadScore: 500 }) });
      const outB = await analyzeCall({ db: db.db, log, openai: client }, b.callId);
      expect(outB?.engine).toBe("rules");
      for (const id of [a.callId, b.callId]) {
        const [call] = await db.db.select().from(callLogs).where(eq(callLogs.id, id));
        expect(call!.summary).toContain("חיפה");
        expect(call!.leadScore).toBeGreaterThan(0);
      }
    });
  });
}
