/**
 * Which database errors are worth waiting out. A lost connection, a server
 * restarting or refusing connections, or a failover heals by itself: writes
 * that must not be lost (call turns) keep retrying those. Anything else (a
 * constraint violation, bad SQL) will fail the same way again.
 */

/** PostgreSQL SQLSTATE classes/codes that mean "the server is (temporarily) unavailable". */
const TRANSIENT_SQLSTATE = /^(08|53|57P0[1-4])/;
/** postgres-js and Node socket error codes for a connection that broke or could not open. */
const TRANSIENT_CODES = new Set(["CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "CONNECT_TIMEOUT", "ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT"]);

/**
 * True when `err` (or an error in its `cause` chain, as drizzle wraps driver
 * errors) says the database is unreachable rather than the query being wrong.
 *
 * @example
 *   retry(write, { attempts: 40, retryIf: (err, n) => n < 4 || isTransientDbError(err) })
 */
export function isTransientDbError(err: unknown): boolean {
  for (let e: unknown = err, i = 0; e && i < 6; e = (e as { cause?: unknown }).cause, i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (TRANSIENT_CODES.has(code) || TRANSIENT_SQLSTATE.test(code))) return true;
    const message = (e as { message?: unknown }).message;
    // ALLOW_CONNECTIONS false / a database being recreated answer 55000 or 3D000 with these words.
    if (typeof message === "string" && /not currently accepting connections|terminating connection|connection (?:refused|terminated|closed)|server closed the connection/i.test(message)) return true;
  }
  return false;
}

/**
 * True when `err` (or its `cause` chain) is PostgreSQL's exclusion_violation
 * (23P01): an exclusion constraint, such as "no two active viewings of one
 * listing overlap", refused the write.
 */
export function isExclusionViolation(err: unknown): boolean {
  for (let e: unknown = err, i = 0; e && i < 6; e = (e as { cause?: unknown }).cause, i++) {
    if ((e as { code?: unknown }).code === "23P01") return true;
  }
  return false;
}
