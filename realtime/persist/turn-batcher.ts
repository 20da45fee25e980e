/**
 * One turn writer for every call in the process (#18 CPU per call): turns that
 * arrive within `windowMs` of each other go to the database as one multi-row
 * insert instead of one round trip each. At 300 calls the PostgreSQL client was
 * about a quarter of the media server's CPU, most of it one insert per turn.
 *
 * Each call's recorder still awaits its own turn (its write queue keeps the
 * call's order, retries and spill; call-recorder.ts), so a batch holds at most
 * one turn per call and nothing about ordering changes. When a batch fails, its
 * turns are written one by one, so one bad row (e.g. a call row that is gone)
 * fails only its own write, and a database outage fails each, to be retried by
 * its queue. The insert is idempotent (unique on call_id + seq).
 *
 * @example
 *   const turns = createTurnBatcher({ db, log });
 *   createCallRecorder({ db, log, writeTurn: turns.write });
 *   await turns.close(); // at shutdown, after the recorders flushed
 */
import type { TDb } from "../../db/client";
import type { TLogger } from "../../core/kernel/logger";
import { turnRow, writeTurns, type TTurnRecord } from "./call-recorder";

export interface TTurnBatcher {
  write(call: { callId: string; businessId: string }, n: number, t: TTurnRecord): Promise<void>;
  /** Write what waits now. */
  flush(): Promise<void>;
  /** Flush and stop taking turns. */
  close(): Promise<void>;
  readonly stats: { turns: number; batches: number; fallbacks: number };
}

interface TPending {
  row: ReturnType<typeof turnRow>;
  resolve(): void;
  reject(err: unknown): void;
}

export function createTurnBatcher(opts: { db: TDb; log: TLogger; windowMs?: number; maxRows?: number }): TTurnBatcher {
  const windowMs = opts.windowMs ?? 30;
  const maxRows = opts.maxRows ?? 200;
  const stats = { turns: 0, batches: 0, fallbacks: 0 };
  let pending: TPending[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;
  const inFlight = new Set<Promise<void>>();

  const run = async (batch: TPending[]) => {
    stats.batches++;
    try {
      await writeTurns(opts.db, batch.map((p) => p.row));
      for (const p of batch) p.resolve();
    } catch (err) {
      if (batch.length === 1) return batch[0]!.reject(err);
      // One row may be the problem: each turn on its own, each settling its own write.
      stats.fallbacks++;
      opts.log.debug({ err, rows: batch.length }, "turn batch failed; writing its turns one by one");
      await Promise.all(batch.map((p) => writeTurns(opts.db, [p.row]).then(p.resolve, p.reject)));
    }
  };

  const flushNow = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    const done = run(batch);
    inFlight.add(done);
    void done.finally(() => inFlight.delete(done));
  };

  return {
    write(call, n, t) {
      if (closed) return writeTurns(opts.db, [turnRow(call, n, t)]);
      stats.turns++;
      return new Promise<void>((resolve, reject) => {
        pending.push({ row: turnRow(call, n, t), resolve, reject });
        if (pending.length >= maxRows) flushNow();
        else if (!timer) timer = setTimeout(flushNow, windowMs);
      });
    },
    async flush() {
      flushNow();
      await Promise.all([...inFlight]);
    },
    async close() {
      closed = true;
      flushNow();
      await Promise.all([...inFlight]);
    },
    stats,
  };
}
