/**
 * Failed-login throttling per IP and per account (sliding window, in memory).
 * In-memory is per process: with several API processes an attacker gets the
 * budget once per process, which still bounds guessing to a handful per minute.
 */
export interface TLoginLimiter {
  /** Seconds until the key may try again, or 0. */
  blockedFor(ip: string | null, email: string): number;
  recordFailure(ip: string | null, email: string): void;
  reset(email: string): void;
}

export interface TLimiterOptions {
  windowMs?: number;
  maxPerAccount?: number;
  maxPerIp?: number;
  now?: () => number;
}

export function createLoginLimiter(opts: TLimiterOptions = {}): TLoginLimiter {
  const windowMs = opts.windowMs ?? 15 * 60_000;
  const maxPerAccount = opts.maxPerAccount ?? 5;
  const maxPerIp = opts.maxPerIp ?? 20;
  const now = opts.now ?? Date.now;
  const failures = new Map<string, number[]>();

  const recent = (key: string): number[] => {
    const cutoff = now() - windowMs;
    const list = (failures.get(key) ?? []).filter((t) => t > cutoff);
    if (list.length) failures.set(key, list);
    else failures.delete(key);
    return list;
  };
  const wait = (list: number[], max: number) => (list.length >= max ? Math.ceil((list[list.length - max]! + windowMs - now()) / 1000) : 0);
  const accountKey = (email: string) => `a:${email.trim().toLowerCase()}`;

  return {
    blockedFor(ip, email) {
      const a = wait(recent(accountKey(email)), maxPerAccount);
      const i = ip ? wait(recent(`i:${ip}`), maxPerIp) : 0;
      return Math.max(a, i);
    },
    recordFailure(ip, email) {
      for (const key of [accountKey(email), ip ? `i:${ip}` : null]) {
        if (!key) continue;
        const list = recent(key);
        list.push(now());
        failures.set(key, list);
      }
      if (failures.size > 50_000) failures.clear(); // bound memory under a spray attack
    },
    reset(email) {
      failures.delete(accountKey(email));
    },
  };
}
