/**
 * Who may open a media stream, checked at the media server's edge:
 *  1. the WebSocket upgrade carries Twilio's `X-Twilio-Signature` over the
 *     stream's public wss:// URL (no params), validated with twilio's own
 *     validator; a Webhooks Rule may make Twilio sign with a SharedKey and
 *     HMAC-SHA256 instead, which `X-Twilio-Webhooks-Signature-Settings` says;
 *  2. the `start` message carries the one-time token the signed voice webhook
 *     minted (core/kernel/stream-token.ts) for exactly that CallSid, unexpired, and
 *     the call row is claimed for this stream: unknown, completed or
 *     already-streamed calls are refused.
 * An admitted start gets its customParameters replaced by trusted values (the
 * row's business, call id and caller; the origin from PUBLIC_BASE_URL or the
 * signed token; the simulator script only with VOICE_SIMULATOR=on), so
 * nothing downstream ever reads a parameter a stranger chose.
 */
import { and, eq, inArray, isNull, or, sql } from "drizzle-orm";
import twilio from "twilio";
import { publicOrigin, toWebSocketOrigin } from "../core/kernel/public-url";
import { verifyStreamToken } from "../core/kernel/stream-token";
import type { TLogger } from "../core/kernel/logger";
import type { TDb } from "../db/client";
import { callLogs } from "../db/schema";

export interface TStreamAuthInput {
  db: TDb;
  log: TLogger;
  /** Twilio auth token: configured, or the development token from DATA_DIR/secrets.json (as for webhooks). */
  authToken: string | undefined;
  /** SharedKey secret of a Twilio Webhooks Rule (TWILIO_WEBHOOK_SHARED_KEY), for HMAC-SHA256 signatures. */
  sharedKeySecret?: string;
  /** TWILIO_SIGNATURE_CHECK (off only in development): skips the upgrade signature, never the start token. */
  signatureCheck: boolean;
  publicBaseUrl?: string;
  /** Where Twilio opens media streams (PUBLIC_MEDIA_URL), when not the public origin. */
  publicMediaUrl?: string;
  /** VOICE_SIMULATOR=on: honour call-sim's script side channel (customParameters.simScript). */
  simulator: boolean;
  now?: () => number;
  /** How long the call-row claim may take before the token alone decides (database outage). */
  claimTimeoutMs?: number;
}

export type TVerdict = { ok: true } | { ok: false; reason: string };
export type TAdmission = { ok: true; customParameters: Record<string, string> } | { ok: false; reason: string };

export interface TStreamAuth {
  /** Check the WebSocket upgrade request (before upgrading). */
  checkUpgrade(req: Request): TVerdict;
  /** Check a `start` and claim its call; on success, the trusted parameters to hand the session. */
  admitStart(start: { callSid: string; streamSid: string; customParameters: Record<string, string> }): Promise<TAdmission>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LIVE = ["queued", "ringing", "in_progress"] as const;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const t = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms)));
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

