/**
 * The public URL Twilio used to reach us, needed for signature validation and
 * for the URLs we hand back in TwiML. PUBLIC_BASE_URL wins; otherwise it is
 * derived per request from X-Forwarded-Proto / X-Forwarded-Host / Host.
 */
export function publicOrigin(req: Request, publicBaseUrl?: string): string {
  if (publicBaseUrl) return publicBaseUrl.replace(/\/+$/, "");
  const url = new URL(req.url);
  const first = (v: string | null) => v?.split(",")[0]?.trim() || undefined;
  const proto = first(req.headers.get("x-forwarded-proto")) ?? url.protocol.replace(":", "");
  const host = first(req.headers.get("x-forwarded-host")) ?? req.headers.get("host") ?? url.host;
  return `${proto}://${host}`;
}

/** Full public URL of this request (path and query), as Twilio signed it. */
export function publicRequestUrl(req: Request, publicBaseUrl?: string): string {
  const url = new URL(req.url);
  return `${publicOrigin(req, publicBaseUrl)}${url.pathname}${url.search}`;
}

/** ws(s):// origin matching the public http(s) origin. */
export function toWebSocketOrigin(origin: string): string {
  return origin.replace(/^http(s?):\/\//, (_m, s: string) => `ws${s}://`);
}
