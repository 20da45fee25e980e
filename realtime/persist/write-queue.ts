/**
 * An ordered, outage-proof write queue for one call's persistence. Items run
 * one at a time, in order. A transient database error (outage, failover,
 * lost connections) is waited out with capped backoff for as long as
 * `outageLimitMs` (default 15 min), so a long outage loses nothing; other
 * errors get a few attempts. Memory is bounded: past `maxInMemory` pending
 * items, new ones are appended to a JSON-lines file (DATA_DIR/spill) and read
 * back in order once the queue has caught up.
 *
 * Time comes from injected `now`/`sleep`, so a two-minute outage is tested in
 * virtual time against a real database that goes away and comes back.
 */
import { appendFileSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname } from "node:path";
import type { TLogger } from "../../core/kernel/logger";

export interface TWriteQueueOptions<T> {
  /** Performs one item (idempotent: a retried write that landed must do no harm). */
  run(item: T): Promise<void>;
  isTransient(err: unknown): boolean;
  log: TLogger;
  /** Items kept in memory before spilling to `spillPath`. Default 500. */
  maxInMemory?: number;
  /** JSON-lines file for overflow (absent: memory only, the oldest overflow is still kept, unbounded). */
  spillPath?: string;
  /** Give a transient failure up after this long without progress. Default 15 minutes. */
  outageLimitMs?: number;
  /** Attempts for non-transient errors. Default 4. */
  attempts?: number;
  baseMs?: number;
  maxDelayMs?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Outage state changes (true when a write has been failing for `degradedAfterMs`). */
  onDegraded?(degraded: boolean): void;
  degradedAfterMs?: number;
}

export interface TWriteQueue<T> {
  push(item: T): void;
  /** Resolves when every item pushed so far is written or given up on. */
  flush(): Promise<void>;
  readonly failures: number;
  /** Items waiting in memory / in the spill file. */
  readonly pending: { memory: number; spilled: number };
}

export function createWriteQueue<T>(o: TWriteQueueOptions<T>): TWriteQueue<T> {
  const now = o.now ?? Date.now;
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const maxInMemory = o.maxInMemory ?? 500;
  const memory: T[] = [];
  let spilledTotal = 0; // lines written to the file
  let spilledRead = 0; // lines taken back into memory
  let failures = 0;
  let draining: Promise<void> | null = null;
  let degraded = false;

  const setDegraded = (d: boolean) => {
    if (d === degraded) return;
    degraded = d;
    o.onDegraded?.(d);
  };

  const spill = (item: T) => {
    const path = o.spillPath!;
    if (spilledTotal === 0) mkdirSync(dirname(path), { recursive: true });
    appendFileSync(path, JSON.stringify(item) + "\n");
    if (spilledTotal === 0) o.log.warn({ path, inMemory: memory.length }, "database writes backed up; spilling to disk");
    spilledTotal++;
  };

  /** Move the next chunk of spilled items back into memory, in order. */
  const refill = () => {
    if (spilledRead >= spilledTotal || !o.spillPath) return;
    const lines = readFileSync(o.spillPath, "utf8").split("\n");
    const chunk = lines.slice(spilledRead, Math.min(spilledTotal, spilledRead + maxInMemory));
    for (const line of chunk) memory.push(JSON.parse(line) as T);
    spilledRead += chunk.length;
    if (spilledRead >= spilledTotal) {
      rmSync(o.spillPath, { force: true });
      spilledRead = spilledTotal = 0;
    }
  };

  const runOne = async (item: T) => {
    const started = now();
    for (let attempt = 1; ; attempt++) {
      try {
        await o.run(item);
        setDegraded(false);
        return;
      } catch (err) {
        const transient = o.isTransient(err);
        const waited = now() - started;
        if (transient ? waited >= (o.outageLimitMs ?? 15 * 60_000) : attempt >= (o.attempts ?? 4)) {
          failures++;
          o.log.error({ err, attempt, waitedMs: waited }, "call persistence gave up on a write");
          return;
        }
        if (transient && waited >= (o.degradedAfterMs ?? 3_000)) setDegraded(true);
        if (attempt === 1 || attempt % 20 === 0) o.log.warn({ err, attempt, waitedMs: waited, backlog: memory.length + spilledTotal - spilledRead }, "call persistence failed, retrying");
        await sleep(Math.min(o.maxDelayMs ?? 2_000, (o.baseMs ?? 100) * 2 ** Math.min(attempt - 1, 10)));
      }
    }
  };

  const drain = async () => {
    for (;;) {
      if (!memory.length) refill();
      const item = memory.shift();
      if (item === undefined) return;
      await runOne(item);
    }
  };

  const kick = () => {
    draining ??= drain().finally(() => {
      draining = null;
      if (memory.length || spilledTotal > spilledRead) kick();
    });
    return draining;
  };

  return {
    push(item) {
      // Once anything is on disk, everything newer goes there too: order is the file's order.
      if (o.spillPath && (spilledTotal > spilledRead || memory.length >= maxInMemory)) spill(item);
      else memory.push(item);
      void kick();
    },
    async flush() {
      while (draining || memory.length || spilledTotal > spilledRead) await kick();
    },
    get failures() {
      return failures;
    },
    get pending() {
      return { memory: memory.length, spilled: spilledTotal - spilledRead };
    },
  };
}
