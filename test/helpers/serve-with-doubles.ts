/**
 * Test entry point: the real server (api/runtime/serve.ts, as `npm start`
 * runs it) with the Baileys socket double plugged in when
 * WHATSAPP_SOCKET_DOUBLE=on (refused in production by env.ts). Spawned by
 * multi-process tests instead of api/main.ts, so production code never
 * imports a test double.
 */
import { configOrExit, serve } from "../../api/runtime/serve";
import { autoOpenSocketFactory } from "../doubles/baileys-socket";

const config = configOrExit();
await serve(config, { whatsappSocketFactory: config.whatsappSocketDouble ? autoOpenSocketFactory() : undefined });
