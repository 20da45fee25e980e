/**
 * The Kesher side of `bench:realtime`, in its own process: the real media
 * server (signed upgrades, one-time stream tokens), engine sessions on the
 * OpenAI Realtime engine through the real SDK to the fake (FAKE_BASE_URL,
 * FAKE_CA_FILE), call services (watchdog, analysis) and admission control,
 * on PGlite in memory or DATABASE_URL (a throwaway database). POST /ring does
 * what the signed voice webhook does — asks admission control, registers
 * the call, mints its token — and answers {refused} over capacity (the
 * webhook would answer with the Record flow). GET /stats: aggregated session
 * stats, CPU, RSS, admission counters.
 *
 * Several of these can share one port as MEDIA_WORKERS does (`--workers N`):
 * the media port is bound with `reusePort` (BENCH_PORT: join that port; unset:
 * a free one), /stats and /reset are on a control port of each process's own
 * (BENCH_CTL), and the later workers join the first one's database
 * (BENCH_SHARED_DB_URL) instead of making their own.
 *
 * Env: TWILIO_AUTH_TOKEN, FAKE_BASE_URL, FAKE_CA_FILE, MAX_CALLS, ADMISSION_MAX_LAG_MS, APPEND_BATCH_MS, BENCH_PORT, BENCH_SHARED_DB_URL.
 */
import { readFileSync } from "node:fs";
import OpenAI from "openai";
import { createLogger } from "../../core/kernel/logger";
import { createEventBus } from "../../core/kernel/events";
import { mintStreamToken, STREAM_TOKEN_TTL_MS } from "../../core/kernel/stream-token";
import { registerIncomingCall } from "../../api/services/calls/register-incoming-call";
import { createCallServices } from "../../api/runtime/call-services";
import type { TSessionStats } from "../../realtime/call-session";
import { engineSessionFactory } from "../../realtime/engines/engine-session";
import { createRealtimeSession } from "../../realtime/engines/realtime-session";
import { quantile } from "../../realtime/metrics";
import { createLocalTts } from "../../core/conversation/providers/tts/local";
import { createMediaServer, type TSocketData } from "../../realtime/server";
import { createStreamAuth } from "../../realtime/stream-auth";
import { createVoicePrompts } from "../../core/conversation/voice-prompts";
import { createAdmission } from "../../realtime/admission";
import { createDb } from "../../db/client";
import { businesses } from "../../db/schema";
import { openBenchDb } from "./bench-db";
import { benchProviders } from "./bench-providers";

const env = process.env;
const log = createLogger((env.LOG_LEVEL as "warn") ?? "warn");
const authToken = env.TWILIO_AUTH_TOKEN;
if (!authToken || !env.FAKE_BASE_URL || !env.FAKE_CA_FILE) throw new Error("bench-realtime-server needs TWILIO_AUTH_TOKEN, FAKE_BASE_URL and FAKE_CA_FILE (bench:realtime passes them)");

// PostgreSQL: a throwaway database, so the benchmark never touches real data; a later worker joins the first one's.
const shared = env.BENCH_SHARED_DB_URL;
const dbh = shared ? await createDb({ databaseUrl: shared, maxConnections: 20 }) : await openBenchDb(env.DATABASE_URL, "kesher_bench_rt");
if (shared) for (const sig of ["SIGTERM", "SIGINT"] as const) process.on(sig, () => void dbh.close().finally(() => process.exit(0)));
if (!shared && env.DATABASE_URL) {
  // openBenchDb names it after this process.
  const u = new URL(env.DATABASE_URL);
  u.pathname = `/kesher_bench_rt_${process.pid}`;
  console.log(`BENCH_DB_URL=${u}`);
}
const prompts = createVoicePrompts({ tts: createLocalTts(), fallbackTts: createLocalTts(), log });
await prompts.warm(dbh.db);
// The caller listens to the greeting the calls get: the ringing business's own (the generic one is shorter:
// with it the fake's first turn began ~2.8 s before the greeting ended, and every first reply queued behind it).
const greetingAudioMs = Math.max(
  0,
  ...(await dbh.db.select({ id: businesses.id }).from(businesses)).map((b) => (prompts.greeting(b.id)?.mulaw.length ?? 0) / 8),
);

