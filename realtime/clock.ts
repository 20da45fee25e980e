/**
 * The voice engine's clock (after pipecat's BaseClock): `now()` and timers in
 * one injectable object, so a test can run a 60 s call in milliseconds on
 * virtual time while production uses the system clock.
 *
 * @example
 *   const clock = createVirtualClock({ auto: true });
 *   const session = createCallSession({ ..., clock });
 *   await clock.sleep(1500); // returns as soon as the session's own timers up to +1.5 s have run
 */

/** Opaque timer handle. */
export type TTimer = { readonly __timer: true } | ReturnType<typeof setTimeout>;

export interface TClock {
  /** Monotonic milliseconds. */
  now(): number;
  setTimeout(fn: () => void, ms: number): TTimer;
  clearTimeout(timer: TTimer | undefined): void;
}

/** Wall-clock time: `performance.now()` and the runtime's timers. */
export const systemClock: TClock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (t) => clearTimeout(t as ReturnType<typeof setTimeout>),
};

/** Resolve after `ms` on `clock`; rejects with the signal's reason when aborted. */
export function sleepOn(clock: TClock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = clock.setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clock.clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export interface TVirtualClock extends TClock {
  /** Run every timer due within the next `ms` (in due order), letting promise work settle between them. */
  advance(ms: number): Promise<void>;
  /** Virtual sleep: resolves when the clock reaches now + ms. */
  sleep(ms: number): Promise<void>;
  /** Poll `pred` after each timer; rejects after `timeoutMs` of virtual time. */
  waitFor(pred: () => boolean, timeoutMs: number, what?: string): Promise<void>;
  /** Timers not yet run. */
  readonly pending: number;
  /** Stop auto-advancing and drop every timer. */
  stop(): void;
}

export interface TVirtualClockOptions {
  /** Advance by itself whenever a timer is pending (default false: only `advance` moves time). */
  auto?: boolean;
  /**
   * Auto mode: at most this many virtual ms per real ms (default unlimited). Real I/O (a database,
   * a local HTTP double) still takes real time; a bound keeps it short in virtual terms.
   */
  speed?: number;
  /** Initial `now()` (default 0). */
  start?: number;
}

interface TEntry {
  id: number;
  due: number;
  fn: () => void;
  readonly __timer: true;
}

const macrotask = () => new Promise<void>((r) => setImmediate(r));

/**
 * A clock whose time moves only when timers run: instantly, in order. With `auto`, it advances
 * to the next timer after each macrotask turn (so promise chains and ready I/O settle first).
 */
export function createVirtualClock(opts: TVirtualClockOptions = {}): TVirtualClock {
  let t = opts.start ?? 0;
  let seq = 0;
  let running = false;
  let stopped = false;
  const timers: TEntry[] = [];
  const speed = opts.speed ?? Infinity;

  const next = (): TEntry | undefined => {
    let best: TEntry | undefined;
    for (const e of timers) if (!best || e.due < best.due || (e.due === best.due && e.id < best.id)) best = e;
    return best;
  };

  const fire = (e: TEntry) => {
    timers.splice(timers.indexOf(e), 1);
    t = Math.max(t, e.due);
    try {
      e.fn();
    } catch (err) {
      // Same as a throwing real timer callback: an uncaught error, not a silent one.
      queueMicrotask(() => {
        throw err;
      });
    }
  };

  const loop = async () => {
    const real0 = performance.now();
    const virt0 = t;
    while (!stopped && timers.length) {
      await macrotask();
      const e = next();
      if (!e || stopped) break;
      if (speed !== Infinity) {
        const allowed = virt0 + (performance.now() - real0) * speed;
        if (e.due > allowed) {
          await new Promise((r) => setTimeout(r, Math.max(1, (e.due - allowed) / speed)));
          continue;
        }
      }
      fire(e);
    }
    running = false;
  };

  const kick = () => {
    if (!opts.auto || running || stopped || !timers.length) return;
    running = true;
    void loop();
  };

  const clock: TVirtualClock = {
    now: () => t,
    setTimeout(fn, ms) {
      const e: TEntry = { id: ++seq, due: t + Math.max(0, ms || 0), fn, __timer: true };
      if (!stopped) timers.push(e);
      kick();
      return e;
    },
    clearTimeout(timer) {
      const i = timers.indexOf(timer as TEntry);
      if (i >= 0) timers.splice(i, 1);
    },
    async advance(ms) {
      const until = t + ms;
      for (;;) {
        await macrotask();
        const e = next();
        if (!e || e.due > until || stopped) break;
        fire(e);
      }
      t = Math.max(t, until);
    },
    sleep(ms) {
      return sleepOn(clock, ms);
    },
    waitFor(pred, timeoutMs, what = "condition") {
      const deadline = t + timeoutMs;
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (pred()) return resolve();
          if (t >= deadline || stopped) return reject(new Error(`timed out after ${timeoutMs} virtual ms waiting for ${what}`));
          clock.setTimeout(check, Math.min(10, deadline - t));
        };
        check();
      });
    },
    get pending() {
      return timers.length;
    },
    stop() {
      stopped = true;
      timers.length = 0;
    },
  };
  return clock;
}
