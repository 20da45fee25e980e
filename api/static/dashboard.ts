/**
 * Serves the built SolidJS dashboard (web/dist) with an SPA fallback to
 * index.html. node:fs only, so the api stays runtime-portable.
 *
 * Security headers on every dashboard response: a Content-Security-Policy
 * whose scripts must carry a per-response nonce (injected into index.html, so
 * an injected inline script does not run), no framing (clickjacking),
 * nosniff, a referrer policy, and HSTS in production.
 */
import type { MiddlewareHandler } from "hono";
import { randomBytes } from "node:crypto";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, sep } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".mp3": "audio/mpeg",
  ".txt": "text/plain; charset=utf-8",
};

/** Paths the dashboard must never shadow. */
const RESERVED = /^\/(trpc|twilio|webhook|ws|static|health|incoming_call|stream_ended|handle_recording)(\/|$)/;

/** The CSP for one response. Styles stay 'unsafe-inline': Solid and Tailwind set style attributes at run time. */
export function dashboardCsp(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "worker-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "media-src 'self' blob:",
    "connect-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

/** Give every <script> and <link rel="modulepreload"> of index.html the response's nonce. */
export function addNonce(html: string, nonce: string): string {
  return html.replace(/<script\b/g, `<script nonce="${nonce}"`).replace(/<link\b([^>]*\brel="modulepreload"[^>]*?)\s*>/g, `<link$1 nonce="${nonce}">`);
}

function securityHeaders(production: boolean): Record<string, string> {
  return {
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    ...(production ? { "strict-transport-security": "max-age=31536000; includeSubDomains" } : {}),
  };
}

export function serveDashboard(distDir: string, opts: { production?: boolean } = {}): MiddlewareHandler {
  const root = normalize(distDir);
  const headers = securityHeaders(opts.production ?? false);
  return async (c, next) => {
    if (c.req.method !== "GET" && c.req.method !== "HEAD") return next();
    const path = decodeURIComponent(new URL(c.req.url).pathname);
    if (RESERVED.test(path)) return next();
    const candidate = normalize(join(root, path));
    if (!candidate.startsWith(root + sep) && candidate !== root) return next();
    const file = (await isFile(candidate)) ? candidate : extname(path) ? undefined : join(root, "index.html");
    if (!file || !(await isFile(file))) return next();
    const body = await readFile(file);
    const immutable = file.includes(`${sep}assets${sep}`);
    const base = { ...headers, "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache" };
    if (extname(file) === ".html") {
      const nonce = randomBytes(16).toString("base64");
      return c.body(addNonce(body.toString("utf8"), nonce), 200, { ...base, "cache-control": "no-store", "content-security-policy": dashboardCsp(nonce) });
    }
    return c.body(body, 200, base);
  };
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}
