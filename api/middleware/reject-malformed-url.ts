/**
 * Refuse a request whose path cannot be decoded (malformed percent-encoding
 * such as `/%E0%A4%A`) or decodes to a NUL, before any route decodes it and
 * throws. A clear 400 in Hebrew, logged at info: it is the caller's mistake,
 * not ours, so it must not write an error log per request.
 */
import type { MiddlewareHandler } from "hono";
import type { THonoEnv } from "../types";

export const MALFORMED_URL_MESSAGE = "כתובת הדף אינה תקינה";

export function rejectMalformedUrl(): MiddlewareHandler<THonoEnv> {
  return async (c, next) => {
    const path = new URL(c.req.url).pathname;
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      c.get("log").info({ path: path.slice(0, 200) }, "refused: malformed percent-encoding in path");
      return c.json({ error: { code: "BAD_REQUEST", message: MALFORMED_URL_MESSAGE } }, 400);
    }
    if (decoded.includes("\0")) {
      c.get("log").info({ path: path.slice(0, 200) }, "refused: NUL in path");
      return c.json({ error: { code: "BAD_REQUEST", message: MALFORMED_URL_MESSAGE } }, 400);
    }
    await next();
  };
}
