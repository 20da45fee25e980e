/**
 * GET /ics/<token>.ics — an agent's private viewing calendar (text/calendar).
 * No session: the token is the credential (api/services/calendar/agent-ics.ts).
 * A bad token or an inactive user gets the same 404, so nothing is revealed.
 */
import { Hono } from "hono";
import { paymentSecret } from "../billing/payment-secret";
import { agentViewingsIcs, verifyIcsToken } from "../services/calendar/agent-ics";
import type { TAppDeps } from "../types";

export function icsRoutes(deps: TAppDeps, now: () => Date = () => new Date()): Hono {
  const app = new Hono();
  app.get("/ics/:file{[A-Za-z0-9._-]+\\.ics}", async (c) => {
    const token = c.req.param("file").replace(/\.ics$/, "");
    const userId = verifyIcsToken(paymentSecret(deps), token);
    const body = userId ? await agentViewingsIcs(deps.dbh.db, userId, now()) : null;
    if (!body) return c.text("לוח השנה לא נמצא", 404);
    return c.body(body, 200, { "content-type": "text/calendar; charset=utf-8", "cache-control": "private, max-age=300" });
  });
  return app;
}
