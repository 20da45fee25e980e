/**
 * The job engine of one process: pg-boss on the same database as the app
 * (PostgreSQL through pg-boss's own small pool, or the embedded PGlite through
 * its `fromPglite` adapter). Every instance enqueues and works; PostgreSQL
 * hands each job to exactly one of them.
 *
 * Lazy by design: `createJobs` does no I/O. `start()` (main.ts calls it after
 * the server listens) installs pg-boss's schema and starts the workers in the
 * background; `enqueue` waits for that start, so nothing is lost before it.
 *
 * @example
 *   const jobs = createJobs({ dbh, databaseUrl: config.databaseUrl, log });
 *   jobs.register("analyzeCall", async (data) => { await analyzeCall(deps, data.callId, data) });
 *   void jobs.start();
 *   await jobs.enqueue("analyzeCall", { callId }, { key: `call:${callId}` });
 */
import { createHash } from "node:crypto";
import { fromPglite, PgBoss, type Job, type JobWithMetadata, type QueueOptions } from "pg-boss";
import type { PGlite } from "@electric-sql/pglite";
import type { TDbHandle } from "../../db/client";
import type { TLogger } from "../../core/kernel/logger";
import { JOB_QUEUES, QUEUE_OPTIONS, type TJobData, type TJobPayload, type TQueueKey } from "./job-queues";

/** What a handler learns about its attempt (the last one may give up gracefully instead of throwing). */
export interface TJobAttempt {
  id: string;
  retryCount: number;
  retryLimit: number;
  /** True on the final attempt: throwing now leaves the job failed (dead-lettered). */
  lastAttempt: boolean;
}

export type TJobHandler<K extends TQueueKey> = (data: TJobPayload<K>, attempt: TJobAttempt) => Promise<void>;

export interface TJobsOptions {
  dbh: Pick<TDbHandle, "kind" | "db">;
  /** PostgreSQL URL (pg-boss opens its own pool of `maxConnections`); unused on PGlite. */
  databaseUrl?: string;
  log: TLogger;
  /** pg-boss pool size per instance (PostgreSQL). Default 3. */
  maxConnections?: number;
  /** Seconds between periodic ticks (task reminders, payment-link expiry). Default 30. */
  tickSeconds?: number;
  /** How often a dead worker's jobs are found (heartbeat check), seconds. Default 10. */
  superviseSeconds?: number;
  /** Worker poll when no notification arrives, seconds. Default 2. */
  pollSeconds?: number;
  /** Name in pg-boss's instance registry (e.g. "api", "realtime"). */
  instanceName?: string;
  /** Retry policy overrides (tests: fewer, faster retries). */
  retry?: Pick<QueueOptions, "retryLimit" | "retryDelay" | "retryBackoff">;
}

export interface TJobs {
  /** Install/migrate pg-boss, create the queues, start workers and ticks. Idempotent. */
  start(): Promise<void>;
  /** Handle a queue in this process (call before start). */
  register<K extends TQueueKey>(queue: K, handler: TJobHandler<K>): void;
  /**
   * Add a job. `key` makes it idempotent: the same key on the same queue is one
   * job (a second enqueue returns null). Waits for start().
   */
  enqueue<K extends TQueueKey>(queue: K, data: TJobData<K>, opts: { key: string; startAfter?: Date }): Promise<string | null>;
  /** The started pg-boss (admin page, tests); waits for start(). */
  boss(): Promise<PgBoss>;
  /** True once start() has finished. */
  ready(): boolean;
  /** Stop ticks and workers; in-flight jobs get `graceMs` to finish (else another instance retries them). */
  stop(graceMs?: number): Promise<void>;
}

