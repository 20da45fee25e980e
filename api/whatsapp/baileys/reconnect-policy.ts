/**
 * What to do when a Baileys connection closes, decided from the status code
 * of `lastDisconnect.error` (a Boom). Pure, so it is tested per code.
 *
 * - 515 restartRequired: expected right after pairing → reconnect at once.
 * - 401 loggedOut: the phone removed this device → stop, clear auth, ask for a new login.
 * - 403 forbidden / 440 connectionReplaced: reconnecting would fight WhatsApp
 *   (ban risk) or another session → stop, never loop.
 * - 411 multideviceMismatch / 500 badSession: the stored session is unusable → treat as logged out.
 * - anything else (408, 428, 503, network errors): transient → reconnect with exponential backoff.
 */
import { DisconnectReason } from "@whiskeysockets/baileys";

export type TReconnectDecision =
  | { action: "reconnect"; delayMs: number; reason: string }
  | { action: "logged_out"; reason: string }
  | { action: "stop"; reason: string };

export interface TBackoff {
  baseMs: number;
  maxMs: number;
  /** After this many consecutive transient failures, stop and wait for a manual restart. */
  maxAttempts: number;
}

export const DEFAULT_BACKOFF: TBackoff = { baseMs: 2_000, maxMs: 60_000, maxAttempts: 12 };

/** The HTTP-like status code Baileys attaches to a disconnect error, if any. */
export function disconnectCode(error: unknown): number | undefined {
  const e = error as { output?: { statusCode?: unknown }; data?: { statusCode?: unknown } } | undefined;
  const code = e?.output?.statusCode;
  return typeof code === "number" ? code : undefined;
}

/**
 * @param code     status code of the close (undefined for plain network errors)
 * @param attempt  consecutive reconnect attempts so far (0 for the first close)
 * @param random   jitter source in [0,1) (injectable for tests)
 */
export function decideReconnect(
  code: number | undefined,
  attempt: number,
  backoff: TBackoff = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): TReconnectDecision {
  switch (code) {
    case DisconnectReason.restartRequired:
      return { action: "reconnect", delayMs: 0, reason: "restart_required" };
    case DisconnectReason.loggedOut:
      return { action: "logged_out", reason: "logged_out" };
    case DisconnectReason.badSession:
    case DisconnectReason.multideviceMismatch:
      return { action: "logged_out", reason: code === DisconnectReason.badSession ? "bad_session" : "multidevice_mismatch" };
    case DisconnectReason.forbidden:
      return { action: "stop", reason: "forbidden" };
    case DisconnectReason.connectionReplaced:
      return { action: "stop", reason: "connection_replaced" };
  }
  if (attempt >= backoff.maxAttempts) return { action: "stop", reason: "too_many_attempts" };
  const exp = Math.min(backoff.maxMs, backoff.baseMs * 2 ** attempt);
  // Full jitter on the upper half keeps many businesses from reconnecting in lockstep.
  const delayMs = Math.round(exp / 2 + (exp / 2) * random());
  return { action: "reconnect", delayMs, reason: code ? `transient_${code}` : "network" };
}
