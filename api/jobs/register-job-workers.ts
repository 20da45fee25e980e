/**
 * What each queue does. Built once per process from explicit dependencies;
 * every handler is idempotent (a job may run twice when its worker dies after
 * the work and before the completion is stored), and throws to be retried.
 */
import { and, eq, lt } from "drizzle-orm";
import type OpenAI from "openai";
import type { TDb } from "../../db/client";
import { paymentLinks } from "../../db/schema";
import type { TSttProvider } from "../../core/conversation/providers/types";
import type { TEventBus } from "../../core/kernel/events";
import type { TLogger } from "../../core/kernel/logger";
import { analyzeCall } from "../services/analysis/analyze-call";
import { transcribeRecording } from "../services/calls/transcribe-recording";
import { expirePaymentLinks } from "../services/payments/list-payment-links";
import type { TSendToCustomerDeps } from "../services/messaging/send-to-customer";
import { sendDueViewingReminders, sendViewingNotice } from "../services/sms/viewing-notices";
import { fireDueReminders } from "../services/tasks/task-reminders";
import { runVoiceNoteJob } from "../whatsapp/voice-notes";
import type { TWhatsAppHub } from "../whatsapp/whatsapp-hub";
import type { TJobs } from "./create-jobs";

export interface TJobWorkerDeps {
  db: TDb;
  log: TLogger;
  events: TEventBus;
  /** OpenAI client for GPT analysis (null → the rules). */
  openai: OpenAI | null;
  analysisModel?: string;
  /** Real STT for recordings (null → staff get a listen task). */
  stt: TSttProvider | null;
  /** Downloads a Twilio recording (account Basic auth). */
  download: (url: string) => Promise<Uint8Array>;
  now?: () => Date;
  /** The shared customer sender (WhatsApp or SMS) for viewing confirmations and reminders; absent = not sent here. */
  messaging?: TSendToCustomerDeps;
  /** Answers a transcribed WhatsApp voice note (the hub); with `stt`, this process works voice-note jobs. */
  whatsapp?: Pick<TWhatsAppHub, "answerVoiceNote">;
  /** Fetches Twilio media (account Basic auth) for voice notes that came through Twilio. */
  fetchTwilioMedia?: (url: string) => Promise<Uint8Array>;
}

/** The key that makes "analyse this call" one job, however many times the call end is reported. */
export const analysisKey = (callId: string, recordingSid?: string) => (recordingSid ? `call:${callId}:recording:${recordingSid}` : `call:${callId}`);

/** Register the handlers of every queue on `jobs` (call before jobs.start()). */
export function registerJobWorkers(jobs: TJobs, deps: TJobWorkerDeps): void {
  const now = deps.now ?? (() => new Date());

  jobs.register("analyzeCall", async (data) => {
    // analyzeCall is idempotent on `summary is null` (force: the recording's own key makes it one job).
    await analyzeCall({ db: deps.db, log: deps.log, events: deps.events, openai: deps.openai, model: deps.analysisModel }, data.callId, { force: data.force });
  });

  jobs.register("transcribeRecording", async (data, attempt) => {
    await transcribeRecording(
      {
        db: deps.db,
        log: deps.log,
        events: deps.events,
        stt: deps.stt,
        download: deps.download,
        // Retry a failed download/STT; only the last attempt gives up to a staff "listen" task.
        onError: attempt.lastAttempt ? "task" : "throw",
        analyze: (callId) => jobs.enqueue("analyzeCall", { callId, force: true }, { key: analysisKey(callId, data.recordingSid) }),
      },
      data,
    );
  });

  jobs.register("taskReminders", async () => {
    // The claim is atomic (reminded_at), so even two ticks at once remind each task once.
    const fired = await fireDueReminders(deps.db, deps.events, now());
    if (fired) deps.log.info({ fired }, "task reminders sent");
  });

  const messaging = deps.messaging;
  if (messaging) {
    // Both are idempotent (viewing_notices claims); the job adds retries and one run per tick across machines.
    jobs.register("viewingReminders", async () => {
      await sendDueViewingReminders({ ...messaging, now });
    });
    jobs.register("viewingConfirmation", async (data) => {
      await sendViewingNotice(messaging, data.appointmentId, "confirmation");
    });
    // Every machine hears a booking (events cross machines); the key makes it one confirmation job.
    deps.events.subscribe((e) => {
      if (e.type !== "appointment.booked") return;
      jobs.enqueue("viewingConfirmation", { appointmentId: e.appointmentId }, { key: `viewing:${e.appointmentId}:confirmation` }).catch((err: unknown) => {
        deps.log.warn({ err, appointmentId: e.appointmentId }, "confirmation job not stored; sending in-process");
        void sendViewingNotice(messaging, e.appointmentId, "confirmation").catch((e2: unknown) => deps.log.error({ err: e2 }, "viewing confirmation failed"));
      });
    });
  }

  const { whatsapp, stt } = deps;
  if (whatsapp && stt) {
    // Keyed by the stored message (voiceNoteKey): transcribed once, answered once, retried with backoff.
    jobs.register("transcribeVoiceNote", async (data) => {
      await runVoiceNoteJob({
        db: deps.db,
        log: deps.log,
        stt,
        fetchTwilioMedia: deps.fetchTwilioMedia,
        answer: async (d) => {
          const r = await whatsapp.answerVoiceNote(d);
          if (r.outcome === "reply_failed") throw new Error("the AI reply to the transcribed voice note could not be sent");
        },
      }, data);
    });
  }

  jobs.register("paymentLinkExpiry", async () => {
    const expired = await expireDuePaymentLinks(deps.db, now());
    if (expired) deps.log.info({ expired }, "payment links expired");
  });
}

/** Expire due payment links of every business (each with its own audit rows). */
export async function expireDuePaymentLinks(db: TDb, at: Date): Promise<number> {
  const due = await db
    .selectDistinct({ businessId: paymentLinks.businessId })
    .from(paymentLinks)
    .where(and(eq(paymentLinks.status, "created"), lt(paymentLinks.expiresAt, at)));
  let n = 0;
  for (const { businessId } of due) n += await expirePaymentLinks(db, { businessId, userId: null, ip: null }, at);
  return n;
}
