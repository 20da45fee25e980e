/**
 * One table of request body limits, enforced before anything reads a body:
 * a declared Content-Length over the limit is refused at once (nothing read),
 * a chunked body is counted while it streams and cut off at the limit.
 * Bun.serve's maxRequestBodySize (api/main.ts) is the outer cap: the largest
 * limit here, so no route can ever be sent more.
 */
import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { THonoEnv } from "../types";

const KB = 1024;
const MB = 1024 * KB;

export const BODY_LIMITS = {
  /** Twilio voice/status/recording/WhatsApp webhooks: a form of a few hundred bytes. */
  webhook: 64 * KB,
  /** Payment provider notifications (PayPal event JSON). */
  payments: 256 * KB,
  /** The contract signing page (a drawn signature as a PNG data URL, ≤ 800 k characters). */
  signing: 1 * MB,
  /** A listing photo upload (multipart): a 10 MB image plus the form's framing. */
  photo: 11 * MB,
  /** tRPC calls (JSON). */
  trpc: 1 * MB,
  /** tRPC customers.importCsv: up to 5,000,000 characters of CSV; Hebrew is 2 bytes a character in JSON. */
  csvImport: 12 * MB,
  /** Anything else (GET routes, the dashboard) has no business sending a body. */
  other: 64 * KB,
} as const;

/** The largest body any route accepts: Bun.serve's maxRequestBodySize. */
export const MAX_REQUEST_BODY = Math.max(...Object.values(BODY_LIMITS));

/** Which limit applies to a path. */
export function bodyLimitFor(path: string): number {
  if (path.startsWith("/trpc/")) return /(^|,)customers\.importCsv(,|$)/.test(path.slice(6)) ? BODY_LIMITS.csvImport : BODY_LIMITS.trpc;
  if (path.startsWith("/webhook/payments/")) return BODY_LIMITS.payments;
  if (path.startsWith("/sign/")) return BODY_LIMITS.signing;
  if (/^\/photos\/properties\//.test(path)) return BODY_LIMITS.photo;
  if (/^\/(twilio|webhook|incoming_call|stream_ended|handle_recording|sms)(\/|$)/.test(path)) return BODY_LIMITS.webhook;
  return BODY_LIMITS.other;
}

export const PAYLOAD_TOO_LARGE_MESSAGE = "הבקשה גדולה מדי";

/** App-wide body limit by path (see {@link BODY_LIMITS}); 413 with a Hebrew message. */
export function bodyLimits(): MiddlewareHandler<THonoEnv> {
  const byLimit = new Map<number, MiddlewareHandler>();
  return (c, next) => {
    const max = bodyLimitFor(c.req.path);
    let mw = byLimit.get(max);
    if (!mw) {
      mw = bodyLimit({
        maxSize: max,
        onError: (cc) => {
          cc.get("log").warn({ path: cc.req.path, max, contentLength: cc.req.header("content-length") ?? null }, "request body over the limit refused");
          return cc.json({ error: { code: "PAYLOAD_TOO_LARGE", message: PAYLOAD_TOO_LARGE_MESSAGE } }, 413);
        },
      });
      byLimit.set(max, mw);
    }
    return mw(c, next);
  };
}
