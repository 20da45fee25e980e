/**
 * Serves the tRPC router under /trpc through the fetch adapter (runtime
 * portable: Bun, Node, edge). Batching and SSE subscriptions work as is.
 */
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { Handler } from "hono";
import { createLoginLimiter, type TLoginLimiter } from "../services/auth/login-limiter";
import type { TAppDeps, THonoEnv } from "../types";
import { createTrpcContext } from "./context";
import { appRouter } from "./router";

export const TRPC_ENDPOINT = "/trpc";

/** The socket address when the runtime exposes it (Bun: server.requestIP). */
function peerIp(env: unknown, req: Request): string | null {
  const server = (env as { server?: { requestIP?: (r: Request) => { address: string } | null } } | undefined)?.server;
  try {
    return server?.requestIP?.(req)?.address ?? null;
  } catch {
    return null;
  }
}

export function trpcHandler(deps: TAppDeps, opts: { limiter?: TLoginLimiter } = {}): Handler<THonoEnv> {
  const limiter = opts.limiter ?? createLoginLimiter();
  return (c) =>
    fetchRequestHandler({
      endpoint: TRPC_ENDPOINT,
      req: c.req.raw,
      router: appRouter,
      createContext: ({ req, resHeaders }) =>
        createTrpcContext({ deps, log: c.get("log"), req, resHeaders, peerIp: peerIp(c.env, c.req.raw), limiter }),
      onError: ({ error, path }) => {
        if (error.code === "INTERNAL_SERVER_ERROR") c.get("log").error({ err: error.cause ?? error, path }, "trpc internal error");
      },
    });
}
