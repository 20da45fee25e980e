/**
 * Public billing routes (no login): the contract signing page and the
 * payment providers' notification endpoints. Everything else in billing is
 * behind tRPC.
 */
import { Hono } from "hono";
import { randomBytes } from "node:crypto";
import { AppError } from "../errors";
import { clientIp } from "../trpc/context";
import { getSigningView, signContract, ZSignContract } from "../services/contracts/sign-contract";
import type { TAppDeps, THonoEnv } from "../types";
import { messagePageHtml, signPageHtml } from "./sign-page";

/** Socket address when the runtime exposes it (Bun: server.requestIP). */
export function peerIp(env: unknown, req: Request): string | null {
  const server = (env as { server?: { requestIP?: (r: Request) => { address: string } | null } } | undefined)?.server;
  try {
    return server?.requestIP?.(req)?.address ?? null;
  } catch {
    return null;
  }
}

function htmlHeaders(nonce: string): Record<string, string> {
  return {
    "content-type": "text/html; charset=utf-8",
    "cache-control": "no-store",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "content-security-policy": `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; connect-src 'self'; img-src data:; form-action 'self'; base-uri 'none'; frame-ancestors 'none'`,
  };
}

export function signRoutes(deps: TAppDeps) {
  const app = new Hono<THonoEnv>();

  app.get("/sign/:token", async (c) => {
    const nonce = randomBytes(16).toString("base64");
    try {
      const view = await getSigningView(deps.dbh.db, c.req.param("token"));
      if (view.status === "signed") return c.body(messagePageHtml("החוזה כבר נחתם", "קישור החתימה הוא לשימוש חד-פעמי. לעותק החתום פנו למשרד.", nonce), 200, htmlHeaders(nonce));
      return c.body(signPageHtml(view, nonce), 200, htmlHeaders(nonce));
    } catch (err) {
      if (err instanceof AppError && err.status < 500) return c.body(messagePageHtml("לא ניתן לחתום", err.userMessage, nonce), err.status as 404, htmlHeaders(nonce));
      throw err;
    }
  });

  app.post("/sign/:token", async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new AppError("BAD_REQUEST", "signing body is not JSON", { userMessage: "הבקשה אינה תקינה" });
    }
    const ip = clientIp(c.req.raw, peerIp(c.env, c.req.raw));
    const parsed = ZSignContract.safeParse(body);
    if (!parsed.success) {
      return c.json({ error: { code: "BAD_REQUEST", message: parsed.error.issues[0]?.message ?? "הפרטים אינם תקינים" } }, 400);
    }
    const result = await signContract(deps.dbh.db, c.req.param("token"), parsed.data, { ip });
    c.get("log").info({ contractId: result.contractId, businessId: result.businessId }, "contract signed");
    return c.json({ ok: true, sha256: result.pdfSha256 });
  });

  return app;
}
