/**
 * Bun entry (`npm start`): one process serving the Hono app (HTTP + tRPC +
 * dashboard) and the Twilio media WebSocket on PORT. Everything is built by
 * the composition root (api/runtime/create-runtime.ts) and served by
 * api/runtime/serve.ts.
 */
import { configOrExit, serve } from "./runtime/serve";

await serve(configOrExit());
