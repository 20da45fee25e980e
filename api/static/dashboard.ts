/**
 * Serves the built SolidJS dashboard (web/dist) with an SPA fallback to
 * index.html. node:fs only, so the api stays runtime-portable.
 */
import type { MiddlewareHandler } from "hono";
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

export function serveDashboard(distDir: string): MiddlewareHandler {
  const root = normalize(distDir);
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
    return c.body(body, 200, {
      "content-type": TYPES[extname(file)] ?? "application/octet-stream",
      "cache-control": immutable ? "public, max-age=31536000, immutable" : "no-cache",
    });
  };
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}
