/**
 * Outbound rate limiter: sends of one account run one at a time with a
 * minimum, randomly stretched gap between them. Bursts of identical,
 * perfectly-timed messages are what gets unofficial WhatsApp numbers banned.
 */

export interface TSendQueueOptions {
  /** Minimum pause between two sends. */
  minGapMs: number;
  /** Up to this much extra random pause per send. */
  jitterMs: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

export interface TSendQueue {
  /** Run `fn` when its turn comes; resolves/rejects with its result. */
  run<T>(fn: () => Promise<T>): Promise<T>;
  /** Jobs waiting or running. */
  pending(): number;
}

export const DEFAULT_SEND_GAP: Pick<TSendQueueOptions, "minGapMs" | "jitterMs"> = { minGapMs: 1_200, jitterMs: 1_800 };

export function createSendQueue(opts: TSendQueueOptions): TSendQueue {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const random = opts.random ?? Math.random;
  const now = opts.now ?? Date.now;
  let tail: Promise<unknown> = Promise.resolve();
  let lastSentAt = 0;
  let pending = 0;

  return {
    run<T>(fn: () => Promise<T>): Promise<T> {
      pending++;
      const job = tail.then(async () => {
        const gap = opts.minGapMs + Math.round(opts.jitterMs * random());
        const wait = lastSentAt === 0 ? 0 : lastSentAt + gap - now();
        if (wait > 0) await sleep(wait);
        try {
          return await fn();
        } finally {
          lastSentAt = now();
          pending--;
        }
      });
      // A failed send must not block the ones behind it.
      tail = job.catch(() => undefined);
      return job;
    },
    pending: () => pending,
  };
}
