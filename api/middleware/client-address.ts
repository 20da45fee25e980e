/**
 * Which address a request comes from, for login throttling, audit rows and
 * contract signatures. Headers are attacker-controlled unless a proxy we run
 * wrote them, so by default only the socket peer counts (TRUST_PROXY=0).
 *
 * - TRUST_PROXY=N: N proxies of ours sit in front; each appends the address it
 *   saw to X-Forwarded-For, so the client is the N-th entry from the right
 *   (anything further left was written by the client and is ignored).
 * - TRUST_PROXY=fly: Fly's edge overwrites Fly-Client-IP on every request.
 *
 * The socket address is runtime-specific, so it is injected (api/main.ts
 * passes Bun's server.requestIP); the app itself stays portable.
 */
import type { Context } from "hono";

/** Socket peer of a request, when the runtime knows it. */
export type TPeerAddress = (req: Request, env: unknown) => string | null;

/** The resolved client address of a Hono request (null when unknown). */
export type TClientAddress = (c: Context) => string | null;

/** Default peer getter: Hono on Bun passes `{ server }` as env (server.requestIP). */
export const envServerPeerAddress: TPeerAddress = (req, env) => {
  const server = (env as { server?: { requestIP?: (r: Request) => { address: string } | null } } | undefined)?.server;
  try {
    return server?.requestIP?.(req)?.address ?? null;
  } catch {
    return null;
  }
};

const MAX_ADDRESS_LENGTH = 64;
const clean = (v: string | null | undefined): string | null => {
  const s = v?.trim();
  // An address, not free text: IPv4/IPv6 characters only (audit rows store it as inet).
  return s && s.length <= MAX_ADDRESS_LENGTH && /^[0-9a-fA-F:.]+$/.test(s) ? s : null;
};

/**
 * Pure resolution: `peer` is the socket address, `trust` the TRUST_PROXY value.
 *
 * @example resolveClientAddress(headers("x-forwarded-for: 6.6.6.6, 203.0.113.5"), "10.0.0.2", 1) // "203.0.113.5"
 */
export function resolveClientAddress(headers: Headers, peer: string | null, trust: number | "fly"): string | null {
  if (trust === "fly") return clean(headers.get("fly-client-ip")) ?? clean(peer);
  if (trust === 0) return clean(peer);
  const hops = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  // chain[0] is our direct peer, chain[k] the address the k-th proxy saw.
  const chain = [peer, ...hops.reverse()];
  return clean(chain[Math.min(trust, chain.length - 1)]);
}

/** Build the per-request resolver from the config and the runtime's peer getter. */
export function clientAddressResolver(trust: number | "fly", peer: TPeerAddress = envServerPeerAddress): TClientAddress {
  return (c) => resolveClientAddress(c.req.raw.headers, peer(c.req.raw, c.env), trust);
}
