/**
 * Serves the tRPC router under /trpc through the fetch adapter (runtime
 * portable: Bun, Node, edge). Batching and SSE subscriptions work as is;
 * a batch is capped at TRPC_MAX_BATCH calls, refused before its body is read.
 */
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { Handler } from "hono";
import { envServerPeerAddress, clientAddressResolver, type TClientAddress } from "../middleware/client-address";
import { createLoginLimiter, type TLoginLimiter } from "../services/auth/login-limiter";
import type { TAppDeps, THonoEnv } from "../types";
import { createTrpcContext } from "./context";
import { jsonHasNul, NUL_INPUT_MESSAGE, trpcBadRequest } from "./input-guard";
import { appRouter } from "./router";

export const TRPC_ENDPOINT = "/trpc";

/** Most calls one HTTP request may carry (the clients' httpBatchLink maxItems matches). */
export const TRPC_MAX_BATCH = 20;

export function trpcHandler(deps: TAppDeps, opts: { limiter?: TLoginLimiter; clientAddress?: TClientAddress } = {}): Handler<THonoEnv> {
  const limiter = opts.limiter ?? createLoginLimiter(deps.dbh.db);
  const clientAddress = opts.clientAddress ?? clientAddressResolver(deps.config.trustProxy, envServerPeerAddress);
  return async (c) => {
    const log = c.get("log");
    const url = new URL(c.req.url);
    const batch = url.searchParams.get("batch") === "1";
    const paths = url.pathname.slice(TRPC_ENDPOINT.length + 1).split(",");
    if (batch && paths.length > TRPC_MAX_BATCH) {
      log.warn({ calls: paths.length, max: TRPC_MAX_BATCH }, "trpc batch refused: too many calls");
      const reason = `batch of ${paths.length} calls exceeds ${TRPC_MAX_BATCH}`;
      return c.json({ error: { message: `יותר מדי פעולות בבקשה אחת (עד ${TRPC_MAX_BATCH})`, code: -32600, data: { code: "BAD_REQUEST", httpStatus: 400, reason } } }, 400);
    }
    // Inputs are read here once (the body is already capped by the route's body limit) to refuse NUL before any procedure.
    let req = c.req.raw;
    const raw = req.method === "POST" ? await req.text() : (url.searchParams.get("input") ?? "");
    if (jsonHasNul(raw)) {
      log.info({ paths }, "trpc input refused: NUL character");
      return c.json(trpcBadRequest(paths, batch, NUL_INPUT_MESSAGE, "NUL character in input") as object, 400);
    }
    if (req.method === "POST") req = new Request(req.url, { method: "POST", headers: req.headers, body: raw, signal: req.signal });
    return fetchRequestHandler({
      endpoint: TRPC_ENDPOINT,
      req,
      router: appRouter,
      maxBatchSize: TRPC_MAX_BATCH,
      createContext: ({ req, resHeaders }) => createTrpcContext({ deps, log, req, resHeaders, ip: clientAddress(c), limiter }),
      onError: ({ error, path }) => {
        if (error.code === "INTERNAL_SERVER_ERROR") log.error({ err: error.cause ?? error, path }, "trpc internal error");
      },
    });
  };
}
