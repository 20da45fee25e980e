/**
 * Fault: a remote provider fails in the middle of a call, through the real
 * openai SDK against the local OpenAI double (HTTP 500 from STT, HTTP 500
 * from the LLM, an LLM that does not answer). The caller never hears
 * silence: the apology's audio frames arrive before the caller's next line
 * (the caller pauses 2.5 s after speaking: 0.5 s endpointing + the 1.5 s
 * budget + slack), and the call and its transcript are stored. The call runs
 * on a virtual clock bounded to 10× real time, so the real HTTP round trips
 * to the double stay short in call time.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { asc, eq } from "drizzle-orm";
import { createEventBus } from "../../core/kernel/events";
import { createLogger } from "../../core/kernel/logger";
import { registerIncomingCall } from "../../api/services/calls/register-incoming-call";
import { callLogs, conversationTurns } from "../../db/schema";
import { seedDemo } from "../../db/seed/seed-demo";
import { createVirtualClock } from "../../realtime/clock";
import { createProviders } from "../../core/conversation/providers/select-providers";
import { createLocalTts, synthesizeMulaw } from "../../core/conversation/providers/tts/local";
import { APOLOGY_TEXT, createVoicePrompts, type TVoicePrompts } from "../../core/conversation/voice-prompts";
import { startOpenAiDouble, type TOpenAiDouble } from "../doubles/openai-double";
import { DB_KINDS, createTestDb, type TTestDb, TEST_PASSWORD_COST } from "../helpers/db";
import { toneTts } from "../helpers/voice-doubles";
import { sessionRig } from "./session-rig";

const log = createLogger(process.env.FAULT_LOG ?? "silent");
const LINES = ["שלום, אני מחפש דירה בחיפה.", "הלו, אתם שומעים אותי?"];
const CALLER_PAUSE_MS = 2500;

for (const kind of DB_KINDS) {
  describe(`fault: provider errors and timeouts through the real SDK (${kind})`, () => {
    let db: TTestDb;
    let double: TOpenAiDouble;
    let prompts: TVoicePrompts;
    const speech: Uint8Array[] = [];

    beforeAll(async () => {
      for (const l of LINES) speech.push(await synthesizeMulaw(l));
      prompts = createVoicePrompts({ tts: toneTts(), fallbackTts: createLocalTts(), log });
      await prompts.warm();
      db = await createTestDb(kind);
      await seedDemo(db.db, { adminPassword: "demo-password-123", passwordCost: TEST_PASSWORD_COST });
      double = startOpenAiDouble({ apiKey: "sk-test-double" });
    }, 240_000);
    afterAll(async () => {
      await double?.close();
      await db?.destroy();
    });

    for (const [name, arrange, why] of [
      ["STT answers HTTP 500", (d: TOpenAiDouble) => (d.transcripts = [{ status: 500 }]), "stt error"],
      ["LLM answers HTTP 500", (d: TOpenAiDouble) => ((d.transcripts = [LINES[0]!]), (d.chat = [{ status: 500 }])), "agent error"],
      ["LLM does not answer", (d: TOpenAiDouble) => ((d.transcripts = [LINES[0]!]), (d.chat = [{ text: "מאוחר מדי.", delayMs: 20_000 }])), "timeout"],
    ] as const) {
      test(`${name} → apology frames before the caller's next line; call and transcript stored`, async () => {
        arrange(double);
        const providers = createProviders({
          config: { providers: { stt: "openai", llm: "openai", tts: "local" }, openai: { apiKey: "sk-test-double", baseUrl: double.baseURL }, google: { credentials: undefined, ttsEndpoint: undefined } },
          db: db.db,
          events: createEventBus(),
          log,
        });
        expect(providers.describe()).toContain("stt=openai");
        const callSid = `CA${crypto.randomUUID().replace(/-/g, "")}`;
        const reg = await registerIncomingCall(db.db, { callSid, from: "+972541230777", to: null });
        // No fallback agent: the provider failure itself must produce audio (the apology).
        const clock = createVirtualClock({ auto: true, speed: 10 });
        const r = sessionRig({
          clock,
          db: db.db,
          log,
          prompts,
          providers: { stt: providers.stt, tts: toneTts({ clock }), agent: providers.agent },
          params: { callSid, callId: reg.callId, businessId: reg.business.id, caller: "+972541230777" },
          script: LINES,
        });
        try {
          await r.phone.waitFor(() => r.played() >= 1 && !r.phone.kesherSpeaking, 15_000, "greeting played");
          const startsBefore = r.events.filter((e) => e.type === "kesher-start").length;
          await r.phone.say(speech[0]!);
          // The caller pauses, then speaks again whether or not anything was heard.
          const spoke = clock.now();
          await r.phone.waitFor(() => r.events.filter((e) => e.type === "kesher-start").length > startsBefore || clock.now() - spoke >= CALLER_PAUSE_MS, CALLER_PAUSE_MS + 1000, "caller pause");
          // Fallback audio (the apology, or the "one moment" filler for a slow LLM) began within the pause.
          expect(r.events.filter((e) => e.type === "kesher-start").length > startsBefore).toBe(true);
          await r.phone.waitFor(() => r.events.some((e) => e.type === "sentence" && e.text === APOLOGY_TEXT), 15_000, "apology sentence");
          // A polite caller lets it finish, then speaks again: the call goes on.
          await r.phone.waitFor(() => !r.phone.kesherSpeaking, 15_000, "apology played");
          await r.phone.say(speech[1]!);
          await clock.sleep(300);
        } finally {
          await r.finish();
          clock.stop();
        }
        const turns = await db.db.select().from(conversationTurns).where(eq(conversationTurns.callId, reg.callId)).orderBy(asc(conversationTurns.seq));
        const apology = turns.find((t) => t.speaker === "assistant" && t.text === APOLOGY_TEXT);
        expect(apology).toBeDefined();
        // Why the apology played: the STT error itself; for the LLM the agent stage may end the reply empty.
        if (why === "stt error") expect(apology!.metrics?.fallback).toBe(why);
        else expect(["agent error", "llm error", "empty reply", "timeout"]).toContain(apology!.metrics?.fallback ?? "");
        if (why !== "stt error") expect(turns.some((t) => t.speaker === "caller" && t.text === LINES[0])).toBe(true);
        const [row] = await db.db.select().from(callLogs).where(eq(callLogs.id, reg.callId));
        expect(row!.status).toBe("completed");
        expect(double.requests.some((q) => q.path === (why === "stt error" ? "/v1/audio/transcriptions" : "/v1/chat/completions"))).toBe(true);
      }, 45_000);
    }
  });
}
