/**
 * How call handling hands its slow work to the job engine: the post-call
 * analysis and a Record-mode recording become durable jobs (a deploy or a
 * crash mid-way no longer loses them), keyed so a repeated report is one job;
 * and a WhatsApp voice note becomes a transcription job (keyed by its message).
 */
import type { TRecordingReady } from "../services/calls/transcribe-recording";
import type { TLogger } from "../../core/kernel/logger";
import { voiceNoteJobData, voiceNoteKey } from "../whatsapp/voice-notes";
import type { TInboundMessage } from "../whatsapp/types";
import type { TJobs } from "./create-jobs";
import { analysisKey } from "./register-job-workers";

export interface TCallDeferrals {
  /** Enqueue the post-call analysis of a call (throws when the job could not be stored). */
  analyze(callId: string): Promise<void>;
  /** Enqueue download + transcription of a recording (throws when the job could not be stored). */
  recording(r: TRecordingReady): Promise<void>;
}

export function callDeferrals(jobs: TJobs): TCallDeferrals {
  return {
    async analyze(callId) {
      await jobs.enqueue("analyzeCall", { callId }, { key: analysisKey(callId) });
    },
    async recording(r) {
      await jobs.enqueue("transcribeRecording", r, { key: `recording:${r.recordingSid}` });
    },
  };
}

/**
 * The hub's hand-off of a WhatsApp voice note to the job engine (createWhatsAppHub's `deferVoiceNote`):
 * true when the job is stored (the job transcribes and answers it), false to handle it in-process.
 */
export function voiceNoteDeferral(jobs: TJobs, log: TLogger): (businessId: string, messageId: string, msg: TInboundMessage) => Promise<boolean> {
  return async (businessId, messageId, msg) => {
    try {
      const data = await voiceNoteJobData(businessId, messageId, msg);
      if (!data) return false;
      await jobs.enqueue("transcribeVoiceNote", data, { key: voiceNoteKey(messageId) });
      return true;
    } catch (err) {
      log.warn({ err, messageId }, "voice-note job not stored; transcribing in-process");
      return false;
    }
  };
}
