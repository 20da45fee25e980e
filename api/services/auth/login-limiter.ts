/**
 * Login throttling kept in PostgreSQL (table login_throttle), so every API
 * instance shares one budget. An attempt is *reserved* with one atomic
 * upsert before the password is verified: 150 concurrent guesses cannot all
 * slip past a check that only counts failures afterwards.
 *
 * Two keys per attempt:
 * - (account, address): a few tries per window, then a block that doubles
 *   each time (backoff). A stranger elsewhere never locks the real user out,
 *   because there is no account-wide lockout.
 * - address alone: stops one address spraying many accounts.
 * Keys are stored as SHA-256, so the table holds no emails or addresses.
 */
import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { rowsOf, type TDb } from "../../../db/client";

export const LOGIN_LIMITS = {
  /** Verified attempts per (account, address) per window before a block. */
  perPair: 5,
  /** Attempts per address across all accounts per window before a block. */
  perAddress: 30,
  windowMs: 15 * 60_000,
  /** First block; each further block doubles, up to maxBlockMs. */
  baseBlockMs: 5 * 60_000,
  maxBlockMs: 60 * 60_000,
  /** A key quiet this long starts again without strikes. */
  forgiveMs: 24 * 3_600_000,
} as const;

export type TLoginLimits = typeof LOGIN_LIMITS;

export interface TLoginLimiter {
  /** Reserve one attempt for (email, address). Returns seconds to wait: 0 = go ahead and verify. */
  reserve(email: string, address: string | null): Promise<number>;
  /** The password was right: forget the pair's failures and give the address its attempt back. */
  succeeded(email: string, address: string | null): Promise<void>;
}

const hashKey = (s: string) => createHash("sha256").update(s).digest("base64url");
const pairKey = (email: string, address: string | null) => hashKey(`pair:${email.trim().toLowerCase()}|${address ?? "unknown"}`);
const addressKey = (address: string) => hashKey(`addr:${address}`);

/**
 * Count one attempt against `key` and say until when it is blocked. The
 * right-hand sides read the old row, so the whole decision is one atomic step.
 */
async function reserveKey(db: TDb, key: string, max: number, limits: TLoginLimits, now: number): Promise<number> {
  const cutoff = now - limits.windowMs;
  const forgiven = now - limits.forgiveMs;
  const blockEnd = sql`(${now}::bigint + least(${limits.maxBlockMs}::float8, ${limits.baseBlockMs}::float8 * power(2, least(t.strikes, 20)))::bigint)`;
  const blocked = sql`coalesce(t.blocked_until_ms, 0) > ${now}::bigint`;
  const expired = sql`t.window_start_ms <= ${cutoff}::bigint`;
  const exceeds = sql`t.attempts + 1 > ${max}::int`;
  const result = await db.execute(sql`
    insert into login_throttle as t (key, attempts, window_start_ms, blocked_until_ms, strikes)
    values (${key}, 1, ${now}::bigint, null, 0)
    on conflict (key) do update set
      attempts = case when ${blocked} then t.attempts when ${expired} then 1 when ${exceeds} then 0 else t.attempts + 1 end,
      window_start_ms = case when ${blocked} then t.window_start_ms when ${expired} then ${now}::bigint when ${exceeds} then ${blockEnd} else t.window_start_ms end,
      blocked_until_ms = case when ${blocked} then t.blocked_until_ms when ${expired} then null when ${exceeds} then ${blockEnd} else t.blocked_until_ms end,
      strikes = case when ${blocked} then t.strikes when t.window_start_ms <= ${forgiven}::bigint then 0 when ${expired} then t.strikes when ${exceeds} then t.strikes + 1 else t.strikes end
    returning blocked_until_ms::float8 as "blockedUntilMs"`);
  const until = Number(rowsOf<{ blockedUntilMs: number | string | null }>(result)[0]?.blockedUntilMs ?? 0);
  return until > now ? Math.ceil((until - now) / 1000) : 0;
}

/**
 * @example
 *   const limiter = createLoginLimiter(db);
 *   const wait = await limiter.reserve(email, ip); // 0 → verify the password
 */
export function createLoginLimiter(db: TDb, opts: { now?: () => number; limits?: Partial<TLoginLimits> } = {}): TLoginLimiter {
  const limits: TLoginLimits = { ...LOGIN_LIMITS, ...opts.limits };
  const now = opts.now ?? Date.now;
  let lastSweep = 0;
  return {
    async reserve(email, address) {
      const t = now();
      const pairWait = await reserveKey(db, pairKey(email, address), limits.perPair, limits, t);
      if (pairWait > 0 || !address) return pairWait;
      return reserveKey(db, addressKey(address), limits.perAddress, limits, t);
    },
    async succeeded(email, address) {
      const t = now();
      await db.execute(sql`delete from login_throttle where key = ${pairKey(email, address)}`);
      if (address) {
        await db.execute(sql`update login_throttle set attempts = greatest(attempts - 1, 0) where key = ${addressKey(address)} and coalesce(blocked_until_ms, 0) <= ${t}::bigint`);
      }
      // Old rows are useless once forgiven; sweep at most hourly, off the login's path.
      if (t - lastSweep > 3_600_000) {
        lastSweep = t;
        void db
          .execute(sql`delete from login_throttle where window_start_ms < ${t - limits.forgiveMs}::bigint and coalesce(blocked_until_ms, 0) < ${t}::bigint`)
          .catch(() => {});
      }
    },
  };
}
