/**
 * Bun entry: one process serving the Hono app (HTTP + tRPC + dashboard) and
 * the Twilio media WebSocket on PORT.
 */
import { join } from "node:path";
import { ConfigError, loadEnv } from "../env";
import { createCallRecorder } from "../realtime/persist/call-recorder";
import type { TSocketData } from "../realtime/server";
import { createStreamAuth } from "../realtime/stream-auth";
import { createVoiceEngine } from "../realtime/voice-engine";
import { createCallIntelligence } from "./runtime/call-intelligence";
import { createApp } from "./app";
import { MAX_REQUEST_BODY } from "./middleware/body-limits";
import { bootstrap } from "./bootstrap";
import { callDeferrals } from "./jobs/call-deferrals";
import { createProcessJobs } from "./jobs/process-jobs";
import { messagingDepsOf } from "./sms/messaging-deps";
import { createProviders } from "../core/conversation/providers/select-providers";
import { createWhatsAppHub } from "./whatsapp/whatsapp-hub";
import { createSessionLocks } from "./whatsapp/baileys/session-locks";

async function main() {
  let config;
  try {
    config = loadEnv();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`[kesher] ${err.message}`);
      process.exit(1);
    }
    throw err;
  }

  const { deps, seed } = await bootstrap(config);
  const { log } = deps;
  // WhatsApp answers with the shared conversation agent (channel "whatsapp") and transcribes voice notes with real STT only.
  const waProviders = createProviders({ config, db: deps.dbh.db, events: deps.events, log });
  const waStt = waProviders.stt.name === "local-simulator" ? null : waProviders.stt;
  const waFallback = waProviders.agent === waProviders.localAgent ? undefined : waProviders.localAgent;
  // One owner per Baileys session across instances (advisory locks on PostgreSQL); the socket double only outside production (env.ts).
  const socketFactory = config.whatsappSocketDouble ? (await import("../test/doubles/baileys-socket")).autoOpenSocketFactory() : undefined;
  const locks = createSessionLocks({ pg: deps.dbh.pg, log });
  deps.whatsapp = createWhatsAppHub({ db: deps.dbh.db, log, events: deps.events, config, agent: waProviders.agent, fallbackAgent: waFallback, stt: waStt, locks, socketFactory });
  // Transfers, hangups, the watchdog, Record-mode transcription and post-call analysis.
  // Background work on pg-boss (api/jobs): analysis, recordings, reminders, payment-link expiry. Durable, retried,
  // each job worked by one instance; the engine starts after listening so it does not delay the first request.
  const jobs = createProcessJobs({ config, dbh: deps.dbh, log, events: deps.events, stt: waStt, messaging: messagingDepsOf(deps) });
  deps.jobs = jobs;
  const calls = createCallIntelligence({ config, db: deps.dbh.db, events: deps.events, log, stt: waStt, defer: callDeferrals(jobs) });
  // The socket address for TRUST_PROXY=0 (the default): Bun knows it, the portable app does not.
  const app = createApp(deps, { ...calls.appOptions, peerAddress: (req) => server.requestIP(req)?.address ?? null });
  // A call's writes survive a long database outage: queued in order, bounded in memory, then spilled to DATA_DIR/spill.
  const spillDir = join(config.dataDir, "spill");
  const sessionWithSpill: typeof calls.createSession = (d) => calls.createSession({ ...d, recorder: d.recorder ?? createCallRecorder({ db: d.db, log: d.log, events: d.events, spillDir }) });
  // Media streams: Twilio-signed upgrade + the voice webhook's one-time token, checked with the same token as webhooks.
  const auth = createStreamAuth({
    db: deps.dbh.db,
    log,
    authToken: deps.twilioAuthToken,
    sharedKeySecret: config.twilio.sharedKeySecret,
    signatureCheck: config.twilio.signatureCheck,
    publicBaseUrl: config.publicBaseUrl,
    publicMediaUrl: config.publicMediaUrl,
    simulator: config.voiceSimulator ?? false,
  });
  if (config.voiceSimulator) log.warn("VOICE_SIMULATOR=on: media streams may script the speech recognition (call-sim, tests). Never in production.");
  const { media } = createVoiceEngine({ config, db: deps.dbh.db, events: deps.events, log, createSession: sessionWithSpill, auth });

  const server = Bun.serve<TSocketData>({
    port: config.port,
    hostname: config.host,
    idleTimeout: 60,
    // Outer cap on any request body (Bun answers 413 unread); per-route limits are in api/middleware/body-limits.ts.
    maxRequestBodySize: MAX_REQUEST_BODY,
    fetch(req, srv) {
      const upgraded = media.upgrade(req, srv);
      if (upgraded instanceof Response) return upgraded;
      if (upgraded) return undefined;
      return app.fetch(req, { server: srv });
    },
    websocket: media.websocket,
  });

  const url = config.publicBaseUrl ?? `http://localhost:${server.port}`;
  log.info({ port: server.port, db: deps.dbh.kind, url }, "kesher listening");
  if (seed.seeded && seed.adminPassword) {
    // Printed once; only the hash is stored.
    console.log(
      [
        "",
        "  ┌──────────────────────────────────────────────────────────┐",
        "  │ Kesher demo business created: שי דירות ומשרדים בע״מ",
        `  │ Dashboard: ${url}`,
        `  │ Admin login: ${seed.adminEmail}`,
        `  │ Password:    ${seed.adminPassword}   (shown once, save it)`,
        "  └──────────────────────────────────────────────────────────┘",
        "",
      ].join("\n"),
    );
  } else {
    console.log(`\n  Kesher is running: ${url}\n`);
  }

  deps.audio.warm().catch((err) => log.error({ err }, "could not generate static prompts"));
  jobs.start().catch((err: unknown) => log.error({ err }, "job engine did not start; the next enqueue retries"));
  // One WhatsApp Web session per number: only the api group (or the single process) holds them.
  if (config.processRole !== "realtime") deps.whatsapp.baileys.resumeAll().catch((err) => log.error({ err }, "could not resume whatsapp sessions"));

  // Graceful drain (a deploy sends SIGTERM): stop listening so new calls go to other
  // instances, let live calls finish for up to DRAIN_TIMEOUT_S, then end the rest,
  // flush their persistence and exit. A second signal skips the wait.
  let stopping = false;
  let force = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      force = true;
      log.warn({ signal, activeCalls: media.activeCount() }, "second signal: ending live calls now");
      return;
    }
    stopping = true;
    const deadline = Date.now() + config.drainTimeoutS * 1000;
    log.info({ signal, activeCalls: media.activeCount(), drainTimeoutS: config.drainTimeoutS }, "draining: no new calls, waiting for live calls to finish");
    void server.stop(false);
    while (media.activeCount() > 0 && !force && Date.now() < deadline) await Bun.sleep(200);
    if (media.activeCount() > 0) log.warn({ activeCalls: media.activeCount() }, "drain timeout: ending the remaining calls");
    await media.closeAll("shutdown");
    await server.stop(true);
    await deps.whatsapp?.close();
    // A job still running after this is retried by another instance (heartbeat) or at the next start.
    await jobs.stop(force ? 0 : 5_000);
    await deps.dbh.close();
    log.info("shutdown complete");
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

await main();
