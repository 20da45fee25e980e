/**
 * The typed tRPC client. Queries and mutations go through one batched HTTP
 * link; subscriptions (live notifications) use Server-Sent Events. The session
 * is an HttpOnly cookie, so every request carries credentials.
 */
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from "@trpc/client";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "../../../api/trpc/router";

const url = "/trpc";

export const trpc = createTRPCClient<AppRouter>({
  links: [
    splitLink({
      condition: (op) => op.type === "subscription",
      true: httpSubscriptionLink({ url, eventSourceOptions: () => ({ withCredentials: true }) }),
      false: httpBatchLink({
        url,
        // The server refuses batches of more than 20 calls (api/trpc/mount.ts TRPC_MAX_BATCH).
        maxItems: 20,
        fetch: (input, init) => fetch(input, { ...(init as RequestInit), credentials: "include" }),
      }),
    }),
  ],
});

export type TRouterInputs = inferRouterInputs<AppRouter>;
export type TRouterOutputs = inferRouterOutputs<AppRouter>;
