/**
 * Graceful drain of the real entry point (api/main.ts, as `npm start` and Fly
 * run it): on SIGTERM the server stops taking new connections, a live call
 * keeps talking until the caller hangs up, then the process flushes the
 * call's persistence and exits 0. The stored call is complete.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { asc, eq } from "drizzle-orm";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDb } from "../../db/client";
import { callLogs, conversationTurns } from "../../db/schema";
import { synthesizeMulaw } from "../../realtime/providers/tts/local";
import { createSimPhone, type TSimEvent } from "../../realtime/tools/sim-phone";

const LINE = "שלום, אני מחפש דירה בחולון.";
let proc: ReturnType<typeof Bun.spawn>;
let base = "";
let dataDir = "";
let output = "";

async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, pred: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pred() && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    output += new TextDecoder().decode(value);
  }
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "kesher-drain-"));
  proc = Bun.spawn([process.execPath, "api/main.ts"], {
    cwd: join(import.meta.dir, "..", ".."),
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, DATABASE_URL: "", NODE_ENV: "development", LOG_LEVEL: "info", DRAIN_TIMEOUT_S: "40", STT_PROVIDER: "local", LLM_PROVIDER: "local", TTS_PROVIDER: "local", OPENAI_API_KEY: "", GOOGLE_APPLICATION_CREDENTIALS: "" },
    stdout: "pipe",
    stderr: "pipe",
  });
  const reader = (proc.stdout as ReadableStream<Uint8Array>).getReader();
  await readUntil(reader, () => /"port":(\d+)[^\n]*kesher listening/.test(output), 30_000);
  const m = /"port":(\d+)[^\n]*kesher listening/.exec(output);
  if (!m) throw new Error(`server did not start:\n${output}`);
  base = `http://127.0.0.1:${m[1]}`;
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      output += new TextDecoder().decode(value);
    }
  })();
}, 40_000);

afterAll(() => {
  if (proc && proc.exitCode === null) proc.kill("SIGKILL");
});

describe("graceful drain (api/main.ts)", () => {
  test("SIGTERM: no new connections, the live call finishes its turn, then persistence is flushed and the process exits 0", async () => {
    const speech = await synthesizeMulaw(LINE);
    const callSid = `CA${crypto.randomUUID().replace(/-/g, "")}`;
    const ws = new WebSocket(`${base.replace("http", "ws")}/ws/twilio-media`);
    await new Promise<void>((resolve, reject) => {
      ws.onopen = () => resolve();
      ws.onerror = () => reject(new Error("media stream upgrade failed"));
    });
    const events: TSimEvent[] = [];
    const phone = createSimPhone({ send: (t) => ws.readyState === WebSocket.OPEN && ws.send(t), callSid, onEvent: (e) => events.push(e) });
    ws.onmessage = (m) => phone.receive(String(m.data));
    phone.start({ callSid, caller: "+972541239999", simScript: JSON.stringify([LINE]) });
    const played = () => events.filter((e) => e.type === "kesher-end").length;
    // The greeting (re-synthesised for the business on the first call) has fully played.
    await phone.waitFor(() => played() >= 1 && !phone.kesherSpeaking && phone.kesherSilentForMs > 1500, 30_000, "greeting played");

    proc.kill("SIGTERM");
    const t0 = Date.now();
    while (!output.includes("draining") && Date.now() - t0 < 5000) await Bun.sleep(20);
    expect(output).toContain("draining");
    // No new connections while draining (new calls go to other instances).
    await Bun.sleep(200);
    const refused = await fetch(`${base}/health`, { signal: AbortSignal.timeout(3000) }).then(
      () => false,
      () => true,
    );
    expect(refused).toBe(true);

    // The live call goes on: the caller speaks and is answered.
    const sentencesBefore = events.filter((e) => e.type === "sentence").length;
    await phone.say(speech);
    await phone.waitFor(() => events.filter((e) => e.type === "sentence").length > sentencesBefore && !phone.kesherSpeaking, 20_000, "reply during the drain");
    expect(proc.exitCode).toBeNull();

    // The caller hangs up: Twilio sends stop and closes the socket.
    phone.stop();
    ws.close();
    const code = await Promise.race([proc.exited, Bun.sleep(20_000).then(() => "timeout")]);
    expect(code).toBe(0);
    expect(output).toContain("shutdown complete");

    const h = await createDb({ dataDir: join(dataDir, "pglite") });
    try {
      const [row] = await h.db.select().from(callLogs).where(eq(callLogs.callSid, callSid));
      expect(row).toBeDefined();
      expect(row!.status).toBe("completed");
      expect(row!.endedAt).toBeInstanceOf(Date);
      const turns = await h.db.select().from(conversationTurns).where(eq(conversationTurns.callId, row!.id)).orderBy(asc(conversationTurns.seq));
      expect(turns.map((t) => t.speaker)).toEqual(["assistant", "caller", "assistant"]);
      expect(turns[2]!.interrupted).toBe(false);
      expect(turns[1]!.text).toBe(LINE);
    } finally {
      await h.close();
    }
  }, 90_000);
});
