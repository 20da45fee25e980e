/**
 * The composition root: builds everything a Kesher process runs, once, from
 * config, and hands it to the HTTP app and the media server. Nothing is
 * assigned later and no module keeps a runtime of its own.
 *
 *   config → database (migrated) + secrets + seed   (bootstrap.ts)
 *          → OpenAI clients (one retry policy)      (core/conversation/providers/openai-clients.ts)
 *          → providers: STT, TTS, agents            (core/conversation/providers/select-providers.ts)
 *          → WhatsApp hub (Baileys + Twilio)        (api/whatsapp)
 *          → jobs (pg-boss)                         (api/jobs)
 *          → admission control (capacity)           (realtime/admission.ts)
 *          → call services + session factory        (api/runtime/call-intelligence.ts)
 *          → Hono app                               (api/app.ts)
 *          → media server (stream auth, engine)     (realtime/voice-engine.ts)
 *
 * api/main.ts serves the result with Bun.serve; tests and tools build it the same way.
 */
import { join } from "node:path";
import type { TEnv } from "../../env";
import { createFollowUpQueue } from "../../core/conversation/brain/tools/follow-up-queue";
import { createOpenAiClients } from "../../core/conversation/providers/openai-clients";
import { createProviders } from "../../core/conversation/providers/select-providers";
import type { TLogger } from "../../core/kernel/logger";
import type { TSeedResult } from "../../db/seed/seed-demo";
import { createAdmission } from "../../realtime/admission";
import { createCallRecorder } from "../../realtime/persist/call-recorder";
import { replaySpilledCalls } from "../../realtime/persist/replay-spill";
import type { TMediaServer } from "../../realtime/server";
import { createStreamAuth } from "../../realtime/stream-auth";
import { createVoiceEngine } from "../../realtime/voice-engine";
import { createApp, type TApp } from "../app";
import { bootstrap } from "../bootstrap";
import { callDeferrals, voiceNoteDeferral } from "../jobs/call-deferrals";
import type { TJobs } from "../jobs/create-jobs";
import { createProcessJobs } from "../jobs/process-jobs";
import { messagingDepsOf } from "../sms/messaging-deps";
import type { TAppDeps } from "../types";
import type { TSocketFactory } from "../whatsapp/baileys/baileys-connection";
import { createSessionLocks } from "../whatsapp/baileys/session-locks";
import { createWhatsAppHub } from "../whatsapp/whatsapp-hub";
import { createCallIntelligence } from "./call-intelligence";

export interface TRuntimeOverrides {
  log?: TLogger;
  /** Baileys socket factory: the local double in multi-process tests (test/helpers/serve-with-doubles.ts). */
  whatsappSocketFactory?: TSocketFactory;
  /** A request's socket address (Bun's `server.requestIP`), used with TRUST_PROXY=0. */
  peerAddress?: (req: Request) => string | null;
}

export interface TRuntime {
  config: TEnv;
  /** Complete app dependencies: WhatsApp and jobs included. */
  deps: TAppDeps & Required<Pick<TAppDeps, "whatsapp" | "jobs">>;
  seed: TSeedResult;
  app: TApp;
  media: TMediaServer;
  jobs: TJobs;
  /** Work that must not delay the first request: voice prompts, the job engine, WhatsApp sessions. */
  startBackground(): void;
  /** End live calls, WhatsApp, jobs (`graceMs` for a running job) and the database. */
  close(opts?: { graceMs?: number }): Promise<void>;
}

