/**
 * The test call talks through the providers chosen by config, like a phone
 * call: with an OpenAI key the real SDK agent (here against the local OpenAI
 * double) answers; when the vendor fails, the local Hebrew brain takes over.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { conversationTurns } from "../../../db/schema";
import { seedDemo } from "../../../db/seed/seed-demo";
import { loadEnv } from "../../../env";
import { createProviders } from "../../../core/conversation/providers/select-providers";
import { startOpenAiDouble, type TOpenAiDouble } from "../../../test/doubles/openai-double";
import { createTestDb, DB_KINDS, type TTestDb } from "../../../test/helpers/db";
import { createEventBus } from "../../../core/kernel/events";
import { createLogger } from "../../../core/kernel/logger";
import type { TScope } from "../../../core/domain/scope";
import { createTestCallRuntime } from "./test-call-runtime";
import { sayInTestCall, startTestCall, type TTestCallDeps } from "./test-call-session";

for (const kind of DB_KINDS) {
  describe(`test call through configured providers (${kind})`, () => {
    let db: TTestDb;
    let double: TOpenAiDouble;
    let deps: TTestCallDeps;
    let scope: TScope;

    beforeAll(async () => {
      db = await createTestDb(kind);
      const seed = await seedDemo(db.db, { adminPassword: "demo-password-123" });
      double = startOpenAiDouble({ apiKey: "sk-test" });
      const config = loadEnv({ NODE_ENV: "test", OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: double.baseURL, TTS_PROVIDER: "local" });
      const events = createEventBus();
      const log = createLogger("silent");
      const p = createProviders({ config, db: db.db, events, log });
      expect(p.agent.name).not.toBe("local");
      deps = { db: db.db, events, log, runtime: createTestCallRuntime({ agent: p.agent, tts: p.tts, fallbackAgent: p.localAgent }) };
      scope = { businessId: seed.businessId!, userId: null, ip: null };
    }, 60_000);
    afterAll(async () => {
      await double?.close();
      await db?.destroy();
    });

    test("the OpenAI agent answers with the business prompt and the history of the call", async () => {
      const { callId } = await startTestCall(deps, scope);
      double.chat.push({ text: "בשמחה! באיזו עיר אתם מחפשים?" });
      const a = await sayInTestCall(deps, scope, { callId, text: "שלום, אני מחפש דירה" });
      expect(a.turns.find((t) => t.speaker === "assistant")?.text).toBe("בשמחה! באיזו עיר אתם מחפשים?");
      const req = double.requests.find((r) => r.path.endsWith("/chat/completions"))!.body as { messages: { role: string; content?: unknown }[] };
      expect(JSON.stringify(req.messages[0])).toContain("שי דירות ומשרדים");
      expect(JSON.stringify(req.messages)).toContain("שלום, אני מחפש דירה");
    });

    test("when the vendor fails, the local brain answers and the turn is still logged", async () => {
      const { callId } = await startTestCall(deps, scope);
      double.chat.push({ status: 500 });
      const a = await sayInTestCall(deps, scope, { callId, text: "אני מחפש דירה לקנות ברמת גן" });
      const reply = a.turns.find((t) => t.speaker === "assistant");
      expect(reply?.text).toMatch(/[\u0590-\u05ff]/);
      expect(a.audio).not.toBeNull();
      const stored = await db.db.select().from(conversationTurns).where(eq(conversationTurns.callId, callId));
      expect(stored.map((t) => t.speaker)).toEqual(["assistant", "caller", "assistant"]);
    });
  });
}
