/**
 * The only place `process.env` is read. Every variable is optional for the
 * embedded default (PGlite + local providers). Empty strings count as unset.
 *
 * @example
 *   const env = loadEnv(); // throws ConfigError naming the bad variable
 */
import { z } from "zod";

const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const opt = <T extends z.ZodTypeAny>(schema: T) => z.preprocess(emptyToUndefined, schema.optional());

const ZProvider = z.enum(["openai", "google", "local"]);

export const ZEnv = z.object({
  NODE_ENV: opt(z.enum(["development", "production", "test"])),
  PORT: opt(z.coerce.number().int().min(0).max(65535)),
  HOST: opt(z.string()),
  DATA_DIR: opt(z.string()),
  DATABASE_URL: opt(
    z.string().refine((v) => /^postgres(ql)?:\/\//.test(v), "must start with postgres:// or postgresql://"),
  ),
  PUBLIC_BASE_URL: opt(z.url({ protocol: /^https?$/ })),
  TWILIO_ACCOUNT_SID: opt(z.string().regex(/^AC[0-9a-fA-F]{32}$/, "must look like AC followed by 32 hex digits")),
  TWILIO_AUTH_TOKEN: opt(z.string().min(8)),
  TWILIO_API_BASE_URL: opt(z.url()),
  TWILIO_SIGNATURE_CHECK: opt(z.enum(["on", "off"])),
  TWILIO_WEBHOOK_SHARED_KEY: opt(z.string().min(8)),
  VOICE_SIMULATOR: opt(z.enum(["on", "off"])),
  OPENAI_API_KEY: opt(z.string()),
  OPENAI_BASE_URL: opt(z.url()),
  OPENAI_REALTIME_MODEL: opt(z.string()),
  REALTIME_VAD: opt(z.enum(["semantic_vad", "server_vad"])),
  GOOGLE_APPLICATION_CREDENTIALS: opt(z.string()),
  GOOGLE_TTS_ENDPOINT: opt(z.string()),
  VOICE_ENGINE: opt(z.enum(["pipeline", "realtime"])),
  STT_PROVIDER: opt(ZProvider),
  LLM_PROVIDER: opt(ZProvider),
  TTS_PROVIDER: opt(ZProvider),
  SESSION_SECRET: opt(z.string().min(16)),
  LOG_LEVEL: opt(z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"])),
  DRAIN_TIMEOUT_S: opt(z.coerce.number().int().min(0).max(3600)),
  PUBLIC_MEDIA_URL: opt(z.url({ protocol: /^wss?$/ })),
  PROCESS_ROLE: opt(z.enum(["all", "api", "realtime"])),
  JOBS_TICK_S: opt(z.coerce.number().int().min(1).max(3600)),
  WHATSAPP_SOCKET_DOUBLE: opt(z.enum(["on", "off"])),
  TRUST_PROXY: opt(z.union([z.literal("fly"), z.coerce.number().int().min(0).max(10)])),
  MAX_CALLS: opt(z.coerce.number().int().min(1).max(100_000)),
  ADMISSION_MAX_LAG_MS: opt(z.coerce.number().int().min(0).max(10_000)),
  MEDIA_WORKERS: opt(z.coerce.number().int().min(1).max(64)),
});

export type TRawEnv = z.infer<typeof ZEnv>;

export type TProviderName = z.infer<typeof ZProvider>;

export interface TEnv {
  nodeEnv: "development" | "production" | "test";
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  publicBaseUrl: string | undefined;
  twilio: {
    accountSid: string | undefined;
    authToken: string | undefined;
    /** Override of the Twilio REST base (tests point it at a local double). */
    apiBaseUrl: string | undefined;
    signatureCheck: boolean;
    /** SharedKey secret of a Twilio Webhooks Rule: requests it signs (HMAC-SHA256) are checked with it. */
    sharedKeySecret?: string;
  };
  openai: {
    apiKey: string | undefined;
    baseUrl: string | undefined;
    /** Realtime engine model (default gpt-realtime) and turn detection (default semantic_vad). */
    realtimeModel?: string;
    realtimeVad?: "semantic_vad" | "server_vad";
  };
  google: { credentials: string | undefined; ttsEndpoint: string | undefined };
  voiceEngine: "pipeline" | "realtime";
  /** VOICE_SIMULATOR=on: media streams may announce a caller script (call-sim, tests); refused in production. */
  voiceSimulator?: boolean;
  providers: { stt: TProviderName; llm: TProviderName; tts: TProviderName };
  sessionSecret: string | undefined;
  logLevel: string;
  /** On SIGTERM/SIGINT, how long live calls may continue before they are ended (graceful drain). */
  drainTimeoutS: number;
  /** Where Twilio opens media streams, e.g. wss://kesher.fly.dev:8443 (a separate realtime process group); default: the public origin. */
  publicMediaUrl: string | undefined;
  /** Fly process group: "realtime" machines do not run WhatsApp (Baileys) sessions; "all" is the single-process default. */
  processRole: "all" | "api" | "realtime";
  /** Seconds between the periodic job ticks (task reminders, payment-link expiry); default 30. */
  jobsTickS?: number;
  /** WHATSAPP_SOCKET_DOUBLE=on: Baileys sessions use the local socket double (multi-process tests); refused in production. */
  whatsappSocketDouble?: boolean;
  /**
   * Which client address to believe: 0 (default) = the socket peer only; N =
   * the address N proxies in front of us appended to X-Forwarded-For; "fly" =
   * Fly's edge header Fly-Client-IP.
   */
  trustProxy: number | "fly";
  /** Admission control (realtime/admission.ts): calls one process streams at once (unset: no count limit), and the event-loop lag above which new calls get the Record flow (0 = off, the default: a development machine or a loaded CI runner stalls at start-up; fly.toml sets 150 ms). */
  admission: { maxCalls?: number; maxLagMs: number };
  /** Processes serving PORT together (Bun.serve reusePort): the entry spawns `mediaWorkers - 1` more with the same config; each call stays in the worker that accepted its WebSocket. 1 = one process (the default). */
  mediaWorkers: number;
}

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly variables: string[],
  ) {
    super(message);
    this.name = "ConfigError";
  }
}

