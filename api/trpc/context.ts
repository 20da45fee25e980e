/**
 * tRPC request context: who is calling (session cookie → user), from where
 * (the address resolved under TRUST_PROXY, for rate limits and audit), and whether a mutation may proceed (CSRF
 * origin check). Built once per HTTP request by the /trpc mount.
 */
import type { TLogger } from "../../core/kernel/logger";
import { publicOrigin } from "../../core/kernel/public-url";
import { readSessionCookie } from "../services/auth/session-cookie";
import { validateSession, type TSessionUser } from "../services/auth/sessions";
import type { TLoginLimiter } from "../services/auth/login-limiter";
import type { TAppDeps } from "../types";

export interface TTrpcContext {
  deps: TAppDeps;
  log: TLogger;
  req: Request;
  /** Headers added to the HTTP response (Set-Cookie on login/logout/renewal). */
  resHeaders: Headers;
  ip: string | null;
  userAgent: string | null;
  /** The logged-in user, or null. */
  session: TSessionUser | null;
  /** False when the request comes from another site (Origin/Sec-Fetch-Site mismatch). */
  sameOrigin: boolean;
  /** Production → Secure cookies. */
  secureCookies: boolean;
  limiter: TLoginLimiter;
}

export interface TCreateContextInput {
  deps: TAppDeps;
  log: TLogger;
  req: Request;
  resHeaders: Headers;
  /** The client's address as resolved under TRUST_PROXY (api/middleware/client-address.ts). */
  ip: string | null;
  limiter: TLoginLimiter;
}

/**
 * Cross-site request check for state-changing calls. Browsers send Origin on
 * every cross-origin POST and Sec-Fetch-Site on modern engines; non-browser
 * clients (the typed client, scripts) send neither and are allowed, since a
 * cookie they hold was not obtained through a victim's browser.
 */
export function isSameOrigin(req: Request, publicBaseUrl: string | undefined): boolean {
  const site = req.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") return false;
  const origin = req.headers.get("origin");
  if (!origin) return true;
  if (origin === "null") return false;
  const own = new Set([publicOrigin(req, publicBaseUrl), new URL(req.url).origin]);
  return own.has(origin.replace(/\/+$/, ""));
}

export async function createTrpcContext(input: TCreateContextInput): Promise<TTrpcContext> {
  const { deps, req } = input;
  const secureCookies = deps.config.nodeEnv === "production";
  const token = readSessionCookie(req.headers.get("cookie"));
  const session = token
    ? await validateSession(deps.dbh.db, token, { resHeaders: input.resHeaders, secure: secureCookies })
    : null;
  return {
    deps,
    log: session ? input.log.child({ userId: session.user.id }) : input.log,
    req,
    resHeaders: input.resHeaders,
    ip: input.ip,
    userAgent: req.headers.get("user-agent"),
    session,
    sameOrigin: isSameOrigin(req, deps.config.publicBaseUrl),
    secureCookies,
    limiter: input.limiter,
  };
}
