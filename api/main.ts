/**
 * Bun entry: one process serving the Hono app (HTTP + tRPC + dashboard) and
 * the Twilio media WebSocket on PORT.
 */
import { ConfigError, loadEnv } from "../env";
import type { TSocketData } from "../realtime/server";
import { createVoiceEngine } from "../realtime/voice-engine";
import { createApp } from "./app";
import { bootstrap } from "./bootstrap";
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
  // WhatsApp answers with the shared conversation agent (channel "whatsapp") and transcribes voice notes with real STT only.
  const waProviders = createProviders({ config, db: deps.dbh.db, events: deps.events, log });
  const waStt = waProviders.stt.name === "local-simulator" ? null : waProviders.stt;
  const waFallback = waProviders.agent === waProviders.localAgent ? undefined : waProviders.localAgent;
  deps.whatsapp = createWhatsAppHub({ db: deps.dbh.db, log, events: deps.events, config, agent: waProviders.agent, fallbackAgent: waFallback, stt: waStt });
  const app = createApp(deps);
  const { media } = createVoiceEngine({ config, db: deps.dbh.db, events: deps.events, log });

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
  deps.whatsapp.baileys.resumeAll().catch((err) => log.error({ err }, "could not resume whatsapp sessions"));

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, activeCalls: media.activeCount() }, "shutting down");
    await media.closeAll("shutdown");
    await server.stop();
    await deps.whatsapp?.close();
    await deps.dbh.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

await main();
