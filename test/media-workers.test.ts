/**
 * MEDIA_WORKERS=2 (#18 "use every core"): the real entry (`bun api/main.ts`)
 * starts a second worker on the same PORT (`Bun.serve({ reusePort: true })`).
 * Calls are placed as Twilio places them — the signed voice webhook, then a
 * signed media-stream upgrade carrying the webhook's one-time token — each on
 * a new connection, so the kernel spreads them across the two listening
 * sockets. Every call gets its greeting; each call's stream is admitted by
 * exactly one worker (its log lines say which); both workers serve some; the
 * webhook and the stream may land in different workers (the token claim goes
 * through PostgreSQL). A SIGTERM to worker 0 stops both.
 *
 * PostgreSQL only, by nature (workers cannot share an embedded PGlite);
 * skipped with a message when DATABASE_URL is unset. No timing assertions.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, openSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError, loadEnv } from "../env";
import { workerIndexOf } from "../api/runtime/media-workers";
import { signedTwilioPost } from "./helpers/app";
import { createTestDb, type TTestDb } from "./helpers/db";
import { freePort } from "./helpers/free-port";
import { openSignedStream } from "./helpers/signed-stream";
import { waitFor } from "./helpers/wait-for";

const base = process.env.DATABASE_URL;
if (!base) console.log("[media-workers] skipped: DATABASE_URL is not set (two worker processes need a shared PostgreSQL)");
const root = join(import.meta.dir, "..");
const TOKEN = "media_workers_auth_token_0123456789";
const CALLS = 16;

interface TLogLine {
  msg?: string;
  mediaWorker?: number;
  callSid?: string;
}

describe("MEDIA_WORKERS configuration", () => {
  const pg = "postgres://postgres@127.0.0.1:5432/x";
  test("default 1; more than 1 needs PostgreSQL and a fixed port", () => {
    expect(loadEnv({}).mediaWorkers).toBe(1);
    expect(loadEnv({ MEDIA_WORKERS: "2", DATABASE_URL: pg }).mediaWorkers).toBe(2);
    expect(() => loadEnv({ MEDIA_WORKERS: "2" })).toThrow(ConfigError);
    expect(() => loadEnv({ MEDIA_WORKERS: "2", DATABASE_URL: pg, PORT: "0" })).toThrow(ConfigError);
    expect(() => loadEnv({ MEDIA_WORKERS: "0", DATABASE_URL: pg })).toThrow(ConfigError);
  });
  test("a spawned worker knows its index from its command line; the entry process is 0", () => {
    expect(workerIndexOf(["bun", "api/main.ts"])).toBe(0);
    expect(workerIndexOf(["bun", "api/main.ts", "--media-worker=3"])).toBe(3);
    expect(workerIndexOf(["bun", "api/main.ts", "--media-worker=x"])).toBe(0);
  });
});

describe.skipIf(!base)("MEDIA_WORKERS=2: two workers on one port", () => {
  let db: TTestDb;
  let proc: ReturnType<typeof Bun.spawn>;
  let url: string;
  const logFile = join(mkdtempSync(join(tmpdir(), "kesher-workers-")), "server.log");
  const logLines = (): TLogLine[] =>
    readFileSync(logFile, "utf8")
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as TLogLine);

  beforeAll(async () => {
    db = await createTestDb("postgres", { seeded: true });
    const port = freePort();
    url = `http://127.0.0.1:${port}`;
    const out = openSync(logFile, "a");
    proc = Bun.spawn([process.execPath, "api/main.ts"], {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: "test",
        LOG_LEVEL: "info",
        PORT: String(port),
        HOST: "127.0.0.1",
        DATA_DIR: mkdtempSync(join(tmpdir(), "kesher-workers-data-")),
        DATABASE_URL: db.url!,
        PUBLIC_BASE_URL: url,
        SESSION_SECRET: "media-workers-session-secret-0123456789",
        TWILIO_AUTH_TOKEN: TOKEN,
        // No speech recognition key: the local simulator STT (streams are offered only with it on).
        VOICE_SIMULATOR: "on",
        VOICE_ENGINE: "pipeline",
        TTS_PROVIDER: "local",
        MEDIA_WORKERS: "2",
      },
      stdout: out,
      stderr: out,
    });
    await waitFor(() => logLines().filter((l) => l.msg === "kesher listening").length === 2, "both workers listening", 120_000, 200);
  }, 180_000);

  afterAll(async () => {
    if (proc && proc.exitCode === null) {
      proc.kill("SIGKILL");
      await proc.exited;
    }
    await db?.destroy();
  });

  const placeCall = async (i: number) => {
    const callSid = `CA${crypto.randomUUID().replaceAll("-", "")}`;
    const params = { AccountSid: "AC00000000000000000000000000000000", CallSid: callSid, From: `+9725411100${String(i).padStart(2, "0")}`, To: "+97235550100", CallStatus: "ringing", Direction: "inbound" };
    const res = await fetch(signedTwilioPost(`${url}/twilio/voice`, params, { token: TOKEN }));
    expect(res.status).toBe(200);
    const twiml = await res.text();
    const streamUrl = /<Stream url="([^"]+)"/.exec(twiml)?.[1];
    expect(streamUrl).toBeDefined();
    const customParameters = Object.fromEntries([...twiml.matchAll(/<Parameter name="([^"]+)" value="([^"]*)"\/>/g)].map((m) => [m[1]!, m[2]!.replaceAll("&amp;", "&")]));
    expect(customParameters.streamToken).toBeDefined();

    const ws = await openSignedStream(streamUrl!, { token: TOKEN });
    const got: string[] = [];
    ws.onmessage = (e) => got.push(String(e.data));
    const streamSid = `MZ${crypto.randomUUID().replaceAll("-", "")}`;
    ws.send(JSON.stringify({ event: "connected", protocol: "Call", version: "1.0.0" }));
    ws.send(JSON.stringify({ event: "start", sequenceNumber: "1", streamSid, start: { streamSid, callSid, accountSid: params.AccountSid, tracks: ["inbound"], customParameters, mediaFormat: { encoding: "audio/x-mulaw", sampleRate: 8000, channels: 1 } } }));
    await waitFor(() => got.some((m) => m.includes('"event":"media"')), `greeting of call ${i}`, 60_000, 20);
    ws.send(JSON.stringify({ event: "stop", sequenceNumber: "2", streamSid, stop: { callSid } }));
    ws.close();
    return callSid;
  };

  test(`${CALLS} calls: each greeted, each stream admitted by one worker, both workers serve some`, async () => {
    const callSids: string[] = [];
    for (let i = 0; i < CALLS; i++) callSids.push(await placeCall(i));

    const admitted = await waitFor(() => {
      const lines = logLines().filter((l) => l.msg === "media stream admitted" && l.callSid && callSids.includes(l.callSid));
      return lines.length === CALLS ? lines : null;
    }, "every stream admitted", 30_000, 100);
    expect(new Set(admitted.map((l) => l.callSid)).size).toBe(CALLS);
    const byWorker = new Map<number, number>();
    for (const l of admitted) byWorker.set(l.mediaWorker!, (byWorker.get(l.mediaWorker!) ?? 0) + 1);
    expect([...byWorker.keys()].sort()).toEqual([0, 1]);
  }, 300_000);

  test("SIGTERM to worker 0 drains and stops both workers", async () => {
    proc.kill("SIGTERM");
    expect(await proc.exited).toBe(0);
    const done = logLines().filter((l) => l.msg === "shutdown complete").map((l) => l.mediaWorker);
    expect(done.sort()).toEqual([0, 1]);
    // Nobody listens on the port any more.
    expect(await fetch(`${url}/health`).then(() => "answered", () => "refused")).toBe("refused");
  }, 300_000);
});
