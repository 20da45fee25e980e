/**
 * Bun entry: one process serving the Hono app (HTTP + tRPC + dashboard) and
 * the Twilio media WebSocket on PORT.
 */
import { ConfigError, loadEnv } from "../env";
import type { TSocketData } from "../realtime/server";
import { createVoiceEngine } from "../realtime/voice-engine";
import { createCallIntelligence } from "../realtime/engines/call-intelligence";
import { createApp } from "./app";
import { bootstrap } from "./bootstrap";
import { startTaskReminders } from "./services/tasks/task-reminders";
import { createProviders } from "../realtime/providers/select-providers";
import { createWhatsAppHub } from "./whatsapp/whatsapp-hub";

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
  // Claiming is atomic, so every process may run it without double reminders.
  const stopReminders = startTaskReminders({ db: deps.dbh.db, events: deps.events, log });
  // WhatsApp answers with the shared conversation agent (channel "whatsapp") and transcribes voice notes with real STT only.
  const waProviders = createProviders({ config, db: deps.dbh.db, events: deps.events, log });
  const waStt = waProviders.stt.name === "local-simulator" ? null : waProviders.stt;
  const waFallback = waProviders.agent === waProviders.localAgent ? undefined : waProviders.localAgent;
  deps.whatsapp = createWhatsAppHub({ db: deps.dbh.db, log, events: deps.events, config, agent: waProviders.agent, fallbackAgent: waFallback, stt: waStt });
  // Transfers, hangups, the watchdog, Record-mode transcription and post-call analysis.
  const calls = createCallIntelligence({ config, db: deps.dbh.db, events: deps.events, log, stt: waStt });
  const app = createApp(deps, calls.appOptions);
  const { media } = createVoiceEngine({ config, db: deps.dbh.db, events: deps.events, log, createSession: calls.createSession });

  const server = Bun.serve<TSocketData>({
    port: config.port,
    hostname: config.host,
    idleTimeout: 60,
    fetch(req, srv) {
      if (media.upgrade(req, srv)) return undefined;
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
    stopReminders();
    const deadline = Date.now() + config.drainTimeoutS * 1000;
    log.info({ signal, activeCalls: media.activeCount(), drainTimeoutS: config.drainTimeoutS }, "draining: no new calls, waiting for live calls to finish");
    void server.stop(false);
    while (media.activeCount() > 0 && !force && Date.now() < deadline) await Bun.sleep(200);
    if (media.activeCount() > 0) log.warn({ activeCalls: media.activeCount() }, "drain timeout: ending the remaining calls");
    await media.closeAll("shutdown");
    await server.stop(true);
    await deps.whatsapp?.close();
    await deps.dbh.close();
    log.info("shutdown complete");
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

await main();
