/**
 * Opening media streams the way Twilio does, for tests that talk to the media
 * server: the upgrade signed (X-Twilio-Signature over the public wss URL, no
 * params) and the `start` carrying the voice webhook's one-time token.
 */
import twilio from "twilio";
import { createLogger } from "../../core/kernel/logger";
import { mintStreamToken, STREAM_TOKEN_TTL_MS } from "../../core/kernel/stream-token";
import { registerIncomingCall } from "../../api/services/calls/register-incoming-call";
import type { TDb } from "../../db/client";
import { createStreamAuth, type TStreamAuth, type TStreamAuthInput } from "../../realtime/stream-auth";
import { TEST_AUTH_TOKEN } from "./app";

/** Headers of a Twilio-signed upgrade to `wsUrl` (its public URL as in the TwiML `<Stream url>`). */
export function signedUpgradeHeaders(wsUrl: string, opts: { token?: string; algorithm?: "HMAC_SHA1" | "HMAC_SHA256" } = {}): Record<string, string> {
  const algorithm = opts.algorithm ?? "HMAC_SHA1";
  const headers: Record<string, string> = { "x-twilio-signature": twilio.getExpectedTwilioSignature(opts.token ?? TEST_AUTH_TOKEN, wsUrl, {}, algorithm) };
  if (algorithm === "HMAC_SHA256") headers["x-twilio-webhooks-signature-settings"] = "key=webhooks_sharedkey_test,algorithm=HMAC_SHA256";
  return headers;
}

/** Open a WebSocket with a signed upgrade; resolves once open (rejects if refused). */
export async function openSignedStream(wsUrl: string, opts: { token?: string } = {}): Promise<WebSocket> {
  // Bun's WebSocket takes request headers (the browser one does not).
  const ws = new WebSocket(wsUrl, { headers: signedUpgradeHeaders(wsUrl, opts) } as unknown as string[]);
  ws.binaryType = "arraybuffer";
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = () => reject(new Error(`signed upgrade to ${wsUrl} failed`));
  });
  return ws;
}

/**
 * Register a call as the signed voice webhook does and return the stream
 * parameters it would put in the TwiML (with the one-time token).
 */
export async function registeredStreamParams(
  db: TDb,
  call: { callSid: string; from?: string; to?: string | null; origin?: string; token?: string },
): Promise<Record<string, string>> {
  const reg = await registerIncomingCall(db, { callSid: call.callSid, from: call.from ?? null, to: call.to ?? null });
  const streamToken = mintStreamToken(call.token ?? TEST_AUTH_TOKEN, {
    callSid: call.callSid,
    callId: reg.callId,
    origin: call.origin ?? "http://127.0.0.1",
    expiresAt: Date.now() + STREAM_TOKEN_TTL_MS,
  });
  return { callSid: call.callSid, caller: call.from ?? "", businessId: reg.business.id, callId: reg.callId, streamToken };
}

/** The stream checks as main.ts builds them, with the test auth token. */
export function testStreamAuth(db: TDb, opts: Partial<TStreamAuthInput> = {}): TStreamAuth {
  return createStreamAuth({ db, log: createLogger("silent"), authToken: TEST_AUTH_TOKEN, signatureCheck: true, simulator: true, ...opts });
}