export async function createRuntime(config: TEnv, overrides: TRuntimeOverrides = {}): Promise<TRuntime> {
  const { deps: base, seed } = await bootstrap(config, { log: overrides.log });
  const { log, events, dbh } = base;
  const db = dbh.db;

  const openai = createOpenAiClients(config);
  // Tool writes the database could not take (outage): one queue for the process, written when it returns.
  const followUps = createFollowUpQueue({ db, log, events });
  const providers = createProviders({ config, db, events, log, openai: openai.live, followUps });
  // Recordings and voice notes are transcribed by a real STT only; without one, staff get a task to listen.
  const realStt = providers.stt.name === "local-simulator" ? null : providers.stt;
  const fallbackAgent = providers.agent === providers.localAgent ? undefined : providers.localAgent;

  // One owner per Baileys session across instances (advisory locks on PostgreSQL).
  const whatsapp = createWhatsAppHub({
    db,
    log,
    events,
    config,
    agent: providers.agent,
    fallbackAgent,
    stt: realStt,
    locks: createSessionLocks({ pg: dbh.pg, log }),
    socketFactory: overrides.whatsappSocketFactory,
    // Voice notes are transcribed by a durable job (called only once the hub runs, after `jobs` exists).
    deferVoiceNote: (businessId, messageId, msg) => voiceNoteDeferral(jobs, log)(businessId, messageId, msg),
  });
  // Durable background work (pg-boss): analysis, recordings, voice notes, reminders, payment-link expiry.
  const jobs = createProcessJobs({ config, dbh, log, events, stt: realStt, messaging: messagingDepsOf({ ...base, whatsapp }), openai: openai.background, whatsapp });
  // Capacity of this process's media (MAX_CALLS, event-loop lag): over it /twilio/voice answers with the Record flow.
  const admission = createAdmission({ maxCalls: config.admission.maxCalls, maxLagMs: config.admission.maxLagMs, log });
  const deps = { ...base, whatsapp, jobs, admission };

  // Transfers, hangups, the watchdog, Record-mode transcription and post-call analysis.
  const calls = createCallIntelligence({ config, db, events, log, stt: realStt, defer: callDeferrals(jobs), openai, followUps });
  const app = createApp(deps, { ...calls.appOptions, peerAddress: overrides.peerAddress });

  // A call's writes survive a long database outage: queued in order, bounded in memory, then spilled to DATA_DIR/spill.
  const spillDir = join(config.dataDir, "spill");
  const createSession: typeof calls.createSession = (d) =>
    calls.createSession({ ...d, recorder: d.recorder ?? createCallRecorder({ db: d.db, log: d.log, events: d.events, spillDir }) });
  // Media streams: Twilio-signed upgrade + the voice webhook's one-time token.
  const auth = createStreamAuth({
    db,
    log,
    authToken: base.twilioAuthToken,
    sharedKeySecret: config.twilio.sharedKeySecret,
    signatureCheck: config.twilio.signatureCheck,
    publicBaseUrl: config.publicBaseUrl,
    publicMediaUrl: config.publicMediaUrl,
    simulator: config.voiceSimulator ?? false,
  });
  if (config.voiceSimulator) log.warn("VOICE_SIMULATOR=on: media streams may script the speech recognition (call-sim, tests). Never in production.");
  if (config.whatsappSocketDouble && !overrides.whatsappSocketFactory) {
    log.warn("WHATSAPP_SOCKET_DOUBLE=on is honoured only by the test entry (test/helpers/serve-with-doubles.ts); this process uses real WhatsApp");
  }
  const { media } = createVoiceEngine({ config, db, events, log, createSession, auth, providers, admission, promptDir: join(config.dataDir, "voice") });

  return {
    config,
    deps,
    seed,
    app,
    media,
    jobs,
    startBackground() {
      // Call writes a crashed process left spilled in DATA_DIR/spill are written now, in order.
      replaySpilledCalls({ db, log, spillDir }).catch((err: unknown) => log.error({ err }, "spill replay failed"));
      base.audio.warm().catch((err: unknown) => log.error({ err }, "could not generate static prompts"));
      jobs.start().catch((err: unknown) => log.error({ err }, "job engine did not start; the next enqueue retries"));
      // One WhatsApp Web session per number: only the api group (or the single process) holds them.
      if (config.processRole !== "realtime") whatsapp.baileys.resumeAll().catch((err: unknown) => log.error({ err }, "could not resume whatsapp sessions"));
    },
    async close(opts = {}) {
      await media.closeAll("shutdown");
      await whatsapp.close();
      // A job still running after this is retried by another instance (heartbeat) or at the next start.
      await jobs.stop(opts.graceMs ?? 5_000);
      calls.services.close();
      admission.close();
      await followUps.flush();
      followUps.stop();
      await dbh.close();
    },
  };
}