/**
 * Parse and normalise the environment. Pure: pass any record (tests do).
 * Throws {@link ConfigError} with every bad variable named.
 */
export function loadEnv(source: Record<string, string | undefined> = process.env): TEnv {
  const parsed = ZEnv.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new ConfigError(
      `Invalid configuration:\n  - ${problems.join("\n  - ")}`,
      parsed.error.issues.map((i) => String(i.path[0])),
    );
  }
  const e = parsed.data;
  const nodeEnv = e.NODE_ENV ?? "development";
  const production = nodeEnv === "production";

  if (production && e.TWILIO_SIGNATURE_CHECK === "off") {
    throw new ConfigError(
      "Invalid configuration:\n  - TWILIO_SIGNATURE_CHECK: 'off' is not allowed when NODE_ENV=production",
      ["TWILIO_SIGNATURE_CHECK"],
    );
  }
  if (production && !e.TWILIO_AUTH_TOKEN) {
    throw new ConfigError(
      "Invalid configuration:\n  - TWILIO_AUTH_TOKEN: required when NODE_ENV=production (webhook signatures are always checked)",
      ["TWILIO_AUTH_TOKEN"],
    );
  }

  if (production && !e.TWILIO_ACCOUNT_SID) {
    throw new ConfigError(
      "Invalid configuration:\n  - TWILIO_ACCOUNT_SID: required when NODE_ENV=production (without it the watchdog, transfers and Record redirects cannot reach Twilio)",
      ["TWILIO_ACCOUNT_SID"],
    );
  }
  if (production && e.VOICE_SIMULATOR === "on") {
    throw new ConfigError(
      "Invalid configuration:\n  - VOICE_SIMULATOR: 'on' is not allowed when NODE_ENV=production (it lets a media stream script the speech recognition)",
      ["VOICE_SIMULATOR"],
    );
  }

  if (production && e.WHATSAPP_SOCKET_DOUBLE === "on") {
    throw new ConfigError("Invalid configuration:\n  - WHATSAPP_SOCKET_DOUBLE: 'on' is not allowed when NODE_ENV=production (it replaces WhatsApp with a test double)", ["WHATSAPP_SOCKET_DOUBLE"]);
  }
  if ((e.MEDIA_WORKERS ?? 1) > 1 && !e.DATABASE_URL) {
    throw new ConfigError("Invalid configuration:\n  - MEDIA_WORKERS: more than 1 needs DATABASE_URL (worker processes share state through PostgreSQL; an embedded PGlite belongs to one process)", ["MEDIA_WORKERS"]);
  }
  if ((e.MEDIA_WORKERS ?? 1) > 1 && e.PORT === 0) {
    throw new ConfigError("Invalid configuration:\n  - MEDIA_WORKERS: more than 1 needs a fixed PORT (the workers share it), not 0", ["MEDIA_WORKERS"]);
  }
  const hasOpenAI = Boolean(e.OPENAI_API_KEY);
  const hasGoogle = Boolean(e.GOOGLE_APPLICATION_CREDENTIALS || e.GOOGLE_TTS_ENDPOINT);

  return {
    nodeEnv,
    port: e.PORT ?? 3000,
    host: e.HOST ?? "0.0.0.0",
    dataDir: e.DATA_DIR ?? "./data",
    databaseUrl: e.DATABASE_URL,
    publicBaseUrl: e.PUBLIC_BASE_URL?.replace(/\/+$/, ""),
    twilio: {
      accountSid: e.TWILIO_ACCOUNT_SID,
      authToken: e.TWILIO_AUTH_TOKEN,
      apiBaseUrl: e.TWILIO_API_BASE_URL,
      signatureCheck: production ? true : e.TWILIO_SIGNATURE_CHECK !== "off",
      sharedKeySecret: e.TWILIO_WEBHOOK_SHARED_KEY,
    },
    openai: { apiKey: e.OPENAI_API_KEY, baseUrl: e.OPENAI_BASE_URL, realtimeModel: e.OPENAI_REALTIME_MODEL, realtimeVad: e.REALTIME_VAD },
    google: { credentials: e.GOOGLE_APPLICATION_CREDENTIALS, ttsEndpoint: e.GOOGLE_TTS_ENDPOINT },
    voiceEngine: e.VOICE_ENGINE ?? "pipeline",
    voiceSimulator: e.VOICE_SIMULATOR === "on",
    providers: {
      stt: e.STT_PROVIDER ?? (hasOpenAI ? "openai" : "local"),
      llm: e.LLM_PROVIDER ?? (hasOpenAI ? "openai" : "local"),
      tts: e.TTS_PROVIDER ?? (hasGoogle ? "google" : "local"),
    },
    sessionSecret: e.SESSION_SECRET,
    logLevel: e.LOG_LEVEL ?? (nodeEnv === "test" ? "silent" : "info"),
    drainTimeoutS: e.DRAIN_TIMEOUT_S ?? 240,
    publicMediaUrl: e.PUBLIC_MEDIA_URL?.replace(/\/+$/, ""),
    processRole: e.PROCESS_ROLE ?? "all",
    jobsTickS: e.JOBS_TICK_S ?? 30,
    whatsappSocketDouble: e.WHATSAPP_SOCKET_DOUBLE === "on",
    trustProxy: e.TRUST_PROXY ?? 0,
    admission: { maxCalls: e.MAX_CALLS, maxLagMs: e.ADMISSION_MAX_LAG_MS ?? 0 },
    mediaWorkers: e.MEDIA_WORKERS ?? 1,
  };
}
