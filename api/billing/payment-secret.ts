import { loadOrCreateDevSecrets } from "../../core/kernel/dev-secrets";
import type { TAppDeps } from "../types";

/**
 * The secret payment credentials are encrypted under: SESSION_SECRET, or in
 * development the generated one in DATA_DIR/secrets.json (the same value
 * bootstrap uses). Production always has SESSION_SECRET (env.ts enforces it).
 */
export function paymentSecret(deps: Pick<TAppDeps, "config">): string {
  if (deps.config.sessionSecret) return deps.config.sessionSecret;
  if (deps.config.nodeEnv === "production") throw new Error("SESSION_SECRET is required in production");
  return loadOrCreateDevSecrets(deps.config.dataDir).sessionSecret;
}
