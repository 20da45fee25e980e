/**
 * Typed client for the Kesher API, for integrators and tests:
 *
 * @example
 *   import { createKesherClient } from "kesher/api/client";
 *   const kesher = createKesherClient("https://kesher.example.com/trpc");
 *   await kesher.auth.login.mutate({ email, password });   // remembers the session cookie
 *   const { items } = await kesher.customers.list.query({ search: "רמת גן" });
 *   kesher.notifications.onEvent.subscribe(undefined, { onData: (e) => console.log(e.type) });
 *
 * Queries and mutations go through the batch link; subscriptions over SSE
 * with the `eventsource` package (Node and Bun have no global EventSource).
 * Outside a browser the session cookie is kept in memory (or passed in).
 */
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink, type TRPCClientError } from "@trpc/client";
import { EventSource } from "eventsource";
import type { AppRouter } from "./trpc/router";

export type { AppRouter } from "./trpc/router";
export type TKesherClientError = TRPCClientError<AppRouter>;

type TFetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface TKesherClientOptions {
  /** An existing session cookie value (`kesher_session=…` or just the token). */
  cookie?: string;
  /** Custom fetch (tests pass the Hono app's `request`). */
  fetch?: TFetch;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
  /** Where the session cookie is kept; pass one to read it after login. */
  jar?: TCookieJar;
}

export type TKesherClient = ReturnType<typeof createTRPCClient<AppRouter>>;

/** Holds the session cookie (`kesher_session=…`) between requests. */
export interface TCookieJar {
  cookie: string | undefined;
}

export function createKesherClient(url: string, opts: TKesherClientOptions = {}): TKesherClient {
  const jar: TCookieJar = opts.jar ?? { cookie: undefined };
  if (opts.cookie) jar.cookie = opts.cookie.includes("=") ? opts.cookie : `kesher_session=${opts.cookie}`;
  const baseFetch: TFetch = opts.fetch ?? ((input, init) => fetch(input, init));

  /** fetch that sends the jar's cookie and stores Set-Cookie answers. */
  const cookieFetch: TFetch = async (input, init = {}) => {
    const headers = new Headers(init.headers);
    for (const [k, v] of Object.entries(opts.headers ?? {})) headers.set(k, v);
    if (jar.cookie) headers.set("cookie", jar.cookie);
    const res = await baseFetch(input, { ...init, headers });
    for (const sc of res.headers.getSetCookie?.() ?? []) {
      const [pair] = sc.split(";");
      if (!pair) continue;
      const [name, value] = [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)];
      if (name !== "kesher_session") continue;
      jar.cookie = value && !/max-age=0/i.test(sc) ? `${name}=${value}` : undefined;
    }
    return res;
  };

  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === "subscription",
        true: httpSubscriptionLink({
          url,
          EventSource,
          eventSourceOptions: () => ({
            fetch: (u: string | URL, init: RequestInit) => cookieFetch(u, init),
          }),
        }),
        // The server refuses batches of more than 20 calls (api/trpc/mount.ts TRPC_MAX_BATCH).
        false: httpBatchLink({ url, fetch: cookieFetch, maxItems: 20 }),
      }),
    ],
  });
}
