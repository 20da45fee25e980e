/**
 * WhatsApp voice notes as pg-boss jobs (#16 item 1), on PGlite and PostgreSQL:
 * a note arriving through Twilio is stored and handed to one job keyed by the
 * message (a redelivery adds nothing); the job fetches the audio with the
 * account's auth from the Twilio double, decodes the Opus, transcribes it with
 * the OpenAI STT double, puts the transcript on the message, and only then
 * the AI answers it. An STT failure is retried with backoff and the note is
 * answered once; a note that keeps failing is dead-lettered with its reason,
 * listed on the admin jobs page ("תמלול הודעה קולית") and retried from there.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import OpenAI from "openai";
import { voiceNoteDeferral } from "../api/jobs/call-deferrals";
import { createJobs, jobIdFor, type TJobs } from "../api/jobs/create-jobs";
import { registerJobWorkers } from "../api/jobs/register-job-workers";
import { twilioRecordingDownloader } from "../api/services/calls/transcribe-recording";
import { twilioMediaFetcher, voiceNoteKey } from "../api/whatsapp/voice-notes";
import type { TInboundMessage } from "../api/whatsapp/types";
import { createWhatsAppHub, type TWhatsAppHub } from "../api/whatsapp/whatsapp-hub";
import { createLocalAgent } from "../core/conversation/brain/local-agent";
import { createOpenAiStt } from "../core/conversation/providers/stt/openai";
import { createLogger } from "../core/kernel/logger";
import { businesses, whatsappMessages } from "../db/schema";
import { startOpenAiDouble, type TOpenAiDouble } from "./doubles/openai-double";
import { startTwilioRestDouble, type TTwilioRestDouble } from "./doubles/twilio-rest";
import { createTestApp, TEST_AUTH_TOKEN, type TTestApp } from "./helpers/app";
import { clockFrom } from "./helpers/clock";
import { DB_KINDS } from "./helpers/db";
import { oggOpusSilence } from "./helpers/ogg-opus";
import { adminClient } from "./helpers/trpc";
import { waitFor } from "./helpers/wait-for";

const log = createLogger("silent");
const ACCOUNT = "AC0123456789abcdef0123456789abcdef";
const BUSINESS_WA = "+97235550100";
const QUEUE = "whatsapp-voice-note";
/** Wednesday 10:00 in Israel: open per the seeded hours. */
const now = clockFrom(new Date("2026-11-25T08:00:00Z"));

