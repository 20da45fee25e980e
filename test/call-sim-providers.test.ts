/**
 * The same call-sim run as test/call-sim.test.ts, but with keys: the server's
 * STT and LLM go through the real `openai` SDK to the local OpenAI double,
 * and TTS through the real `@google-cloud/text-to-speech` client to the
 * Google double. Proves the media path works with the vendor SDKs (speech
 * audio uploaded as a file, streamed chat, MULAW with its WAV header stripped).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { asc, eq } from "drizzle-orm";
import { join } from "node:path";
import { createDb } from "../db/client";
import { callLogs, conversationTurns } from "../db/schema";
import { FILLER_TEXT } from "../core/conversation/voice-prompts";
import { runCallSim, type TCallSimResult } from "../realtime/tools/call-sim";
import { startGoogleTtsDouble, type TGoogleTtsDouble } from "./doubles/google-tts-double";
import { startOpenAiDouble, type TOpenAiDouble } from "./doubles/openai-double";
import { DB_KINDS } from "./helpers/db";
import { startEachKind } from "./helpers/each-kind";
import { startTestServer, type TTestServer } from "./helpers/server";

const SCRIPT = ["שלום, אני מחפש לקנות דירה ברמת גן.", "ארבעה חדרים בבקשה."];
const REPLIES = ["בשמחה. כמה חדרים אתם מחפשים?", "מצוין, אבדוק מה יש לנו ואחזור אליכם."];

interface TKeysRun {
  openai: TOpenAiDouble;
  google: TGoogleTtsDouble;
  server: TTestServer;
  result: TCallSimResult;
}

// Both databases' runs at once: the calls are paced in real time, so most of each is waiting.
const keysRuns = startEachKind(DB_KINDS, async (kind): Promise<TKeysRun> => {
  const openai = startOpenAiDouble({ apiKey: "sk-test-double" });
  openai.transcripts = [...SCRIPT];
  openai.chat = REPLIES.map((text) => ({ text, delayMs: 50, chunkDelayMs: 5 }));
  const google = startGoogleTtsDouble();
  let server: TTestServer | undefined;
  try {
    server = await startTestServer({
      db: kind,
      name: "kesher-sim-keys",
      waitForOutput: "voice prompts ready",
      env: { DRAIN_TIMEOUT_S: "5", OPENAI_API_KEY: "sk-test-double", OPENAI_BASE_URL: openai.baseURL, GOOGLE_TTS_ENDPOINT: google.endpoint, GOOGLE_APPLICATION_CREDENTIALS: "" },
    });
    const result = await runCallSim({ baseUrl: server.base, authToken: server.twilioAuthToken(), script: SCRIPT, from: kind === "pglite" ? "+972547770003" : "+972547770004" });
    // SIGTERM flushes every call's persistence before exit (and frees PGlite's data folder).
    await server.kill("SIGTERM");
    return { openai, google, server, result };
  } catch (err) {
    await server?.stop();
    await openai.close();
    await google.close();
    throw err;
  }
});

for (const kind of DB_KINDS) {
  describe(`call-sim through the real OpenAI and Google SDKs (doubles on 127.0.0.1, ${kind})`, () => {
    let openai: TOpenAiDouble;
    let google: TGoogleTtsDouble;
    let server: TTestServer;
    let result: TCallSimResult;

    beforeAll(async () => {
      ({ openai, google, server, result } = await keysRuns(kind));
    }, 420_000);

    afterAll(async () => {
      await server?.stop();
      await openai?.close();
      await google?.close();
    }, 30_000);

    test("speech went to /audio/transcriptions as audio files, replies were streamed from /chat/completions", () => {
      const stt = openai.requests.filter((r) => r.path.endsWith("/audio/transcriptions"));
      expect(stt.length).toBeGreaterThanOrEqual(SCRIPT.length);
      const chat = openai.requests.filter((r) => r.path.endsWith("/chat/completions"));
      expect(chat.length).toBeGreaterThanOrEqual(SCRIPT.length);
      expect((chat[0]!.body as { stream?: boolean }).stream).toBe(true);
      const lastUser = (chat[0]!.body as { messages: { role: string; content?: unknown }[] }).messages.filter((m) => m.role === "user").pop();
      expect(String(lastUser?.content)).toContain("רמת גן");
    });

    test("every spoken sentence was synthesised by Google as MULAW 8 kHz and the caller heard the replies", () => {
      const texts = google.requests.map((r) => r.text);
      for (const r of REPLIES) for (const s of r.split(/(?<=[.?])\s+/)) expect(texts).toContain(s);
      expect(google.requests.every((r) => r.audioEncoding === "MULAW" && r.sampleRateHertz === 8000)).toBe(true);
      // A reply slower than 1.4 s (a loaded machine) is preceded by the spoken filler, as it should be; the reply follows.
      expect(result.turns.map((t) => t.kesher.filter((s, i) => !(i === 0 && s === FILLER_TEXT)).join(" "))).toEqual(REPLIES);
    });

    test("turns are stored with the transcripts and the model's replies", async () => {
      const h = await createDb(server.databaseUrl ? { databaseUrl: server.databaseUrl } : { dataDir: join(server.dataDir, "pglite") });
      try {
        const [call] = await h.db.select().from(callLogs).where(eq(callLogs.callSid, result.callSid));
        const turns = await h.db.select().from(conversationTurns).where(eq(conversationTurns.callId, call!.id)).orderBy(asc(conversationTurns.seq));
        expect(turns.filter((t) => t.speaker === "caller").map((t) => t.text)).toEqual(SCRIPT);
        expect(turns.filter((t) => t.speaker === "assistant").map((t) => t.text).slice(1)).toEqual(REPLIES);
        const m = turns.find((t) => t.speaker === "assistant" && t.text === REPLIES[0])!.metrics!;
        expect(m.sttMs).toBeGreaterThanOrEqual(0);
        expect(m.ttsFirstByteMs).toBeGreaterThanOrEqual(0);
      } finally {
        await h.close();
      }
    });
  });
}