const services = createCallServices({
  db: dbh.db,
  log,
  config: { twilio: { accountSid: `AC${"0".repeat(32)}`, authToken, apiBaseUrl: "http://127.0.0.1:9", signatureCheck: true }, openai: { apiKey: undefined, baseUrl: undefined }, publicBaseUrl: "http://127.0.0.1" },
  openai: null,
  watchdog: { startTimeoutMs: 60_000, mediaGapMs: 60_000, checkEveryMs: 1000 },
});
const client = new OpenAI({ apiKey: "sk-bench", baseURL: env.FAKE_BASE_URL, maxRetries: 0 });
const ca = readFileSync(env.FAKE_CA_FILE, "utf8");
const batch = env.APPEND_BATCH_MS ? Number(env.APPEND_BATCH_MS) : undefined;
const createSession = engineSessionFactory({
  services,
  defaultEngine: "realtime",
  createRealtime: (d, hooks) => createRealtimeSession(d, { client, wsOptions: { ca }, appendBatchMs: batch }, hooks),
});
const admission = createAdmission({ maxCalls: env.MAX_CALLS ? Number(env.MAX_CALLS) : undefined, maxLagMs: Number(env.ADMISSION_MAX_LAG_MS ?? 150), log });

const agg = { sessions: 0, framesIn: 0, framesLost: 0, bargeIns: 0, underruns: 0, maxLeadMs: 0, fallbacks: 0, bargeInClear: [] as number[], greeting: [] as number[] };
const onSessionEnd = (s: TSessionStats) => {
  agg.sessions++;
  agg.framesIn += s.framesIn;
  agg.framesLost += s.framesLost;
  agg.bargeIns += s.bargeIns;
  agg.underruns += s.underruns ?? 0;
  agg.maxLeadMs = Math.max(agg.maxLeadMs, s.maxLeadMs ?? 0);
  agg.fallbacks += s.fallbacks;
  agg.bargeInClear.push(...s.bargeInClearMs);
  if (s.greetingFirstFrameMs !== undefined) agg.greeting.push(s.greetingFirstFrameMs);
};
const auth = createStreamAuth({ db: dbh.db, log, authToken, signatureCheck: true, simulator: false });
const media = createMediaServer({ log, db: dbh.db, events: createEventBus(), providers: benchProviders(), prompts, onSessionEnd, auth, createSession, admission });

let cpu0 = process.cpuUsage();
let t0 = performance.now();
let peakRss = process.memoryUsage.rss();
let peakActive = 0;
setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  peakActive = Math.max(peakActive, media.activeCount());
}, 250).unref();
const q = (xs: number[]) => ({ p50: quantile(xs, 0.5), p99: quantile(xs, 0.99), n: xs.length });

// /reset and /stats: on a control port of this process's own (with --workers the media port is shared).
const control = Bun.serve({
  port: 0,
  hostname: "127.0.0.1",
  fetch(req) {
    const url = new URL(req.url);
    if (url.pathname === "/reset") {
      cpu0 = process.cpuUsage();
      t0 = performance.now();
      peakRss = process.memoryUsage.rss();
      peakActive = 0;
      return Response.json({ ok: true, rssMb: peakRss / 2 ** 20 });
    }
    if (url.pathname === "/stats") {
      const cpu = process.cpuUsage(cpu0);
      return Response.json({
        ...agg,
        bargeInClear: q(agg.bargeInClear),
        greeting: q(agg.greeting),
        active: media.activeCount(),
        peakActive,
        admission: admission.stats(),
        cpuS: (cpu.user + cpu.system) / 1e6,
        wallS: (performance.now() - t0) / 1000,
        db: dbh.kind,
        greetingAudioMs,
        rssMb: process.memoryUsage.rss() / 2 ** 20,
        peakRssMb: peakRss / 2 ** 20,
      });
    }
    return new Response("not found", { status: 404 });
  },
});

// The media port: Twilio's side (signed upgrades) and /ring (the voice webhook's part), shared by every worker.
const server = Bun.serve<TSocketData>({
  port: env.BENCH_PORT ? Number(env.BENCH_PORT) : 0,
  hostname: "127.0.0.1",
  reusePort: true,
  idleTimeout: 120,
  async fetch(req, srv) {
    const upgraded = media.upgrade(req, srv);
    if (upgraded instanceof Response) return upgraded;
    if (upgraded) return undefined;
    const url = new URL(req.url);
    if (url.pathname === "/ring" && req.method === "POST") {
      const callSid = url.searchParams.get("callSid") ?? "";
      const from = url.searchParams.get("from");
      if (!admission.reserve(callSid).ok) return Response.json({ refused: true });
      const reg = await registerIncomingCall(dbh.db, { callSid, from, to: null });
      services.watchdog.expectStream(callSid);
      const streamToken = mintStreamToken(authToken, { callSid, callId: reg.callId, origin: `http://${url.host}`, expiresAt: Date.now() + STREAM_TOKEN_TTL_MS });
      return Response.json({ callSid, caller: from ?? "", businessId: reg.business.id, callId: reg.callId, streamToken, engine: "realtime" });
    }
    return new Response("not found", { status: 404 });
  },
  websocket: media.websocket,
});
console.log(`BENCH_PORT=${server.port} BENCH_CTL=http://127.0.0.1:${control.port}`);
