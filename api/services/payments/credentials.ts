/**
 * Per-business payment provider credentials, encrypted at rest with
 * AES-256-GCM under a key derived (HKDF-SHA256) from the session secret.
 * The database alone never reveals a client secret or HMAC key.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { TDb } from "../../../db/client";
import { paymentCredentials } from "../../../db/schema";
import { AppError } from "../../../core/kernel/errors";
import { writeAudit } from "../../../core/domain/write-audit";
import type { TScope } from "../../../core/domain/scope";
import { parseInput } from "../../lib/parse-input";

/**
 * Where the server may send a business's credentials: the providers' own
 * sandbox and live hosts, over https. Anything else would let whoever edits
 * the settings make the server POST secrets to a host of their choosing (SSRF).
 */
export const PROVIDER_HOSTS = {
  paypal: ["api-m.sandbox.paypal.com", "api-m.paypal.com", "api.sandbox.paypal.com", "api.paypal.com"],
  tranzila: ["api.tranzila.com"],
} as const;

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** A loopback URL: the local provider doubles, a test-only override that production refuses (saveCredentials). */
export function isLoopbackUrl(url: string): boolean {
  try {
    return LOOPBACK_HOSTS.has(new URL(url).hostname);
  } catch {
    return false;
  }
}

const API_URL_MESSAGE = "כתובת ה-API של ספק הסליקה אינה מורשית. השאירו ריק לשימוש בכתובת הרשמית";

function allowedApiUrl(provider: TPaymentProviderName) {
  return z
    .string()
    .trim()
    .max(300)
    .refine((v) => {
      let u: URL;
      try {
        u = new URL(v);
      } catch {
        return false;
      }
      if (u.username || u.password) return false;
      if (isLoopbackUrl(v)) return u.protocol === "http:" || u.protocol === "https:";
      return u.protocol === "https:" && (PROVIDER_HOSTS[provider] as readonly string[]).includes(u.hostname) && (u.port === "" || u.port === "443");
    }, API_URL_MESSAGE);
}

export const ZPaypalCredentials = z.object({
  clientId: z.string().trim().min(4).max(200),
  clientSecret: z.string().trim().min(4).max(200),
  /** The webhook id PayPal assigned to our notification URL (needed to verify signatures). */
  webhookId: z.string().trim().min(4).max(100),
  mode: z.enum(["sandbox", "live"]).default("sandbox"),
  /** Override of the REST base URL: PayPal's own hosts only (tests: a loopback double, refused in production). */
  apiBaseUrl: allowedApiUrl("paypal").optional(),
});
export const ZTranzilaCredentials = z.object({
  terminalName: z.string().trim().min(2).max(100),
  /** Public application key (X-tranzila-api-app-key). */
  appKey: z.string().trim().min(4).max(200),
  /** Private key: signs every API request (HMAC-SHA256). */
  secret: z.string().trim().min(4).max(200),
  /** Override of the API base URL: Tranzila's own host only (tests: a loopback double, refused in production). */
  apiBaseUrl: allowedApiUrl("tranzila").optional(),
});
export type TPaypalCredentials = z.infer<typeof ZPaypalCredentials>;
export type TTranzilaCredentials = z.infer<typeof ZTranzilaCredentials>;
export type TPaymentProviderName = "paypal" | "tranzila";
export type TCredentialsOf<P extends TPaymentProviderName> = P extends "paypal" ? TPaypalCredentials : TTranzilaCredentials;

const SCHEMAS = { paypal: ZPaypalCredentials, tranzila: ZTranzilaCredentials } as const;

function keyFrom(secret: string): Buffer {
  return Buffer.from(hkdfSync("sha256", secret, "kesher", "payment-credentials/v1", 32));
}

/** v1.<iv>.<tag>.<ciphertext>, base64url parts. */
export function encryptJson(secret: string, value: unknown): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyFrom(secret), iv);
  const data = Buffer.concat([cipher.update(JSON.stringify(value), "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), data.toString("base64url")].join(".");
}

export function decryptJson(secret: string, blob: string): unknown {
  const [v, iv, tag, data] = blob.split(".");
  if (v !== "v1" || !iv || !tag || !data) throw new Error("unknown credentials format");
  const decipher = createDecipheriv("aes-256-gcm", keyFrom(secret), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return JSON.parse(Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8"));
}

/**
 * Save (insert or replace) a business's credentials for one provider.
 * `allowLoopback: false` (production, see the payments router) refuses the
 * local doubles' loopback URLs.
 */
export async function saveCredentials(
  db: TDb,
  scope: TScope,
  secret: string,
  provider: TPaymentProviderName,
  input: unknown,
  opts: { allowLoopback?: boolean } = {},
): Promise<void> {
  const value = parseInput(SCHEMAS[provider], input);
  if (opts.allowLoopback === false && value.apiBaseUrl && isLoopbackUrl(value.apiBaseUrl)) {
    throw new AppError("BAD_REQUEST", `${provider}: loopback API URL refused in production`, { userMessage: API_URL_MESSAGE });
  }
  const encrypted = encryptJson(secret, value);
  await db.transaction(async (tx) => {
    await tx
      .insert(paymentCredentials)
      .values({ businessId: scope.businessId, provider, encrypted })
      .onConflictDoUpdate({ target: [paymentCredentials.businessId, paymentCredentials.provider], set: { encrypted, updatedAt: new Date() } });
    // Never the secret itself in the audit trail.
    await writeAudit(tx, scope, { action: "payments.credentials", entityType: "payment_credentials", entityId: provider, after: { provider, configured: true } });
  });
}

/** Load and decrypt; NOT configured → a Hebrew error telling staff what to do. */
export async function loadCredentials<P extends TPaymentProviderName>(db: TDb, businessId: string, secret: string, provider: P): Promise<TCredentialsOf<P>> {
  const [row] = await db
    .select({ encrypted: paymentCredentials.encrypted })
    .from(paymentCredentials)
    .where(and(eq(paymentCredentials.businessId, businessId), eq(paymentCredentials.provider, provider)));
  if (!row) {
    throw new AppError("UNPROCESSABLE", `${provider} not configured`, { userMessage: provider === "paypal" ? "חשבון PayPal לא הוגדר לעסק" : "מסוף טרנזילה לא הוגדר לעסק" });
  }
  try {
    return SCHEMAS[provider].parse(decryptJson(secret, row.encrypted)) as TCredentialsOf<P>;
  } catch (err) {
    throw new AppError("INTERNAL", "payment credentials cannot be decrypted (session secret changed?)", { cause: err, userMessage: "פרטי הסליקה השמורים אינם קריאים, יש להזין אותם מחדש" });
  }
}

/** Which providers a business has configured (never the values). */
export async function configuredProviders(db: TDb, scope: TScope): Promise<TPaymentProviderName[]> {
  const rows = await db.select({ provider: paymentCredentials.provider }).from(paymentCredentials).where(eq(paymentCredentials.businessId, scope.businessId));
  return rows.map((r) => r.provider);
}
