/**
 * The same call-sim run as test/call-sim.test.ts, but with keys: the server's
 * STT and LLM go through the real `openai` SDK to the local OpenAI double,
 * and TTS through the real `@google-cloud/text-to-speech` client to the
 * Google double. Proves the media path works with the vendor SDKs (speech
 * audio uploaded as a file, streamed chat, MULAW with its WAV header stripped).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { asc, eq } from "drizzle-orm";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb } from "../db/client";
import { callLogs, conversationTurns } from "../db/schema";
import { runCallSim, type TCallSimResult } from "../realtime/tools/call-sim";
import { startGoogleTtsDouble, type TGoogleTtsDouble } from "./doubles/google-tts-double";
import { startOpenAiDouble, type TOpenAiDouble } from "./doubles/openai-double";

const SCRIPT = ["שלום, אני מחפש לקנות דירה ברמת גן.", "ארבעה חדרים בבקשה."];
const REPLIES = ["בשמחה. כמה חדרים אתם מחפשים?", "מצוין, אבדוק מה יש לנו ואחזור אליכם."];

describe("call-sim through the real OpenAI and Google SDKs (doubles on 127.0.0.1)", () => {
  let openai: TOpenAiDouble;
  let google: TGoogleTtsDouble;
  let proc: ReturnType<typeof Bun.spawn>;
  let dataDir = "";
  let result: TCallSimResult;

  beforeAll(async () => {
    openai = startOpenAiDouble({ apiKey: "sk-test-double" });
    openai.transcripts = [...SCRIPT];
    openai.chat = REPLIES.map((text) => ({ text, delayMs: 50, chunkDelayMs: 5 }));
    google = startGoogleTtsDouble();
    dataDir = mkdtempSync(join(tmpdir(), "kesher-sim-keys-"));
    proc = Bun.spawn([process.execPath, "api/main.ts"], {
      cwd: join(import.meta.dir, ".."),
      env: {
        ...process.env,
        PORT: "0",
        DATA_DIR: dataDir,
        DATABASE_URL: "",
        NODE_ENV: "development",
        LOG_LEVEL: "info",
        DRAIN_TIMEOUT_S: "5",
        OPENAI_API_KEY: "sk-test-double",
        OPENAI_BASE_URL: openai.baseURL,
        GOOGLE_TTS_ENDPOINT: google.endpoint,
        GOOGLE_APPLICATION_CREDENTIALS: "",
      },
      stdout: "pipe",
      stderr: "pipe",
    });
    let out = "";
    let base = "";
    const reader = (proc.stdout as ReadableStream<Uint8Array>).getReader();
    const deadline = Date.now() + 60_000;
    while (!(base && out.includes("voice prompts ready")) && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      out += new TextDecoder().decode(value);
      const m = /"port":(\d+)[^\n]*kesher listening/.exec(out);
      if (m) base = `http://127.0.0.1:${m[1]}`;
    }
    void (async () => {
      for (;;) if ((await reader.read()).done) break;
    })();
    if (!base) throw new Error(`server did not start:\n${out}`);
    const { twilioAuthToken } = JSON.parse(readFileSync(join(dataDir, "secrets.json"), "utf8")) as { twilioAuthToken: string };
    result = await runCallSim({ baseUrl: base, authToken: twilioAuthToken, script: SCRIPT, from: "+972547770003" });
    proc.kill("SIGTERM");
    await proc.exited;
  }, 180_000);

  afterAll(async () => {
    proc?.kill();
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
    expect(result.turns.map((t) => t.kesher.join(" "))).toEqual(REPLIES);
  });

  test("turns are stored with the transcripts and the model's replies", async () => {
    const h = await createDb({ dataDir: join(dataDir, "pglite") });
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
