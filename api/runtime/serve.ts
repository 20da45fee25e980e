/**
 * Serves a runtime on PORT with Bun.serve: media WebSocket upgrades first, then
 * the Hono app; prints the first-start banner; drains gracefully on SIGTERM/SIGINT.
 * Used by api/main.ts (npm start) and the test entry with doubles.
 */
import { ConfigError, loadEnv, type TEnv } from "../../env";
import type { TMediaServer, TSocketData } from "../../realtime/server";
import { MAX_REQUEST_BODY } from "../middleware/body-limits";
import type { TApp } from "../app";
import { createRuntime, type TRuntimeOverrides } from "./create-runtime";

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
  // The socket address for TRUST_PROXY=0 (the default): Bun knows it, the portable app does not.
  const runtime = await createRuntime(config, { ...overrides, peerAddress: (req) => server?.requestIP(req)?.address ?? null });
  const { app, media, deps, seed } = runtime;
  const { log } = deps;

  server = Bun.serve<TSocketData>({
    port: config.port,
    hostname: config.host,
    idleTimeout: 60,
    // Outer cap on any request body (Bun answers 413 unread); per-route limits are in api/middleware/body-limits.ts.
    maxRequestBodySize: MAX_REQUEST_BODY,
    fetch: mediaThenApp(app, media),
    websocket: media.websocket,
  });

  const url = config.publicBaseUrl ?? `http://localhost:${server.port}`;
  log.info({ port: server.port, db: deps.dbh.kind, url }, "kesher listening");
  console.log(banner(url, seed));
  runtime.startBackground();

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
    void server?.stop(false);
    while (media.activeCount() > 0 && !force && Date.now() < deadline) await Bun.sleep(200);
    if (media.activeCount() > 0) log.warn({ activeCalls: media.activeCount() }, "drain timeout: ending the remaining calls");
    await media.closeAll("shutdown");
    await server?.stop(true);
    await runtime.close({ graceMs: force ? 0 : 5_000 });
    log.info("shutdown complete");
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
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
