/**
 * Two real server processes (`bun api/main.ts`) on one PostgreSQL database,
 * as two Fly machines run: a call answered by A shows up live on B's
 * dashboard subscription; a due task reminder fires exactly once; six wrong
 * passwords alternating between them are throttled as six on one; the stored
 * WhatsApp session is open on exactly one of them; the instance working a
 * post-call job (a recording transcription held mid-request by the OpenAI
 * double) is SIGKILLed and the other one finishes the job; the WhatsApp
 * session is taken over by a live instance after its owner dies.
 *
 * PostgreSQL only, by nature (two processes cannot share an embedded PGlite);
 * skipped with a message when DATABASE_URL is unset. The Baileys socket is
 * the local double, plugged in with WHATSAPP_SOCKET_DOUBLE=on (refused in
 * production).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { mkdtempSync, openSync } from "node:fs";
import postgres from "postgres";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createKesherClient, type TKesherClient } from "../../api/client";
import { bridgeEventsToPostgres, createEventBus, type TKesherEvent } from "../../core/kernel/events";
import { useDbAuthState } from "../../api/whatsapp/baileys/db-auth-state";
import { callLogs, conversationTurns, tasks } from "../../db/schema";
import { DEMO_ADMIN_EMAIL, seedDemo } from "../../db/seed/seed-demo";
import { pcm16ToWav } from "../../core/conversation/audio/wav";
import { startOpenAiDouble, type TOpenAiDouble } from "../doubles/openai-double";
import { startTwilioRestDouble, type TTwilioRestDouble } from "../doubles/twilio-rest";
import { signedTwilioPost } from "../helpers/app";
import { createTestDb, rowsOf, type TTestDb, TEST_PASSWORD_COST } from "../helpers/db";
import { freePort } from "../helpers/free-port";
import { waitFor } from "../helpers/wait-for";
import { sql } from "drizzle-orm";

const base = process.env.DATABASE_URL;
if (!base) console.log("[two-instances] skipped: DATABASE_URL is not set (two server processes need a shared PostgreSQL)");
const root = join(import.meta.dir, "..", "..");
const TOKEN = "two_instances_auth_token_0123456789";
const PASSWORD = "demo-password-123";

interface TInstance {
  name: string;
  key: string;
  port: number;
  url: string;
  proc: ReturnType<typeof Bun.spawn>;
  client: TKesherClient;
}

describe.skipIf(!base)("two instances on one PostgreSQL", () => {
  let db: TTestDb;
  let businessId: string;
  let twilio: TTwilioRestDouble;
  let oa: TOpenAiDouble;
  const instances: TInstance[] = [];
  const logDir = mkdtempSync(join(tmpdir(), "kesher-two-"));
  let releaseHeld!: () => void;

  const start = async (name: string): Promise<TInstance> => {
    const port = freePort();
    const url = `http://127.0.0.1:${port}`;
    const key = `sk-${name}`;
    const out = openSync(join(logDir, `${name}.log`), "a");
    const proc = Bun.spawn([process.execPath, "test/helpers/serve-with-doubles.ts"], {
      cwd: root,
      env: {
        ...process.env,
        NODE_ENV: "test",
        LOG_LEVEL: "warn",
        PORT: String(port),
        HOST: "127.0.0.1",
        DATA_DIR: mkdtempSync(join(tmpdir(), `kesher-${name}-`)),
        DATABASE_URL: db.url!,
        PUBLIC_BASE_URL: url,
        SESSION_SECRET: "two-instances-session-secret-0123456789",
        TWILIO_AUTH_TOKEN: TOKEN,
        TWILIO_ACCOUNT_SID: twilio.accountSid,
        TWILIO_API_BASE_URL: twilio.baseUrl,
        OPENAI_API_KEY: key,
        OPENAI_BASE_URL: oa.baseURL,
        TTS_PROVIDER: "local",
        JOBS_TICK_S: "1",
        WHATSAPP_SOCKET_DOUBLE: "on",
      },
      stdout: out,
      stderr: out,
    });
    await waitFor(async () => (await fetch(`${url}/health`).catch(() => null))?.ok, `${name} /health`, 120_000, 200);
    const client = createKesherClient(`${url}/trpc`);
    // A just-started process on a busy machine may still be opening its pool: retry the login briefly.
    await waitFor(() => client.auth.login.mutate({ email: DEMO_ADMIN_EMAIL, password: PASSWORD }).then(() => true, () => false), `${name} login`, 60_000, 500);
    const inst = { name, key, port, url, proc, client };
    instances.push(inst);
    return inst;
  };
  const kill = async (i: TInstance) => {
    i.proc.kill("SIGKILL");
    await i.proc.exited;
  };
  const waState = async (i: TInstance) => (await i.client.conversations.connection.query()).state;

  beforeAll(async () => {
    db = await createTestDb("postgres");
    businessId = (await seedDemo(db.db, { adminPassword: PASSWORD, passwordCost: TEST_PASSWORD_COST })).businessId!;
    // A paired WhatsApp session is stored, as after a QR login.
    const store = await useDbAuthState(db.db, businessId);
    store.state.creds.me = { id: "97235550100:7@s.whatsapp.net", name: "שי דירות" };
    await store.saveCreds();
    await store.flush();
    twilio = await startTwilioRestDouble({ authToken: TOKEN });
    oa = startOpenAiDouble();
    await Promise.all([start("a"), start("b")]);
  }, 300_000);

  afterAll(async () => {
    releaseHeld?.();
    for (const i of instances) {
      i.proc.kill("SIGKILL");
      await i.proc.exited;
    }
    await oa?.close();
    await twilio?.close();
    await db?.destroy();
  });

  test("the stored WhatsApp session is open on exactly one instance", async () => {
    const [a, b] = instances;
    await waitFor(async () => (await waState(a!)) === "open" || (await waState(b!)) === "open", "one owner", 60_000, 200);
    const states = [await waState(a!), await waState(b!)];
    expect(states.filter((s) => s === "open")).toEqual(["open"]);
    expect(states.filter((s) => s !== "open")).toEqual(["idle"]);
  }, 90_000);

  test("a call answered by A appears live on B's dashboard subscription; a due reminder fires once", async () => {
    const [a, b] = instances;
    const events: TKesherEvent[] = [];
    let started!: () => void;
    const ready = new Promise<void>((r) => (started = r));
    const sub = b!.client.notifications.onEvent.subscribe(undefined, { onStarted: () => started(), onData: (e) => events.push(e) });
    const probePg = postgres(db.url!, { max: 1, onnotice: () => {} });
    const probeBus = await bridgeEventsToPostgres(createEventBus(), probePg);
    try {
      await ready;
      // The SSE stream is open before the server has subscribed to its bus: wait until a probe event gets through.
      let n = 0;
      await waitFor(() => {
        probeBus.publish({ type: "call.updated", businessId, callId: `probe-${++n}`, status: "probe" });
        return events.some((e) => e.type === "call.updated" && e.status === "probe");
      }, "B's subscription live", 30_000, 200);
      const callSid = `CA${crypto.randomUUID().replaceAll("-", "")}`;
      const params = { AccountSid: twilio.accountSid, CallSid: callSid, From: "+972541112299", To: "+97235550100", CallStatus: "ringing", Direction: "inbound" };
      const res = await fetch(signedTwilioPost(`${a!.url}/twilio/voice`, params, { token: TOKEN }));
      expect(res.status).toBe(200);
      const ev = await waitFor(() => events.find((e) => e.type === "call.started" && e.callSid === callSid), "call.started on B", 60_000, 50);
      expect(ev).toMatchObject({ businessId, from: "+972541112299" });

      const [task] = await db.db
        .insert(tasks)
        .values({ businessId, title: "להתקשר לדני בחזרה", remindAt: new Date(Date.now() - 60_000), dueAt: new Date(Date.now() + 3_600_000) })
        .returning({ id: tasks.id });
      const reminders = () => events.filter((e) => e.type === "task.reminder" && e.taskId === task!.id).length;
      await waitFor(() => reminders() >= 1, "the reminder on B", 30_000, 50);
      // Both instances keep ticking: several more reminder ticks complete, and the reminder is not repeated.
      const ticks = async () => Number(rowsOf<{ n: number }>(await db.db.execute(sql`select count(*)::int as n from pgboss.job where name = 'task-reminders' and state = 'completed'`))[0]?.n ?? 0);
      const now = await ticks();
      await waitFor(async () => (await ticks()) >= now + 3, "three more ticks", 30_000, 100);
      expect(reminders()).toBe(1);
    } finally {
      sub.unsubscribe();
      await probeBus.close();
      await probePg.end({ timeout: 1 });
    }
  }, 120_000);

  test("six wrong passwords alternating between A and B are throttled like six on one (the limiter lives in PostgreSQL)", async () => {
    const [a, b] = instances;
    const outcomes: string[] = [];
    for (let i = 0; i < 6; i++) {
      const via = i % 2 ? b! : a!;
      const c = createKesherClient(`${via.url}/trpc`);
      outcomes.push(
        await c.auth.login.mutate({ email: "intruder-target@example.com", password: `wrong-password-${i}` }).then(
          () => "ok",
          (err: { data?: { code?: string } }) => err.data?.code ?? "error",
        ),
      );
    }
    expect(outcomes).toEqual(["UNAUTHORIZED", "UNAUTHORIZED", "UNAUTHORIZED", "UNAUTHORIZED", "UNAUTHORIZED", "TOO_MANY_REQUESTS"]);
  }, 60_000);

  test("the instance working a post-call job is SIGKILLed; the other finishes it; WhatsApp ends up owned by a live instance", async () => {
    const [a, b] = instances;
    const callSid = `CA${crypto.randomUUID().replaceAll("-", "")}`;
    const voice = await fetch(signedTwilioPost(`${a!.url}/twilio/voice`, { AccountSid: twilio.accountSid, CallSid: callSid, From: "+972541112288", To: "+97235550100", CallStatus: "ringing", Direction: "inbound" }, { token: TOKEN }));
    expect(voice.status).toBe(200);
    const [call] = await db.db.select({ id: callLogs.id }).from(callLogs).where(eq(callLogs.callSid, callSid));
    // The first transcription request hangs (a slow upstream); the retry gets the words.
    oa.transcripts.push({ hold: new Promise<void>((r) => (releaseHeld = r)), text: "לא אמור להישמר" }, "שלום, אני מחפש דירת ארבעה חדרים בחיפה");
    // Three seconds: the STT quality filter rejects a transcript too long for its audio.
    const rec = twilio.addRecording(pcm16ToWav(new Int16Array(24_000).map((_, i) => Math.round(Math.sin(i / 5) * 4000)), 8000));
    const hook = await fetch(signedTwilioPost(`${a!.url}/twilio/recording`, { AccountSid: twilio.accountSid, CallSid: callSid, RecordingSid: rec.sid, RecordingUrl: rec.url, RecordingStatus: "completed", RecordingDuration: "1" }, { token: TOKEN }));
    expect(hook.status).toBe(204);

    const held = await waitFor(() => oa.requests.find((r) => r.path === "/v1/audio/transcriptions"), "the transcription in flight", 60_000, 50);
    const worker = instances.find((i) => held.headers.authorization === `Bearer ${i.key}`)!;
    const survivor = worker === a ? b! : a!;
    const ownerBefore = (await waState(a!)) === "open" ? a! : b!;
    await kill(worker);

    const jobRows = async () => rowsOf(await db.db.execute(sql`select state, retry_count, heartbeat_on, started_on, output from pgboss.job where name = 'recording-transcription'`));
    const turn = await waitFor(
      async () => (await db.db.select().from(conversationTurns).where(and(eq(conversationTurns.callId, call!.id), eq(conversationTurns.speaker, "caller"))))[0],
      "the transcript written by the surviving instance",
      90_000,
      200,
    ).catch(async (err: unknown) => {
      throw new Error(`${String(err)}; worker ${worker.name}; jobs ${JSON.stringify(await jobRows())}; transcription requests ${oa.requests.filter((r) => r.path === "/v1/audio/transcriptions").length}`);
    });
    expect(turn.text).toBe("שלום, אני מחפש דירת ארבעה חדרים בחיפה");
    const retry = oa.requests.filter((r) => r.path === "/v1/audio/transcriptions").at(-1)!;
    expect(retry.headers.authorization).toBe(`Bearer ${survivor.key}`);
    releaseHeld();

    // WhatsApp: if the killed instance owned the session, the survivor takes it over; otherwise a new
    // instance starts, the owner (the survivor) is killed, and the new one takes it over.
    let heir = survivor;
    if (ownerBefore === survivor) {
      heir = await start("c");
      expect(await waState(heir)).not.toBe("open");
      await kill(survivor);
    }
    // The bound: a standby takes a dead owner's session over within ~30 s (the advisory lock dies with the connection;
    // waitFor counts 30 s the test process was awake, so a stalled CI host cannot fail it early).
    const t0 = Date.now();
    await waitFor(async () => (await waState(heir)) === "open", "WhatsApp taken over", 30_000, 200);
    const takeoverMs = Date.now() - t0;
    console.log(`[two-instances] WhatsApp session taken over ${(takeoverMs / 1000).toFixed(1)} s after its owner was SIGKILLed`);
  }, 300_000);
});
