/**
 * The Hono app served by Deno (`Deno.serve(app.fetch)`): proof that the HTTP
 * edge uses web-standard APIs only. Run by test/deno-edge.test.ts as
 *   deno run -A --node-modules-dir=manual --unstable-sloppy-imports test/deno/serve-app.ts
 * with DATABASE_URL (a fresh, empty PostgreSQL database), TWILIO_AUTH_TOKEN
 * and ADMIN_PASSWORD; prints `{"port":N}` once listening.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../../api/app";
import { createEventBus } from "../../core/kernel/events";
import { createLogger } from "../../core/kernel/logger";
import { createStaticAudio } from "../../api/static/static-audio";
import type { TAppDeps } from "../../api/types";
import { createDb } from "../../db/client";
import { seedDemo } from "../../db/seed/seed-demo";
import { loadEnv } from "../../env";

declare const Deno: {
  env: { toObject(): Record<string, string> };
  serve(opts: { port: number; hostname: string; onListen(addr: { port: number }): void }, handler: (req: Request) => Response | Promise<Response>): unknown;
};

const env = Deno.env.toObject();
const config = loadEnv({ ...env, NODE_ENV: "test", VOICE_SIMULATOR: "on" });
const dbh = await createDb({ databaseUrl: config.databaseUrl });
await dbh.migrate();
await seedDemo(dbh.db, { adminPassword: env.ADMIN_PASSWORD });
const deps: TAppDeps = {
  config,
  dbh,
  log: createLogger("silent"),
  events: createEventBus(),
  audio: createStaticAudio(mkdtempSync(join(tmpdir(), "kesher-deno-audio-"))),
  twilioAuthToken: config.twilio.authToken,
  version: "deno-smoke",
};
const app = createApp(deps);
Deno.serve({ port: 0, hostname: "127.0.0.1", onListen: ({ port }) => console.log(JSON.stringify({ port })) }, app.fetch);