export function createStreamAuth(input: TStreamAuthInput): TStreamAuth {
  const now = input.now ?? (() => Date.now());
  // Tokens admitted without the database (outage, or no row to claim), kept until they expire:
  // one use per process even then.
  const usedOffline = new Map<string, number>();

  const publicStreamUrl = (req: Request) => {
    const url = new URL(req.url);
    const origin = input.publicMediaUrl ?? toWebSocketOrigin(publicOrigin(req, input.publicBaseUrl));
    return `${origin}${url.pathname}${url.search}`;
  };

  const claim = async (callSid: string, streamSid: string, callId: string | undefined) => {
    const byCall = callId ? eq(callLogs.id, callId) : undefined;
    // Twilio's own stream-status callback may already have recorded this very stream sid.
    const [row] = await input.db
      .update(callLogs)
      .set({ streamSid, updatedAt: sql`now()` })
      .where(and(byCall, eq(callLogs.callSid, callSid), inArray(callLogs.status, [...LIVE]), or(isNull(callLogs.streamSid), eq(callLogs.streamSid, streamSid))))
      .returning({ id: callLogs.id, businessId: callLogs.businessId, fromNumber: callLogs.fromNumber });
    if (row) return { row };
    const [seen] = await input.db.select({ status: callLogs.status, streamSid: callLogs.streamSid }).from(callLogs).where(and(byCall, eq(callLogs.callSid, callSid))).limit(1);
    if (!seen) return { missing: true as const };
    return { refused: (LIVE as readonly string[]).includes(seen.status) ? "call already has a media stream" : `call is ${seen.status}` };
  };

  const once = (token: string, expiresAt: number) => {
    const t = now();
    for (const [k, exp] of usedOffline) if (exp < t) usedOffline.delete(k);
    if (usedOffline.has(token)) return false;
    usedOffline.set(token, expiresAt);
    return true;
  };

  return {
    checkUpgrade(req) {
      if (!input.signatureCheck) {
        input.log.warn("TWILIO_SIGNATURE_CHECK=off: accepting an unsigned media-stream upgrade (development only)");
        return { ok: true };
      }
      const signature = req.headers.get(twilio.SIGNATURE_HEADER);
      if (!signature) return { ok: false, reason: "no X-Twilio-Signature" };
      const settings = req.headers.get(twilio.SIGNATURE_SETTINGS_HEADER);
      // A settings header means a Webhooks Rule signed with its SharedKey, using the algorithm it names.
      const secret = settings ? input.sharedKeySecret : input.authToken;
      if (!secret) return { ok: false, reason: settings ? "SharedKey signature but no TWILIO_WEBHOOK_SHARED_KEY configured" : "no Twilio auth token configured" };
      const url = publicStreamUrl(req);
      const algorithm = twilio.getSignatureAlgorithm(settings);
      if (algorithm !== twilio.HMAC_SHA1 && algorithm !== twilio.HMAC_SHA256) return { ok: false, reason: `unsupported signature algorithm ${algorithm}` };
      if (!twilio.validateRequest(secret, signature, url, {}, algorithm)) return { ok: false, reason: `bad signature for ${url}` };
      return { ok: true };
    },

    async admitStart(start) {
      if (!input.authToken) return { ok: false, reason: "no Twilio auth token configured" };
      const p = start.customParameters;
      const v = verifyStreamToken(input.authToken, p.streamToken, start.callSid, now());
      if (!v.ok) return { ok: false, reason: `stream token ${v.reason}` };
      const { claims } = v;
      if (claims.callId !== undefined && !UUID.test(claims.callId)) return { ok: false, reason: "stream token names no call" };

      let known: { id: string; businessId: string; fromNumber: string | null } | undefined;
      try {
        const r = await withTimeout(claim(start.callSid, start.streamSid, claims.callId), input.claimTimeoutMs ?? 2000);
        if ("refused" in r) return { ok: false, reason: r.refused ?? "refused" };
        if ("missing" in r) {
          // A row the token names must exist; only a webhook that could not write one mints a token without a call id.
          if (claims.callId) return { ok: false, reason: "unknown call" };
          if (!once(p.streamToken!, claims.expiresAt)) return { ok: false, reason: "stream token already used" };
        } else known = r.row;
      } catch (err) {
        // Database unreachable: the signed token still proves a signed webhook answered this CallSid.
        input.log.warn({ err, callSid: start.callSid }, "could not claim the call row; admitting the stream on its signed token alone");
        if (!once(p.streamToken!, claims.expiresAt)) return { ok: false, reason: "stream token already used" };
      }

      const trusted: Record<string, string> = { callSid: start.callSid, origin: input.publicBaseUrl ?? claims.origin };
      const callId = known?.id ?? claims.callId;
      if (callId) trusted.callId = callId;
      if (known) {
        trusted.businessId = known.businessId;
        trusted.caller = known.fromNumber ?? "";
      }
      if (p.engine === "pipeline" || p.engine === "realtime") trusted.engine = p.engine;
      if (input.simulator && p.simScript) trusted.simScript = p.simScript;
      return { ok: true, customParameters: trusted };
    },
  };
}
