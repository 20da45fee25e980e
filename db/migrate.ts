/** Apply migrations and exit (Fly release command). `npm start` also migrates on boot. */
import { join } from "node:path";
import { createDb } from "./client";
import { loadEnv } from "../env";

const env = loadEnv();
const h = await createDb({ databaseUrl: env.databaseUrl, dataDir: join(env.dataDir, "pglite") });
await h.migrate();
await h.close();
console.log(`[kesher] migrations applied (${h.kind})`);
