/**
 * Serves a runtime on PORT with Bun.serve: media WebSocket upgrades first, then
 * the Hono app; prints the first-start banner; drains gracefully on SIGTERM/SIGINT.
 * With MEDIA_WORKERS=N, N such processes share PORT (reusePort; media-workers.ts).
 * Used by api/main.ts (npm start) and the test entry with doubles.
 */
import { ConfigError, loadEnv, type TEnv } from "../../env";
import { createLogger } from "../../core/kernel/logger";
import type { TMediaServer, TSocketData } from "../../realtime/server";
import { MAX_REQUEST_BODY } from "../middleware/body-limits";
import type { TApp } from "../app";
import { createRuntime, type TRuntimeOverrides } from "./create-runtime";
import { spawnMediaWorkers, watchParent, workerIndexOf } from "./media-workers";

/** The config from the environment, or a one-line error and exit 1 (an entry point's first step). */
export function configOrExit(): TEnv {
  try {
    return loadEnv();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`[kesher] ${err.message}`);
      process.exit(1);
    }
    throw err;
  }
}

/** Bun.serve's fetch: a media WebSocket upgrade (or its refusal) first, else the Hono app. */
export function mediaThenApp(app: Pick<TApp, "fetch">, media: Pick<TMediaServer, "upgrade">) {
  return (req: Request, srv: Parameters<TMediaServer["upgrade"]>[1]): Response | Promise<Response> | undefined => {
    const upgraded = media.upgrade(req, srv);
    if (upgraded instanceof Response) return upgraded;
    if (upgraded) return undefined;
    return app.fetch(req, { server: srv });
  };
}

export async function serve(config: TEnv, overrides: Omit<TRuntimeOverrides, "peerAddress"> = {}) {
  let server: ReturnType<typeof Bun.serve<TSocketData>> | undefined;
  const pooled = config.mediaWorkers > 1;
  const mediaWorker = pooled ? workerIndexOf(Bun.argv) : 0;
  // Every log line says which worker wrote it (a call's lines all come from the one that accepted its stream).
  const workerLog = overrides.log ?? (pooled ? createLogger(config.logLevel).child({ mediaWorker }) : undefined);
  // The socket address for TRUST_PROXY=0 (the default): Bun knows it, the portable app does not.
  const runtime = await createRuntime(config, { ...overrides, log: workerLog, peerAddress: (req) => server?.requestIP(req)?.address ?? null });
  const { app, media, deps, seed } = runtime;
  const { log } = deps;

  server = Bun.serve<TSocketData>({
    port: config.port,
    hostname: config.host,
    // MEDIA_WORKERS > 1: every worker listens on PORT and the kernel spreads new connections across them.
    reusePort: pooled,
    idleTimeout: 60,
    // Outer cap on any request body (Bun answers 413 unread); per-route limits are in api/middleware/body-limits.ts.
    maxRequestBodySize: MAX_REQUEST_BODY,
    fetch: mediaThenApp(app, media),
    websocket: media.websocket,
  });

  const url = config.publicBaseUrl ?? `http://localhost:${server.port}`;
  log.info({ port: server.port, db: deps.dbh.kind, url, ...(pooled ? { mediaWorker, mediaWorkers: config.mediaWorkers } : {}) }, "kesher listening");
  if (mediaWorker === 0) console.log(banner(url, seed));
  runtime.startBackground();
  // Worker 0 spawns the others only now: migrations, secrets and the seed are done once, before them.
  const pool = pooled && mediaWorker === 0 ? spawnMediaWorkers({ count: config.mediaWorkers, entry: Bun.main, log }) : null;

  // Graceful drain (a deploy sends SIGTERM): stop listening so new calls go to other
  // instances, let live calls finish for up to DRAIN_TIMEOUT_S, then end the rest,
  // flush their persistence and exit. A second signal skips the wait.
  let stopping = false;
  let force = false;
  const shutdown = async (signal: string) => {
    if (stopping) {
      force = true;
      log.warn({ signal, activeCalls: media.activeCount() }, "second signal: ending live calls now");
      void pool?.stop();
      return;
    }
    stopping = true;
    // The other workers drain their own calls meanwhile; this one exits after them.
    const workersDone = pool?.stop();
    const deadline = Date.now() + config.drainTimeoutS * 1000;
    log.info({ signal, activeCalls: media.activeCount(), drainTimeoutS: config.drainTimeoutS }, "draining: no new calls, waiting for live calls to finish");
    void server?.stop(false);
    while (media.activeCount() > 0 && !force && Date.now() < deadline) await Bun.sleep(200);
    if (media.activeCount() > 0) log.warn({ activeCalls: media.activeCount() }, "drain timeout: ending the remaining calls");
    await media.closeAll("shutdown");
    await server?.stop(true);
    await runtime.close({ graceMs: force ? 0 : 5_000 });
    await workersDone;
    log.info("shutdown complete");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  if (mediaWorker === 0) process.on("SIGINT", () => void shutdown("SIGINT"));
  else {
    // A terminal's Ctrl-C reaches every worker; worker 0 passes it on as SIGTERM, once.
    process.on("SIGINT", () => {});
    watchParent(() => void shutdown("worker 0 exited"));
  }
  return { runtime, server };
}

function banner(url: string, seed: { seeded: boolean; adminEmail?: string; adminPassword?: string }): string {
  if (!seed.seeded || !seed.adminPassword) return `\n  Kesher is running: ${url}\n`;
  // Printed once; only the hash is stored.
  return [
    "",
    "  ┌──────────────────────────────────────────────────────────┐",
    "  │ Kesher demo business created: שי דירות ומשרדים בע״מ",
    `  │ Dashboard: ${url}`,
    `  │ Admin login: ${seed.adminEmail}`,
    `  │ Password:    ${seed.adminPassword}   (shown once, save it)`,
    "  └──────────────────────────────────────────────────────────┘",
    "",
  ].join("\n");
}
