/**
 * Development secrets, generated once and kept in DATA_DIR/secrets.json (0600):
 * the session secret and a local Twilio auth token so webhooks stay signed and
 * checked even with no Twilio account (call-sim reads the same file).
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface TDevSecrets {
  sessionSecret: string;
  twilioAuthToken: string;
}

export function devSecretsPath(dataDir: string): string {
  return join(dataDir, "secrets.json");
}

export function loadOrCreateDevSecrets(dataDir: string): TDevSecrets {
  const file = devSecretsPath(dataDir);
  if (existsSync(file)) {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<TDevSecrets>;
    if (parsed.sessionSecret && parsed.twilioAuthToken) return parsed as TDevSecrets;
  }
  const secrets: TDevSecrets = {
    sessionSecret: randomBytes(32).toString("hex"),
    twilioAuthToken: randomBytes(16).toString("hex"),
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
