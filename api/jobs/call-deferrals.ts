/**
 * How call handling hands its slow work to the job engine: the post-call
 * analysis and a Record-mode recording become durable jobs (a deploy or a
 * crash mid-way no longer loses them), keyed so a repeated report is one job.
 */
import type { TRecordingReady } from "../services/calls/transcribe-recording";
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
