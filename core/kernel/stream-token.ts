/**
 * The one-time token that binds a media stream to the call a signed
 * `/twilio/voice` webhook registered. The webhook mints it and passes it as a
 * `<Parameter name="streamToken">`; the media server checks it on `start`
 * (realtime/stream-auth.ts). It is an HMAC-SHA256, keyed by the Twilio auth
 * token, over the CallSid, the call_logs id, the public origin the webhook
 * saw and an expiry, so a stream cannot name another call, keep a token past
 * its expiry, or choose where Kesher later sends Twilio (watchdog redirect,
 * transfer): that origin is the one inside the signed token.
 *
 * Wire form: `v1.<callId or ->.<expiry ms>.<base64url origin>.<base64url mac>`.
 * One-time use is enforced by the checker (the call row's stream_sid), not here.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

/** Default lifetime: Twilio opens the stream within seconds of the webhook answer. */
export const STREAM_TOKEN_TTL_MS = 2 * 60 * 1000;

export interface TStreamTokenClaims {
  callSid: string;
  /** call_logs.id; absent when the webhook could not write the row (database hiccup). */
  callId?: string;
  /** Public http(s) origin the signed webhook arrived on. */
  origin: string;
  /** Expiry, epoch milliseconds. */
  expiresAt: number;
}

export type TStreamTokenCheck = { ok: true; claims: TStreamTokenClaims } | { ok: false; reason: "missing" | "malformed" | "bad-signature" | "expired" };

const b64u = (s: string) => Buffer.from(s, "utf8").toString("base64url");
const fromB64u = (s: string) => Buffer.from(s, "base64url").toString("utf8");

function mac(secret: string, callSid: string, callId: string, expiresAt: number, origin: string): Buffer {
  // Domain-separated from Twilio's own use of the same key (HMAC-SHA1 over URLs).
  return createHmac("sha256", secret).update(`kesher-media-stream-v1\n${callSid}\n${callId}\n${expiresAt}\n${origin}`).digest();
}

/**
 * Mint a token for a call the signed webhook just answered.
 *
 * @example
 *   const token = mintStreamToken(authToken, { callSid, callId, origin, expiresAt: Date.now() + STREAM_TOKEN_TTL_MS });
 */
export function mintStreamToken(secret: string, c: TStreamTokenClaims): string {
  const callId = c.callId ?? "-";
  return ["v1", callId, String(c.expiresAt), b64u(c.origin), mac(secret, c.callSid, callId, c.expiresAt, c.origin).toString("base64url")].join(".");
}

/** Verify a token against the CallSid Twilio reports in `start`; pure apart from the clock value passed in. */
export function verifyStreamToken(secret: string, token: string | undefined, callSid: string, nowMs: number): TStreamTokenCheck {
  if (!token) return { ok: false, reason: "missing" };
  const parts = token.split(".");
  if (parts.length !== 5 || parts[0] !== "v1") return { ok: false, reason: "malformed" };
  const [, callId, exp, originB64, macB64] = parts as [string, string, string, string, string];
  const expiresAt = Number(exp);
  if (!/^\d{1,16}$/.test(exp) || !/^[A-Za-z0-9_-]+$/.test(macB64) || !/^[A-Za-z0-9_-]*$/.test(originB64)) return { ok: false, reason: "malformed" };
  const origin = fromB64u(originB64);
  const expected = mac(secret, callSid, callId, expiresAt, origin);
  const given = Buffer.from(macB64, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "bad-signature" };
  if (nowMs > expiresAt) return { ok: false, reason: "expired" };
  return { ok: true, claims: { callSid, callId: callId === "-" ? undefined : callId, origin, expiresAt } };
}
