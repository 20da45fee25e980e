/**
 * The background queues Kesher runs on pg-boss: their names, payloads and
 * retry policy in one place. A job that throws is retried with exponential
 * backoff; after its last attempt it stays `failed` with the error as its
 * output (the dead letter the admin "jobs" page lists and can retry).
 */
import { z } from "zod";
import type { QueueOptions } from "pg-boss";

export const ZAnalyzeCallJob = z.object({
  callId: z.uuid(),
  /** Analyse again even if the call has a summary (a recorded message arrived after the stream). */
  force: z.boolean().default(false),
});

export const ZTranscribeRecordingJob = z.object({
  callId: z.uuid(),
  businessId: z.uuid(),
  callSid: z.string().min(1).max(64),
  recordingUrl: z.url(),
  recordingSid: z.string().min(1).max(64),
});

export const ZViewingConfirmationJob = z.object({ appointmentId: z.uuid() });

/** A WhatsApp voice note to transcribe and answer (api/whatsapp/voice-notes.ts). */
export const ZVoiceNoteJob = z.object({
  businessId: z.uuid(),
  messageId: z.uuid(),
  provider: z.enum(["baileys", "twilio"]),
  peerAddress: z.string().min(1).max(200),
  peerPhone: z.string().min(1).max(40),
  mediaMime: z.string().max(100).nullish(),
  mediaUrl: z.url().optional(),
  /** Base64 of at most 4 MB of audio (MAX_INLINE_VOICE_BYTES). */
  audioBase64: z.string().max(5_600_000).optional(),
});

/** Periodic ticks carry nothing: the slot is the job (one per interval across all instances). */
export const ZTickJob = z.object({}).passthrough();

export const JOB_QUEUES = {
  analyzeCall: { name: "call-analysis", payload: ZAnalyzeCallJob, label: "ניתוח שיחה" },
  transcribeRecording: { name: "recording-transcription", payload: ZTranscribeRecordingJob, label: "תמלול הקלטה" },
  taskReminders: { name: "task-reminders", payload: ZTickJob, label: "תזכורות משימות" },
  paymentLinkExpiry: { name: "payment-link-expiry", payload: ZTickJob, label: "תפוגת קישורי תשלום" },
  viewingReminders: { name: "viewing-reminders", payload: ZTickJob, label: "תזכורות לפגישות צפייה" },
  viewingConfirmation: { name: "viewing-confirmation", payload: ZViewingConfirmationJob, label: "אישור פגישת צפייה" },
  transcribeVoiceNote: { name: "whatsapp-voice-note", payload: ZVoiceNoteJob, label: "תמלול הודעה קולית" },
} as const;

export type TQueueKey = keyof typeof JOB_QUEUES;
export type TJobData<K extends TQueueKey> = z.input<(typeof JOB_QUEUES)[K]["payload"]>;
export type TJobPayload<K extends TQueueKey> = z.output<(typeof JOB_QUEUES)[K]["payload"]>;

export const QUEUE_NAMES: string[] = Object.values(JOB_QUEUES).map((q) => q.name);

/** Hebrew label of a queue for the admin page (the raw name when unknown). */
export function queueLabel(name: string): string {
  return Object.values(JOB_QUEUES).find((q) => q.name === name)?.label ?? name;
}

/**
 * Retry policy shared by every queue. The heartbeat lets another instance take
 * over a job whose worker died (SIGKILL, OOM) within ~heartbeat + supervise
 * interval instead of waiting out `expireInSeconds`.
 */
export const QUEUE_OPTIONS: QueueOptions & { notify: boolean } = {
  retryLimit: 5,
  retryDelay: 5,
  retryBackoff: true,
  retryDelayMax: 600,
  expireInSeconds: 600,
  heartbeatSeconds: 10,
  // Failed jobs are the dead letters: keep them for a month so staff can read the reason and retry.
  deleteAfterSeconds: 30 * 24 * 3600,
  notify: true,
};
