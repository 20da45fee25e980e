/**
 * MEDIA_WORKERS=N: N processes serve one PORT with `Bun.serve({ reusePort: true })`,
 * so a 2-core machine uses both cores (#18). The entry process (worker 0) builds
 * its runtime first — migrations, secrets and the seed happen once — and only
 * then spawns workers 1…N-1: the same entry file and environment, plus
 * `--media-worker=<i>` on the command line. The kernel spreads new connections
 * across the listening sockets; a call's WebSocket stays in the worker that
 * accepted it for its whole life. What workers share goes through PostgreSQL as
 * between machines: the call row and the one-time stream-token claim, turns,
 * jobs (pg-boss), events (LISTEN/NOTIFY), WhatsApp session locks.
 *
 * Worker 0 supervises: a worker that dies is started again (after 1 s), and a
 * SIGTERM/SIGINT to worker 0 is passed on as SIGTERM, so every worker drains its
 * own calls. Workers ignore SIGINT (a terminal's Ctrl-C reaches the whole group;
 * worker 0 passes it on once) and drain by themselves if worker 0 disappears.
 */
import type { TLogger } from "../../core/kernel/logger";

const FLAG = "--media-worker=";

/** This process's worker index: 0 for the entry process, i for a spawned worker. */
export function workerIndexOf(argv: readonly string[]): number {
  const arg = argv.find((a) => a.startsWith(FLAG));
  const n = arg ? Number(arg.slice(FLAG.length)) : 0;
  return Number.isInteger(n) && n > 0 ? n : 0;
}

export interface TWorkerPool {
  /** Pass the stop on (SIGTERM) and wait until every worker has exited. */
  stop(): Promise<void>;
}

/**
 * Spawn workers 1…count-1 running `entry` with the inherited environment.
 * @example
 *   const pool = spawnMediaWorkers({ count: config.mediaWorkers, entry: Bun.main, log });
 *   await pool.stop(); // on shutdown
 */
export function spawnMediaWorkers(opts: { count: number; entry: string; log: TLogger; restartDelayMs?: number }): TWorkerPool {
  const { log } = opts;
  const procs = new Map<number, ReturnType<typeof Bun.spawn>>();
  let stopping = false;

  const start = (index: number) => {
    const proc = Bun.spawn([process.execPath, opts.entry, `${FLAG}${index}`], { stdin: "ignore", stdout: "inherit", stderr: "inherit" });
    procs.set(index, proc);
    log.info({ mediaWorker: index, pid: proc.pid }, "media worker started");
    void proc.exited.then((code) => {
      if (procs.get(index) === proc) procs.delete(index);
      if (stopping) return;
      log.error({ mediaWorker: index, code }, "media worker exited; starting it again");
      setTimeout(() => {
        if (!stopping) start(index);
      }, opts.restartDelayMs ?? 1_000);
    });
  };
  for (let i = 1; i < opts.count; i++) start(i);

  return {
    async stop() {
      stopping = true;
      const running = [...procs.values()];
      for (const p of running) p.kill("SIGTERM");
      await Promise.all(running.map((p) => p.exited));
    },
  };
}

/** In a spawned worker: call `onOrphaned` once if the process that spawned it is gone (polled every `everyMs`). */
export function watchParent(onOrphaned: () => void, everyMs = 1_000): void {
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(timer);
    onOrphaned();
  }, everyMs);
  timer.unref();
}
