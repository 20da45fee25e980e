/**
 * Bun entry (`npm start`): one process serving the Hono app (HTTP + tRPC +
 * dashboard) and the Twilio media WebSocket on PORT. Everything is built by
 * the composition root (api/runtime/create-runtime.ts) and served by
 * api/runtime/serve.ts.
 */
import { ConfigError, loadEnv } from "../env";
import { serve } from "./runtime/serve";

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
await serve(config);
