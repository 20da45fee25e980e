/**
 * GET /ready: readiness, not liveness. 200 only when the database answers and
 * every prompt a caller hears first is synthesised (Twilio <Play> prompts and,
 * in a process that serves media streams, the cached stream greetings), so a
 * deploy does not route the first call to a machine that would answer with
 * seconds of silence. GET /health stays the cheap liveness probe.
 */
import type { Handler } from "hono";
import type { TAppDeps, THonoEnv } from "../types";

export interface TReadinessChecks {
  /** Extra prompt caches to wait for (e.g. the media server's greetings). */
  prompts?: () => boolean;
}

export function readinessHandler(deps: TAppDeps, checks: TReadinessChecks = {}): Handler<THonoEnv> {
  return async (c) => {
    const db = await deps.dbh.ping();
    const prompts = deps.audio.ready() && (checks.prompts?.() ?? true);
    const ok = db && prompts;
    return c.json({ ok, db: db ? deps.dbh.kind : "unreachable", prompts: prompts ? "ready" : "warming", version: deps.version }, ok ? 200 : 503);
  };
}