for (const kind of DB_KINDS) {
  describe(`whatsapp voice notes as jobs [${kind}]`, () => {
    let t: TTestApp;
    let rest: TTwilioRestDouble;
    let oa: TOpenAiDouble;
    let hub: TWhatsAppHub;
    let jobs: TJobs;

    const note = (sid: string, from: string): TInboundMessage => ({
      provider: "twilio",
      providerMessageId: sid,
      fromMe: false,
      from,
      to: BUSINESS_WA,
      peerPhone: from,
      peerAddress: `whatsapp:${from}`,
      body: null,
      mediaType: "voice",
      mediaMime: "audio/ogg",
      mediaUrl: rest.addMedia(sid, oggOpusSilence(2000), "audio/ogg"),
      profileName: "נועה",
      sentAt: now(),
      raw: {},
    });
    const rowOf = async (sid: string) => (await t.db.db.select().from(whatsappMessages).where(eq(whatsappMessages.providerMessageId, sid)))[0]!;
    const repliesTo = (from: string) => rest.messages.filter((m) => m.to === `whatsapp:${from}`);
    const sttCalls = () => oa.requests.filter((r) => r.path === "/v1/audio/transcriptions").length;

    beforeAll(async () => {
      rest = await startTwilioRestDouble({ accountSid: ACCOUNT, authToken: TEST_AUTH_TOKEN });
      oa = startOpenAiDouble({ apiKey: "sk-test" });
      t = await createTestApp(kind, { TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_API_BASE_URL: rest.baseUrl });
      const stt = createOpenAiStt({ client: new OpenAI({ apiKey: "sk-test", baseURL: oa.baseURL, maxRetries: 0 }), log, filter: false });
      // The runtime's wiring: the hub defers notes to the jobs; the jobs answer through the hub.
      jobs = createJobs({ dbh: t.db, databaseUrl: t.db.url, log, superviseSeconds: 2, pollSeconds: 0.5, retry: { retryLimit: 2, retryDelay: 1, retryBackoff: true } });
      hub = createWhatsAppHub({
        db: t.db.db,
        log,
        events: t.deps.events,
        config: t.deps.config,
        agent: createLocalAgent({ db: t.db.db, events: t.deps.events, log }),
        stt,
        deferVoiceNote: voiceNoteDeferral(jobs, log),
        sendGap: { minGapMs: 0, jitterMs: 0 },
        now,
      });
      registerJobWorkers(jobs, {
        db: t.db.db,
        log,
        events: t.deps.events,
        openai: null,
        stt,
        download: twilioRecordingDownloader(t.deps.config.twilio),
        whatsapp: hub,
        fetchTwilioMedia: twilioMediaFetcher(t.deps.config.twilio),
      });
      t.deps.jobs = jobs;
      t.deps.whatsapp = hub;
      const [b] = await t.db.db.select().from(businesses).where(eq(businesses.id, t.businessId));
      await t.db.db.update(businesses).set({ settings: { ...b!.settings, whatsappProvider: "twilio" } }).where(eq(businesses.id, t.businessId));
      await jobs.start();
    }, 240_000);
    afterAll(async () => {
      await jobs?.stop(0);
      await hub?.close();
      await rest?.close();
      await oa?.close();
      await t?.close();
    });

    test("one job per note: transcript on the message, then the AI answers it; a redelivery adds nothing", async () => {
      oa.transcripts = ["אני מחפש דירת שלושה חדרים להשכרה בחיפה"];
      const from = "+972541110001";
      const msg = note("SM_vn_1", from);
      const stt0 = sttCalls();
      const res = await t.deps.whatsapp!.handleInbound(t.businessId, msg);
      expect(res.outcome).toBe("transcribing");
      // No answer before the job: the AI answers the transcript, not "[voice note]".
      const boss = await jobs.boss();
      const id = jobIdFor(QUEUE, voiceNoteKey(res.messageId));
      await waitFor(async () => (await boss.getJobById(QUEUE, id))?.state === "completed", "voice-note job completed", 30_000, 50);
      const row = await rowOf("SM_vn_1");
      expect(row.body).toBe("אני מחפש דירת שלושה חדרים להשכרה בחיפה");
      expect(row.raw).toMatchObject({ transcribed: true, voiceNoteAnswered: true });
      await waitFor(() => repliesTo(from).length === 1, "the AI's answer");
      expect(repliesTo(from)[0]!.body).toMatch(/[\u0590-\u05FF]/);
      expect(sttCalls() - stt0).toBe(1);

      // Twilio redelivers the webhook: stored once, one job, one answer.
      expect((await hub.handleInbound(t.businessId, { ...msg })).outcome).toBe("duplicate");
      expect(await voiceNoteDeferral(jobs, log)(t.businessId, res.messageId, msg)).toBe(true); // the same key: pg-boss keeps one job
      expect((await boss.getJobById(QUEUE, id))?.state).toBe("completed");
      expect(repliesTo(from)).toHaveLength(1);
      expect(sttCalls() - stt0).toBe(1);
    }, 60_000);

    test("an STT failure is retried with backoff; the note is answered once, with the transcript", async () => {
      oa.transcripts = [{ status: 500 }];
      const from = "+972541110002";
      const res = await hub.handleInbound(t.businessId, note("SM_vn_2", from));
      expect(res.outcome).toBe("transcribing");
      const boss = await jobs.boss();
      const id = jobIdFor(QUEUE, voiceNoteKey(res.messageId));
      await waitFor(async () => ((await boss.getJobById(QUEUE, id))?.retryCount ?? 0) >= 1, "first attempt failed, retry scheduled", 30_000, 50);
      expect((await rowOf("SM_vn_2")).body).toBeNull();
      expect(repliesTo(from)).toHaveLength(0);
      oa.transcripts = ["אפשר לקבוע צפייה מחר בבוקר?"];
      await waitFor(async () => (await boss.getJobById(QUEUE, id))?.state === "completed", "retried voice-note job completed", 30_000, 50);
      expect((await rowOf("SM_vn_2")).body).toBe("אפשר לקבוע צפייה מחר בבוקר?");
      await waitFor(() => repliesTo(from).length === 1, "the answer after the retry");
    }, 60_000);

    test("a note that keeps failing is dead-lettered with its reason on the admin jobs page, and answered after a retry from there", async () => {
      oa.transcripts = [{ status: 503 }];
      const from = "+972541110003";
      const res = await hub.handleInbound(t.businessId, note("SM_vn_3", from));
      const boss = await jobs.boss();
      const id = jobIdFor(QUEUE, voiceNoteKey(res.messageId));
      await waitFor(async () => (await boss.getJobById(QUEUE, id))?.state === "failed", "voice-note job failed after its retries", 40_000, 50);
      const admin = await adminClient(t);
      const failed = (await admin.api.jobs.failed.query()).find((j) => j.id === id);
      expect(failed).toBeDefined();
      expect(failed!.queueLabel).toBe("תמלול הודעה קולית");
      expect(failed!.key).toBe(voiceNoteKey(res.messageId));
      expect(failed!.attempts).toBe(3);
      expect(failed!.reason).toMatch(/503/);
      expect(failed!.businessId).toBe(t.businessId);
      expect(repliesTo(from)).toHaveLength(0);

      oa.transcripts = ["תחזרו אליי בבקשה"];
      await admin.api.jobs.retry.mutate({ queue: QUEUE, id });
      await waitFor(async () => (await boss.getJobById(QUEUE, id))?.state === "completed", "retried from the admin page", 30_000, 50);
      expect((await rowOf("SM_vn_3")).body).toBe("תחזרו אליי בבקשה");
      await waitFor(() => repliesTo(from).length === 1, "the answer after the admin's retry");
    }, 90_000);
  });
}
