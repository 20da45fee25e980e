/**
 * Wires call intelligence into a process: the call services (Twilio REST
 * actions, watchdog, post-call analysis), the per-socket session factory
 * (engine choice: pipeline or OpenAI Realtime), and the webhook hooks the
 * HTTP app takes (`onStreamAnswered` arms the watchdog, `onRecording`
 * transcribes Record-mode recordings). api/main.ts calls it once.
 */
import type { TFollowUpQueue } from "../../core/conversation/brain/tools/follow-up-queue";
import { createOpenAiClients, type TOpenAiClients } from "../../core/conversation/providers/openai-clients";
import type { TCallDeferrals } from "../jobs/call-deferrals";
import type { TEventBus } from "../../core/kernel/events";
import type { TLogger } from "../../core/kernel/logger";
import { transcribeRecording, twilioRecordingDownloader } from "../services/calls/transcribe-recording";
import type { TOnRecording } from "../twilio/recording";
import type { TOnStreamAnswered } from "../twilio/voice-webhook";
import type { TDb } from "../../db/client";
import type { TEnv } from "../../env";
import type { TCallSession, TCallSessionDeps } from "../../realtime/call-session";
import type { TSttProvider } from "../../core/conversation/providers/types";
import { createCallServices, type TCallServices } from "./call-services";
import { engineSessionFactory } from "../../realtime/engines/engine-session";
import { createRealtimeSession } from "../../realtime/engines/realtime-session";

export interface TCallIntelligence {
  services: TCallServices;
  createSession: (deps: TCallSessionDeps) => TCallSession;
  appOptions: { onStreamAnswered: TOnStreamAnswered; onRecording: TOnRecording };
}

export function createCallIntelligence(input: {
  config: Pick<TEnv, "twilio" | "openai" | "publicBaseUrl" | "voiceEngine">;
  db: TDb;
  events: TEventBus;
  log: TLogger;
  /** A real STT for recordings (null without keys: staff get a task to listen instead). */
  stt: TSttProvider | null;
  /** Durable jobs for the analysis and recordings (api/jobs); without it, or when enqueuing fails, they run in-process. */
  defer?: TCallDeferrals;
  /** The process's OpenAI clients (core/conversation/providers/openai-clients.ts); built from config when absent. */
  openai?: TOpenAiClients;
  /** The process's follow-up queue (tool writes the database could not take); each Realtime call makes its own when absent. */
  followUps?: TFollowUpQueue;
}): TCallIntelligence {
  const { config, db, events } = input;
  const log = input.log.child({ component: "call-intelligence" });
  const clients = input.openai ?? createOpenAiClients(config);
  const services = createCallServices({ db, log: input.log, events, config, analyzeLater: input.defer?.analyze, openai: clients.background });
  const realtimeClient = clients.live;
  if (config.voiceEngine === "realtime" && !realtimeClient) log.warn("VOICE_ENGINE=realtime needs OPENAI_API_KEY; calls use the pipeline engine");
  const createSession = engineSessionFactory({
    services,
    defaultEngine: config.voiceEngine,
    createRealtime: realtimeClient ? (deps, hooks) => createRealtimeSession(deps, { client: realtimeClient, model: config.openai.realtimeModel, vad: config.openai.realtimeVad, followUps: input.followUps }, hooks) : undefined,
  });
  const download = twilioRecordingDownloader(config.twilio);
  return {
    services,
    createSession,
    appOptions: {
      onStreamAnswered: (c) => {
        services.rememberOrigin(c.callSid, c.origin);
        services.watchdog.expectStream(c.callSid);
      },
      onRecording: (r) => {
        if (input.defer) {
          void input.defer.recording(r).catch((err: unknown) => {
            log.warn({ err, callSid: r.callSid }, "recording job not stored; transcribing in-process");
            inProcess(r);
          });
          return;
        }
        inProcess(r);
      },
    },
  };
  function inProcess(r: Parameters<TOnRecording>[0]) {
    void transcribeRecording({ db, log: input.log, events, stt: input.stt, download, analyze: (callId) => services.analyze({ callSid: r.callSid, callId }, { force: true }) }, r).catch((err: unknown) =>
      log.error({ err, callSid: r.callSid }, "recording processing failed"),
    );
  }
}
