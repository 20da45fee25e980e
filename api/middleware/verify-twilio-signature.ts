/**
 * Twilio webhook signature check (X-Twilio-Signature, HMAC-SHA1 over the
 * public URL + sorted form params) using twilio's own validateRequest.
 * Missing or forged → 403 before any handler runs, so nothing is written; a
 * missing signature is refused before the body is even read.
 */
import type { MiddlewareHandler } from "hono";
import twilio from "twilio";
import { publicRequestUrl } from "../../core/kernel/public-url";
import type { THonoEnv } from "../types";

export interface TSignatureOptions {
  authToken: string | undefined;
  enabled: boolean;
  publicBaseUrl: string | undefined;
}

export function verifyTwilioSignature(opts: TSignatureOptions): MiddlewareHandler<THonoEnv> {
  return async (c, next) => {
    const log = c.get("log");
    const signature = c.req.header("x-twilio-signature");
    if (opts.enabled && (!signature || !opts.authToken)) {
      // Refused before the body is read: an unsigned post costs nothing, whatever its size.
      log.warn({ hasSignature: Boolean(signature), path: c.req.path }, "twilio webhook rejected: missing signature");
      return c.text("Forbidden", 403);
    }
    // The body is capped by the app-wide limit (api/middleware/body-limits.ts) before it is read here.
    const params = await readFormParams(c.req.raw);
    if (opts.enabled) {
      const url = publicRequestUrl(c.req.raw, opts.publicBaseUrl);
      if (!signature || !opts.authToken || !twilio.validateRequest(opts.authToken, signature, url, params)) {
        log.warn({ url, hasSignature: Boolean(signature), path: c.req.path }, "twilio webhook rejected: bad or missing signature");
        return c.text("Forbidden", 403);
      }
    } else {
      log.warn({ path: c.req.path }, "TWILIO_SIGNATURE_CHECK=off: accepting unsigned webhook (development only)");
    }
    c.set("twilioParams", params);
    await next();
  };
}

async function readFormParams(req: Request): Promise<Record<string, string>> {
  const type = req.headers.get("content-type") ?? "";
  if (!type.includes("application/x-www-form-urlencoded")) return {};
  const body = await req.clone().text();
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(body)) out[k] = v;
  return out;
}
