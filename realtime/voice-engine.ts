/**
 * Builds the voice engine for a process: providers chosen by config, the
 * local voice for the apology, cached greetings (warmed in the background),
 * and the media-stream server. The composition root (api/runtime) and the benchmark use it.
 */
import type { TEventBus } from "../core/kernel/events";
import type { TLogger } from "../core/kernel/logger";
import type { TDb } from "../db/client";
import type { TEnv } from "../env";
import type { TSessionOptions, TSessionStats } from "./call-session";
import { createProviders, type TProviders } from "../core/conversation/providers/select-providers";
import { createLocalTts } from "../core/conversation/providers/tts/local";
import { createMediaServer, type TMediaServer, type TMediaServerDeps } from "./server";
import { createVoicePrompts, type TVoicePrompts } from "../core/conversation/voice-prompts";
import { createDiskPromptStore } from "../core/conversation/prompt-store";

export interface TVoiceEngine {
  media: TMediaServer;
  prompts: TVoicePrompts;
  /** Resolves when the greeting and apology audio are synthesised. */
  ready: Promise<void>;
}

export function createVoiceEngine(input: {
  config: Pick<TEnv, "providers" | "openai" | "google">;
  db: TDb;
  events: TEventBus;
  log: TLogger;
  options?: TSessionOptions;
  onSessionEnd?: (stats: TSessionStats) => void;
  /** Per-socket session factory (engine choice, watchdog, DTMF, call actions); default: the pipeline session. */
  createSession?: TMediaServerDeps["createSession"];
  /** Who may open a media stream (realtime/stream-auth.ts). */
  auth: TMediaServerDeps["auth"];
  /** The process's providers (the composition root builds them once); chosen from config when absent. */
  providers?: TProviders;
  /** Admission control (realtime/admission.ts): told when streams start and end. */
  admission?: TMediaServerDeps["admission"];
  /** Folder the voice prompts are kept in between starts (DATA_DIR/voice); absent: made at every start. */
  promptDir?: string;
}): TVoiceEngine {
  const log = input.log.child({ component: "voice" });
  const providers = input.providers ?? createProviders({ config: input.config, db: input.db, events: input.events, log: input.log });
  const localTts = providers.tts.name === "local" ? providers.tts : createLocalTts();
  const store = input.promptDir ? createDiskPromptStore(input.promptDir) : undefined;
  const prompts = createVoicePrompts({ tts: providers.tts, fallbackTts: localTts, log, store });
  const ready = prompts.warm(input.db).catch((err) => log.error({ err }, "could not synthesise the voice prompts"));
  const media = createMediaServer({
    log: input.log,
    db: input.db,
    events: input.events,
    providers: {
      stt: providers.stt,
      tts: providers.tts,
      agent: providers.agent,
      fallbackAgent: providers.agent === providers.localAgent ? undefined : providers.localAgent,
    },
    prompts,
    options: input.options,
    onSessionEnd: input.onSessionEnd,
    createSession: input.createSession,
    auth: input.auth,
    admission: input.admission,
  });
  return { media, prompts, ready };
}
