/**
 * Everything before listening: config → logger → database (migrated) →
 * secrets → seed → app dependencies. Runtime-portable; used by api/main.ts,
 * the realtime process and tests that need a full stack.
 */
import { join } from "node:path";
import { createDb } from "../db/client";
import { seedDemo, type TSeedResult } from "../db/seed/seed-demo";
import type { TEnv } from "../env";
import { bridgeEventsToPostgres, createEventBus } from "../core/kernel/events";
import { loadOrCreateDevSecrets } from "../core/kernel/dev-secrets";
import { createLogger, type TLogger } from "../core/kernel/logger";
import { createStaticAudio } from "./static/static-audio";
import { createGoogleTts } from "../core/conversation/providers/tts/google";
import type { TTtsProvider } from "../core/conversation/providers/types";
import type { TAppDeps } from "./types";
import pkg from "../package.json";

export interface TBootstrapped {
  deps: TAppDeps;
  seed: TSeedResult;
  sessionSecret: string;
}

/** The TTS for the phone prompts: Google when configured (as the call pipeline chooses it), else none (espeak). */
function promptTts(config: TEnv, log: TLogger): TTtsProvider | undefined {
  if (config.providers.tts !== "google" || !(config.google.credentials || config.google.ttsEndpoint)) return undefined;
  return createGoogleTts({ log, endpoint: config.google.ttsEndpoint, keyFilename: config.google.credentials });
}

export async function bootstrap(config: TEnv, opts: { log?: TLogger; seed?: boolean } = {}): Promise<TBootstrapped> {
  const log = opts.log ?? createLogger(config.logLevel);
  const dbh = await createDb({ databaseUrl: config.databaseUrl, dataDir: join(config.dataDir, "pglite") });
  const t0 = performance.now();
  await dbh.migrate();
  log.info({ db: dbh.kind, ms: Math.round(performance.now() - t0) }, "database ready");

  const production = config.nodeEnv === "production";
  const dev = production ? undefined : loadOrCreateDevSecrets(config.dataDir);
  const sessionSecret = config.sessionSecret ?? dev?.sessionSecret;
  if (!sessionSecret) throw new Error("SESSION_SECRET is required in production");
  const twilioAuthToken = config.twilio.authToken ?? dev?.twilioAuthToken;
  if (!config.twilio.signatureCheck) {
    log.warn("!!! TWILIO_SIGNATURE_CHECK=off: Twilio webhooks are NOT verified. Never use this in production. !!!");
  } else if (!config.twilio.authToken) {
    log.info("no TWILIO_AUTH_TOKEN: webhooks are checked against the local development token in DATA_DIR/secrets.json");
  }

  // With PostgreSQL, live events cross processes (api ↔ realtime) via LISTEN/NOTIFY.
  const events = dbh.pg ? await bridgeEventsToPostgres(createEventBus(), dbh.pg, log) : createEventBus();

  const seed = opts.seed === false ? { seeded: false } : await seedDemo(dbh.db);
  const deps: TAppDeps = {
    config,
    dbh,
    log,
    events,
    // Twilio <Play> prompts in the configured voice: Google he-IL when set, else espeak.
    audio: createStaticAudio(join(config.dataDir, "static"), { tts: promptTts(config, log), log }),
    twilioAuthToken,
    version: pkg.version,
  };
  return { deps, seed, sessionSecret };
}
