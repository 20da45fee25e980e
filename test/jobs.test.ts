/**
 * Background jobs on pg-boss, on PGlite and PostgreSQL: one key is one job,
 * a failing recording download is retried and then transcribed, a job that
 * keeps failing is dead-lettered with its reason, listed for the admin and
 * retried from tRPC; periodic ticks run with two engines on one database and
 * still remind once; due payment links expire.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq, sql } from "drizzle-orm";
import OpenAI from "openai";
import { createJobs, jobIdFor, type TJobs } from "../api/jobs/create-jobs";
import { registerJobWorkers, type TJobWorkerDeps } from "../api/jobs/register-job-workers";
import { createLogger } from "../core/kernel/logger";
import { twilioRecordingDownloader } from "../api/services/calls/transcribe-recording";
import { auditLog, businesses, callLogs, conversationTurns, paymentLinks, tasks } from "../db/schema";
import { pcm16ToWav } from "../core/conversation/audio/wav";
import { createOpenAiStt } from "../core/conversation/providers/stt/openai";
import { startOpenAiDouble, type TOpenAiDouble } from "./doubles/openai-double";
import { createTestApp, type TTestApp } from "./helpers/app";
import { DB_KINDS, rowsOf } from "./helpers/db";
import { adminClient, createTenant } from "./helpers/trpc";
import { waitFor } from "./helpers/wait-for";

const log = createLogger("silent");
const ACCOUNT = "AC0123456789abcdef0123456789abcdef";

for (const kind of DB_KINDS) {
  describe(`background jobs [${kind}]`, () => {
    let t: TTestApp;
    let jobs: TJobs;
    let second: TJobs | null = null;
    let oa: TOpenAiDouble;
    let media: ReturnType<typeof Bun.serve>;
    /** How many more downloads answer 500 before the WAV is served. */
    let failDownloads = 0;
    const downloads: string[] = [];
    const wav = pcm16ToWav(new Int16Array(8000).map((_, i) => Math.round(Math.sin(i / 5) * 4000)), 8000);

    const workerDeps = (): TJobWorkerDeps => ({
      db: t.db.db,
      log,
      events: t.deps.events,
      openai: null,
      stt: createOpenAiStt({ client: new OpenAI({ apiKey: "sk-test", baseURL: oa.baseURL, maxRetries: 0 }), log, filter: false }),
      download: twilioRecordingDownloader(t.deps.config.twilio),
    });
    const engine = () =>
      createJobs({ dbh: t.db, databaseUrl: t.db.url, log, tickSeconds: 1, superviseSeconds: 2, pollSeconds: 0.5, retry: { retryLimit: 2, retryDelay: 0, retryBackoff: false } });

    const newCall = async (businessId = t.businessId) => {
      const [c] = await t.db.db
        .insert(callLogs)
        .values({ businessId, callSid: `CA${crypto.randomUUID().replaceAll("-", "")}`, status: "completed", fromNumber: "+972541112233" })
        .returning({ id: callLogs.id, callSid: callLogs.callSid });
      return c!;
    };

    beforeAll(async () => {
      oa = startOpenAiDouble({ apiKey: "sk-test" });
      media = Bun.serve({
        hostname: "127.0.0.1",
        port: 0,
        fetch(req) {
          downloads.push(new URL(req.url).pathname);
          if (failDownloads > 0) {
            failDownloads--;
            return new Response("upstream busy", { status: 500 });
          }
          return new Response(new Blob([wav as Uint8Array<ArrayBuffer>]), { headers: { "content-type": "audio/x-wav" } });
        },
      });
      t = await createTestApp(kind, { TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_API_BASE_URL: `http://127.0.0.1:${media.port}` });
      jobs = engine();
      registerJobWorkers(jobs, workerDeps());
      t.deps.jobs = jobs;
      await jobs.start();
    }, 240_000);

    afterAll(async () => {
      await second?.stop(0);
      await jobs?.stop(0);
      await t?.close();
      media?.stop(true);
      await oa?.close();
    });

    test("one key is one job: the call is analysed once and gets one staff task", async () => {
      const call = await newCall();
      await t.db.db.insert(conversationTurns).values({ businessId: t.businessId, callId: call.id, seq: 0, speaker: "caller", text: "שלום, אני מחפש דירת שלושה חדרים להשכרה ברמת גן" });
      const first = await jobs.enqueue("analyzeCall", { callId: call.id }, { key: `call:${call.id}` });
      const again = await jobs.enqueue("analyzeCall", { callId: call.id }, { key: `call:${call.id}` });
      expect(first).toBe(jobIdFor("call-analysis", `call:${call.id}`));
      expect(again).toBeNull();
      const boss = await jobs.boss();
      await waitFor(async () => (await boss.getJobById("call-analysis", first!))?.state === "completed", "analysis job completed", 30_000);
      const [row] = await t.db.db.select({ summary: callLogs.summary }).from(callLogs).where(eq(callLogs.id, call.id));
      expect(row!.summary).toContain("רמת גן");
      expect(await t.db.db.$count(tasks, eq(tasks.callId, call.id))).toBe(1);
    });

    test("a recording whose download fails twice is retried and then transcribed", async () => {
      const call = await newCall();
      oa.transcripts.push("שלום, אני מחפש משרד להשכרה בחולון");
      failDownloads = 2;
      const before = downloads.length;
      const r = { callId: call.id, businessId: t.businessId, callSid: call.callSid, recordingSid: "RE00000000000000000000000000000001", recordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT}/Recordings/RE1` };
      const id = await jobs.enqueue("transcribeRecording", r, { key: `recording:${r.recordingSid}` });
      const boss = await jobs.boss();
      await waitFor(async () => (await boss.getJobById("recording-transcription", id!))?.state === "completed", "transcription job completed", 40_000, 100);
      expect(downloads.length - before).toBe(3);
      const turns = await t.db.db.select().from(conversationTurns).where(and(eq(conversationTurns.callId, call.id), eq(conversationTurns.speaker, "caller")));
      expect(turns.map((x) => x.text)).toEqual(["שלום, אני מחפש משרד להשכרה בחולון"]);
      // No "listen to it" task: the retries got the transcript.
      expect(await t.db.db.$count(tasks, and(eq(tasks.callId, call.id), eq(tasks.title, "להאזין להקלטת השיחה ולחזור ללקוח")))).toBe(0);
      // The transcript's analysis was enqueued as its own job and ran.
      await waitFor(async () => (await t.db.db.select({ s: callLogs.summary }).from(callLogs).where(eq(callLogs.id, call.id)))[0]?.s, "analysis after the transcript", 30_000);
    });

    test("a job that keeps failing is dead-lettered with its reason; the admin lists it and retries it after the cause is fixed", async () => {
      // A recording for a business that does not exist (yet): every attempt hits the foreign key.
      const ghostBusiness = crypto.randomUUID();
      const ghostCall = crypto.randomUUID();
      const r = { callId: ghostCall, businessId: ghostBusiness, callSid: "CAghost", recordingSid: "REghost", recordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT}/Recordings/REghost` };
      const id = await jobs.enqueue("transcribeRecording", r, { key: `recording:${r.recordingSid}` });
      const boss = await jobs.boss();
      await waitFor(async () => (await boss.getJobById("recording-transcription", id!))?.state === "failed", "job failed after its retries", 40_000);

      const admin = await adminClient(t);
      const failed = await admin.api.jobs.failed.query();
      const mine = failed.find((j) => j.id === id);
      expect(mine).toBeDefined();
      expect(mine!.queueLabel).toBe("תמלול הקלטה");
      expect(mine!.attempts).toBe(3);
      expect(mine!.reason).toMatch(/foreign key|violates/i);
      expect(mine!.key).toBe("recording:REghost");

      // Only platform admins see or retry jobs.
      const staff = await createTenant(t, { permissions: ["calls"] });
      await expect(staff.api.jobs.failed.query()).rejects.toThrow("פעולה זו מותרת למנהלי מערכת בלבד");
      await expect(staff.api.jobs.retry.mutate({ queue: "recording-transcription", id: id! })).rejects.toThrow();

      // Fix the cause (the business and call now exist), then retry from the admin page.
      await t.db.db.insert(businesses).values({ id: ghostBusiness, name: "עסק שחזר", slug: `ghost-${ghostBusiness.slice(0, 8)}` });
      await t.db.db.insert(callLogs).values({ id: ghostCall, businessId: ghostBusiness, callSid: "CAghost", status: "completed" });
      oa.transcripts.push("תחזרו אליי בבקשה");
      await admin.api.jobs.retry.mutate({ queue: "recording-transcription", id: id! });
      await waitFor(async () => (await boss.getJobById("recording-transcription", id!))?.state === "completed", "retried job completed", 40_000);
      expect((await admin.api.jobs.failed.query()).some((j) => j.id === id)).toBe(false);
      // Retrying a job that is not failed is refused in Hebrew.
      await expect(admin.api.jobs.retry.mutate({ queue: "recording-transcription", id: id! })).rejects.toThrow("אפשר לנסות שוב רק משימה שנכשלה");
    }, 60_000);

    test("two engines tick on one database: a due reminder fires once; a due payment link expires once, with an audit row", async () => {
      second = engine();
      registerJobWorkers(second, workerDeps());
      await second.start();
      const [task] = await t.db.db
        .insert(tasks)
        .values({ businessId: t.businessId, title: "להתקשר לדני", remindAt: new Date(Date.now() - 60_000), dueAt: new Date(Date.now() + 3_600_000) })
        .returning({ id: tasks.id });
      const [link] = await t.db.db
        .insert(paymentLinks)
        .values({ businessId: t.businessId, provider: "tranzila", amountAgorot: 10_000, expiresAt: new Date(Date.now() - 60_000) })
        .returning({ id: paymentLinks.id });
      const reminders = () => t.events.filter((e) => e.type === "task.reminder" && e.taskId === task!.id).length;
      await waitFor(() => reminders() === 1, "the reminder", 30_000);
      await waitFor(async () => (await t.db.db.select({ s: paymentLinks.status }).from(paymentLinks).where(eq(paymentLinks.id, link!.id)))[0]?.s === "expired", "link expired", 30_000);
      // Let both engines run several more ticks, then check nothing fired again.
      const completedTicks = async () =>
        Number(rowsOf<{ n: number }>(await t.db.db.execute(sql`select count(*)::int as n from pgboss.job where name = 'task-reminders' and state = 'completed'`))[0]?.n ?? 0);
      const ticksNow = await completedTicks();
      await waitFor(async () => (await completedTicks()) >= ticksNow + 3, "three more reminder ticks", 40_000, 100);
      expect(reminders()).toBe(1);
      expect(await t.db.db.$count(auditLog, and(eq(auditLog.entityId, link!.id), eq(auditLog.action, "payments.expired")))).toBe(1);
    }, 60_000);
  });
}
