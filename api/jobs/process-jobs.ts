/**
 * The job engine of a server process, built from config: every process can
 * enqueue; the api group (or the single all-in-one process) also works the
 * queues, so GPT analysis and transcription never compete with live audio on
 * realtime machines.
 */
import type OpenAI from "openai";
import { createOpenAiClients } from "../../core/conversation/providers/openai-clients";
import type { TDbHandle } from "../../db/client";
import type { TEnv } from "../../env";
import type { TSttProvider } from "../../core/conversation/providers/types";
import type { TEventBus } from "../../core/kernel/events";
import type { TLogger } from "../../core/kernel/logger";
import { twilioRecordingDownloader } from "../services/calls/transcribe-recording";
import type { TSendToCustomerDeps } from "../services/messaging/send-to-customer";
import { twilioMediaFetcher } from "../whatsapp/voice-notes";
import type { TWhatsAppHub } from "../whatsapp/whatsapp-hub";
import { createJobs, type TJobs } from "./create-jobs";
import { registerJobWorkers } from "./register-job-workers";

export function createProcessJobs(input: {
  config: Pick<TEnv, "databaseUrl" | "processRole" | "openai" | "twilio" | "jobsTickS">;
  dbh: TDbHandle;
  log: TLogger;
  events: TEventBus;
  /** Real STT for recordings (null → staff get a "listen" task). */
  stt: TSttProvider | null;
  /** The customer sender (WhatsApp/SMS) for viewing confirmations and reminders. */
  messaging?: TSendToCustomerDeps;
  /** The process's background OpenAI client (retries with backoff); built from config when absent. */
  openai?: OpenAI | null;
  /** The WhatsApp hub: answers voice notes once their transcription job is done. */
  whatsapp?: Pick<TWhatsAppHub, "answerVoiceNote">;
}): TJobs {
  const { config } = input;
  const jobs = createJobs({ dbh: input.dbh, databaseUrl: config.databaseUrl, log: input.log, instanceName: config.processRole, tickSeconds: config.jobsTickS });
  if (config.processRole === "realtime") return jobs;
  const openai = input.openai !== undefined ? input.openai : createOpenAiClients(config).background;
  registerJobWorkers(jobs, {
    db: input.dbh.db,
    log: input.log,
    events: input.events,
    openai,
    stt: input.stt,
    download: twilioRecordingDownloader(config.twilio),
    messaging: input.messaging,
    whatsapp: input.whatsapp,
    fetchTwilioMedia: twilioMediaFetcher(config.twilio),
  });
  return jobs;
}