/** A stable UUID for (queue, key): pg-boss refuses a second job with the same id. */
export function jobIdFor(queue: string, key: string): string {
  const h = createHash("sha256").update(`${queue}\u0000${key}`).digest("hex");
  // Shape it as an RFC 9562 version-8 (custom) UUID.
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const TICKS: TQueueKey[] = ["taskReminders", "paymentLinkExpiry", "viewingReminders"];

export function createJobs(opts: TJobsOptions): TJobs {
  const log = opts.log.child({ component: "jobs" });
  const handlers = new Map<TQueueKey, TJobHandler<TQueueKey>>();
  const tickSeconds = opts.tickSeconds ?? 30;
  const timers: ReturnType<typeof setInterval>[] = [];
  let instance: PgBoss | null = null;
  let starting: Promise<PgBoss> | null = null;
  let stopped = false;

  const build = (): PgBoss => {
    const common = {
      schedule: false,
      superviseIntervalSeconds: opts.superviseSeconds ?? 10,
      monitorIntervalSeconds: opts.superviseSeconds ?? 10,
      useListenNotify: true,
      instanceName: opts.instanceName,
      openTelemetry: { enabled: false },
    };
    if (opts.dbh.kind === "pglite") {
      const client = (opts.dbh.db as unknown as { $client: PGlite }).$client;
      return new PgBoss({ ...common, db: fromPglite(client), backend: "pglite" });
    }
    if (!opts.databaseUrl) throw new Error("jobs: a PostgreSQL database needs its URL");
    return new PgBoss({ ...common, connectionString: opts.databaseUrl, max: opts.maxConnections ?? 3, application_name: "kesher-jobs" });
  };

  const tick = (queue: TQueueKey) => {
    const name = JOB_QUEUES[queue].name;
    // One job per slot across every instance: pg-boss's singleton throttle does the deduplication.
    instance?.send(name, {}, { singletonKey: name, singletonSeconds: tickSeconds }).catch((err: unknown) => log.warn({ err, queue: name }, "tick not enqueued; next interval retries"));
  };

  const startBoss = async (): Promise<PgBoss> => {
    const t0 = performance.now();
    const boss = build();
    boss.on("error", (err) => log.warn({ err }, "pg-boss error"));
    await boss.start();
    for (const [key, q] of Object.entries(JOB_QUEUES) as [TQueueKey, (typeof JOB_QUEUES)[TQueueKey]][]) {
      const isTick = TICKS.includes(key);
      // Ticks are cheap and re-run every interval: one retry is enough, and they need no heartbeat.
      const options: QueueOptions & { notify: boolean } = { ...QUEUE_OPTIONS, ...opts.retry };
      if (!options.retryBackoff) options.retryDelayMax = null as unknown as number; // pg-boss allows a cap only with backoff
      if (isTick) Object.assign(options, { retryLimit: Math.min(options.retryLimit ?? 1, 1), heartbeatSeconds: null, expireInSeconds: 120 });
      await boss.createQueue(q.name, options);
      await boss.updateQueue(q.name, options);
    }
    // NOTIFY wakes workers for new jobs; retries and delayed jobs are found by this poll (pg-boss's notify backstop is 30 s).
    const poll = opts.pollSeconds ?? 2;
    for (const [key, handler] of handlers) {
      const q = JOB_QUEUES[key];
      await boss.work(q.name, { includeMetadata: true, pollingIntervalSeconds: poll, notifyPollingIntervalSeconds: poll, localConcurrency: 2 }, async (jobs: JobWithMetadata<unknown>[]) => {
        for (const job of jobs) await runOne(key, handler, job);
      });
    }
    instance = boss;
    if (handlers.size) {
      for (const key of TICKS) {
        if (!handlers.has(key)) continue;
        tick(key);
        const t = setInterval(() => tick(key), tickSeconds * 1000);
        (t as { unref?: () => void }).unref?.();
        timers.push(t);
      }
    }
    log.info({ ms: Math.round(performance.now() - t0), workers: [...handlers.keys()] }, "jobs ready");
    return boss;
  };

  const runOne = async (key: TQueueKey, handler: TJobHandler<TQueueKey>, job: JobWithMetadata<unknown> | Job<unknown>) => {
    const meta = job as JobWithMetadata<unknown>;
    const q = JOB_QUEUES[key];
    const parsed = q.payload.safeParse(job.data);
    // A malformed payload will never succeed: fail it with a readable reason and no retries worth having.
    if (!parsed.success) throw new Error(`invalid ${q.name} payload: ${parsed.error.issues.map((i) => i.path.join(".") + " " + i.message).join("; ")}`);
    const attempt: TJobAttempt = { id: job.id, retryCount: meta.retryCount ?? 0, retryLimit: meta.retryLimit ?? 0, lastAttempt: (meta.retryCount ?? 0) >= (meta.retryLimit ?? 0) };
    const t0 = performance.now();
    try {
      await handler(parsed.data as TJobPayload<TQueueKey>, attempt);
      log.debug({ queue: q.name, jobId: job.id, ms: Math.round(performance.now() - t0) }, "job done");
    } catch (err) {
      log.warn({ err, queue: q.name, jobId: job.id, retryCount: attempt.retryCount, lastAttempt: attempt.lastAttempt }, attempt.lastAttempt ? "job failed for good" : "job failed; will retry");
      // pg-boss stores this as the job's output: the reason the admin page shows.
      throw new Error(describeError(err), { cause: err });
    }
  };

  const ensure = (): Promise<PgBoss> => {
    if (stopped) return Promise.reject(new Error("jobs stopped"));
    starting ??= startBoss().catch((err: unknown) => {
      starting = null; // a later enqueue or start tries again (e.g. the database came back)
      throw err;
    });
    return starting;
  };

  return {
    async start() {
      await ensure();
    },
    register(queue, handler) {
      if (starting) throw new Error(`jobs: register ${queue} before start()`);
      handlers.set(queue, handler as TJobHandler<TQueueKey>);
    },
    async enqueue(queue, data, o) {
      const q = JOB_QUEUES[queue];
      const payload = q.payload.parse(data);
      const boss = await ensure();
      return boss.send(q.name, payload as object, { id: jobIdFor(q.name, o.key), singletonKey: o.key, ...(o.startAfter ? { startAfter: o.startAfter } : {}) });
    },
    boss: ensure,
    ready: () => instance !== null,
    async stop(graceMs = 5_000) {
      stopped = true;
      for (const t of timers) clearInterval(t);
      const boss = instance ?? (starting ? await starting.catch(() => null) : null);
      if (boss) await boss.stop({ graceful: graceMs > 0, timeout: Math.max(graceMs, 1) }).catch((err: unknown) => log.warn({ err }, "pg-boss stop failed"));
    },
  };
}

/**
 * One readable line per error in the cause chain, root cause last; query
 * parameters (which may hold a caller's words) are left out.
 */
export function describeError(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const msg = e instanceof Error ? e.message : String(e);
    const line = msg.split("\n")[0]!.replace(/^Failed query: (\w+( into| from)? \S+).*/s, "Failed query: $1").slice(0, 300);
    if (line && !parts.includes(line)) parts.push(line);
  }
  return parts.join(" ← ") || "unknown error";
}
