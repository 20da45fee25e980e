/**
 * Chooses the STT, TTS and conversation agent from config (env.providers),
 * falling back to the local implementations — with a warning in the log —
 * when a vendor is asked for but not configured. `describe()` says what was
 * chosen, for the startup log and /health-style diagnostics.
 */
import type OpenAI from "openai";
import type { TEnv } from "../../../env";
import type { TDb } from "../../../db/client";
import type { TEventBus } from "../../kernel/events";
import type { TLogger } from "../../kernel/logger";
import { createLocalAgent } from "../brain/local-agent";
import { createFollowUpQueue, type TFollowUpQueue } from "../brain/tools/follow-up-queue";
import { createOpenAiAgent } from "../brain/openai-agent";
import type { TAgent } from "../brain/types";
import { createSimulatorStt } from "./stt/local";
import { createOpenAiStt } from "./stt/openai";
import { createGoogleTts } from "./tts/google";
import { createLocalTts } from "./tts/local";
import { createOpenAiClients } from "./openai-clients";
import type { TSttProvider, TTtsProvider } from "./types";

export interface TProviders {
  stt: TSttProvider;
  tts: TTtsProvider;
  agent: TAgent;
  /** The local agent, always available: the session's fallback when the LLM fails. */
  localAgent: TAgent;
  /** The agents' follow-up queue (tool work the database could not take, written when it answers). */
  followUps: TFollowUpQueue;
  describe(): string;
}

export interface TProviderConfig {
  providers: TEnv["providers"];
  openai: TEnv["openai"];
  google: TEnv["google"];
}

export interface TCreateProvidersInput {
  config: TProviderConfig;
  db: TDb;
  events: TEventBus;
  log: TLogger;
  /** The process's live OpenAI client (openai-clients.ts); built here from config when absent (tests, tools). */
  openai?: OpenAI | null;
  /** The process's follow-up queue (the composition root's); one is created here when absent. */
  followUps?: TFollowUpQueue;
  /** Overrides for tests and tuning. */
  options?: { llmModel?: string; sttModel?: string; googleVoice?: string; now?: () => Date };
}

export function createProviders(input: TCreateProvidersInput): TProviders {
  const { config, db, events } = input;
  const log = input.log.child({ component: "providers" });
  const o = input.options ?? {};
  let openai: OpenAI | undefined = input.openai ?? undefined;
  // A phone caller cannot wait for retries: the live policy fails fast and the session falls back.
  const openaiClient = () => (openai ??= createOpenAiClients(config).live as OpenAI);

  // Both agents share one follow-up queue: a conversation that falls back keeps one follow-up.
  const followUps = input.followUps ?? createFollowUpQueue({ db, events, log: input.log });
  const localAgent = createLocalAgent({ db, events, log: input.log, now: o.now, followUps });

  let stt: TSttProvider;
  if (config.providers.stt === "openai" && config.openai.apiKey) {
    stt = createOpenAiStt({ client: openaiClient(), log: input.log, model: o.sttModel });
  } else {
    if (config.providers.stt !== "local") log.warn({ requested: config.providers.stt }, "STT provider not configured (OPENAI_API_KEY missing or unsupported vendor); using the local simulator STT");
    stt = createSimulatorStt({ log: input.log });
  }

  let agent: TAgent;
  if (config.providers.llm === "openai" && config.openai.apiKey) {
    agent = createOpenAiAgent({ client: openaiClient(), db, events, log: input.log, model: o.llmModel, now: o.now, followUps });
  } else {
    if (config.providers.llm !== "local") log.warn({ requested: config.providers.llm }, "LLM provider not configured (OPENAI_API_KEY missing or unsupported vendor); using the local Hebrew brain");
    agent = localAgent;
  }

  let tts: TTtsProvider;
  if (config.providers.tts === "google" && (config.google.credentials || config.google.ttsEndpoint)) {
    tts = createGoogleTts({ log: input.log, endpoint: config.google.ttsEndpoint, keyFilename: config.google.credentials, voice: o.googleVoice });
  } else {
    if (config.providers.tts !== "local") log.warn({ requested: config.providers.tts }, "TTS provider not configured (Google credentials missing or unsupported vendor); using local espeak-ng");
    tts = createLocalTts();
  }

  const describe = () => `stt=${stt.name} llm=${agent.name} tts=${tts.name}`;
  log.info({ stt: stt.name, llm: agent.name, tts: tts.name }, "providers selected");
  return { stt, tts, agent, localAgent, followUps, describe };
}
