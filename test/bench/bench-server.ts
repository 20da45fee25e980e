/**
 * The server side of `bench:calls`, in its own process so the clients' work
 * does not pollute its timings: the real media server and call sessions on a
 * real (in-memory PGlite, or DATABASE_URL) database with delay-only provider
 * doubles. Prints `BENCH_PORT=<port>`; GET /stats returns aggregated session
 * stats and the process's CPU and memory. POST /ring?callSid=…&from=… does
 * what the signed voice webhook does (registers the call, mints its stream
 * token) so streams pass the real checks: upgrades signed with
 * TWILIO_AUTH_TOKEN (bench-calls passes a throwaway one), the script side
 * channel on (this is a simulator).
 */
import { createLogger } from "../../core/kernel/logger";
import { createEventBus } from "../../core/kernel/events";
import { mintStreamToken, STREAM_TOKEN_TTL_MS } from "../../core/kernel/stream-token";
import { registerIncomingCall } from "../../api/services/calls/register-incoming-call";
import { loadEnv } from "../../env";
import type { TSessionStats } from "../../realtime/call-session";
import { LatencyHistogram, quantile } from "../../realtime/metrics";
import { createLocalTts } from "../../core/conversation/providers/tts/local";
import { createMediaServer, type TSocketData } from "../../realtime/server";
import { createStreamAuth } from "../../realtime/stream-auth";
import { createVoicePrompts } from "../../core/conversation/voice-prompts";
import { openBenchDb } from "./bench-db";
import { benchProviders } from "./bench-providers";

const env = loadEnv();
const log = createLogger(env.logLevel === "info" ? "warn" : env.logLevel);
// PostgreSQL: a throwaway database, so the benchmark never touches real data.
const dbh = await openBenchDb(env.databaseUrl, "kesher_bench");
const providers = benchProviders();
const prompts = createVoicePrompts({ tts: providers.tts, fallbackTts: createLocalTts(), log });
await prompts.warm(dbh.db);

const agg = { sessions: 0, frameHandling: new LatencyHistogram(), framesIn: 0, framesLost: 0, malformed: 0, bargeIns: 0, greeting: [] as number[], bargeInClear: [] as number[], overhead: [] as number[], firstFrame: [] as number[], fallbacks: 0, fillers: 0 };
const onSessionEnd = (s: TSessionStats) => {
  agg.sessions++;
  agg.frameHandling.merge(s.frameHandling);
  agg.framesIn += s.framesIn;
  agg.framesLost += s.framesLost;
  agg.malformed += s.malformed;
  agg.bargeIns += s.bargeIns;
  agg.fallbacks += s.fallbacks;
  agg.fillers += s.fillers ?? 0;
  if (s.greetingFirstFrameMs !== undefined) agg.greeting.push(s.greetingFirstFrameMs);
  agg.bargeInClear.push(...s.bargeInClearMs);
  agg.overhead.push(...s.turnOverheadMs);
  agg.firstFrame.push(...s.turnFirstFrameMs);
};
const authToken = env.twilio.authToken;
if (!authToken) throw new Error("bench-server needs TWILIO_AUTH_TOKEN (bench-calls passes one)");
const auth = createStreamAuth({ db: dbh.db, log, authToken, signatureCheck: true, simulator: true });
const media = createMediaServer({ log, db: dbh.db, events: createEventBus(), providers, prompts, onSessionEnd, auth });

let cpu0 = process.cpuUsage();
let t0 = performance.now();
let peakRss = process.memoryUsage.rss();
const baseRss = peakRss;
let peakActive = 0;
setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  peakActive = Math.max(peakActive, media.activeCount());
}, 250).unref();

const q = (xs: number[]) => ({ p50: quantile(xs, 0.5), p95: quantile(xs, 0.95), p99: quantile(xs, 0.99), max: xs.length ? Math.max(...xs) : 0, n: xs.length });

const server = Bun.serve<TSocketData>({
  port: 0,
  hostname: "127.0.0.1",
  idleTimeout: 120,
  async fetch(req, srv) {
    const upgraded = media.upgrade(req, srv);
    if (upgraded instanceof Response) return upgraded;
    if (upgraded) return undefined;
    const url = new URL(req.url);
    if (url.pathname === "/ring" && req.method === "POST") {
      const callSid = url.searchParams.get("callSid") ?? "";
      const from = url.searchParams.get("from");
      const reg = await registerIncomingCall(dbh.db, { callSid, from, to: null });
      const streamToken = mintStreamToken(authToken, { callSid, callId: reg.callId, origin: `http://${url.host}`, expiresAt: Date.now() + STREAM_TOKEN_TTL_MS });
      return Response.json({ callSid, caller: from ?? "", businessId: reg.business.id, callId: reg.callId, streamToken });
    }
    if (url.pathname === "/reset") {
      cpu0 = process.cpuUsage();
      t0 = performance.now();
      return Response.json({ ok: true });
    }
    if (url.pathname === "/stats") {
      const cpu = process.cpuUsage(cpu0);
      const h = agg.frameHandling;
      return Response.json({
        sessions: agg.sessions,
        active: media.activeCount(),
        peakActive,
        frameHandlingMs: { p50: h.quantile(0.5), p95: h.quantile(0.95), p99: h.quantile(0.99), max: h.max, n: h.count },
        framesIn: agg.framesIn,
        framesLost: agg.framesLost,
        malformed: agg.malformed,
        bargeIns: agg.bargeIns,
        fallbacks: agg.fallbacks,
        fillers: agg.fillers,
        greetingFirstFrameMs: q(agg.greeting),
        bargeInClearMs: q(agg.bargeInClear),
        ownOverheadMs: q(agg.overhead),
        firstFrameAfterEndpointMs: q(agg.firstFrame),
        cpuMs: (cpu.user + cpu.system) / 1000,
        wallMs: performance.now() - t0,
        db: dbh.kind,
        baseRssMb: baseRss / 2 ** 20,
        peakRssMb: peakRss / 2 ** 20,
      });
    }
    return new Response("not found", { status: 404 });
  },
  websocket: media.websocket,
});
console.log(`BENCH_PORT=${server.port}`);
