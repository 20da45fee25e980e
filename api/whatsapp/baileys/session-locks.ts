/**
 * One owner per WhatsApp Web (Baileys) session across instances: a
 * PostgreSQL session-level advisory lock per business, held on one reserved
 * connection for the life of the process. When the owner dies (crash,
 * SIGKILL, lost machine) its connection closes and PostgreSQL releases the
 * locks at once; a standby instance retrying every few seconds takes over.
 *
 * The lock connection is checked on a heartbeat: if it stops answering, this
 * process can no longer prove ownership, so it gives its sessions up (the
 * `onLost` callback closes their sockets) rather than risk two sockets on one
 * WhatsApp account. A connection that stopped answering may still be alive and
 * still hold the locks (a stalled network, a busy server): it is terminated in
 * PostgreSQL before it goes back to the pool, or the sessions would stay locked
 * by a connection nobody counts, and no instance could open them again. PGlite
 * is one process by construction (it owns its data folder), so there every lock
 * is granted.
 */
import type postgres from "postgres";
import type { TLogger } from "../../../core/kernel/logger";

export interface TSessionLocks {
  /** Take (or confirm) ownership of a business's session; false when another instance holds it. */
  tryAcquire(businessId: string): Promise<boolean>;
  /** Give a session up (logout, disconnect). */
  release(businessId: string): Promise<void>;
  /** Businesses this process holds. */
  held(): string[];
  /** Called with the businesses this process lost (lock connection gone). */
  onLost(cb: (businessIds: string[]) => void): void;
  close(): Promise<void>;
}

/** Namespace of Kesher's advisory locks (first key of the two-int form): "WA". */
const LOCK_CLASS = 0x5741;

/** 32-bit key of a business id (FNV-1a). A collision only makes two businesses share an owner. */
export function lockKeyOf(businessId: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < businessId.length; i++) {
    h ^= businessId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h | 0;
}

export function createSessionLocks(deps: {
  pg?: postgres.Sql;
  log: TLogger;
  /** How often the lock connection is checked (default 5 s). */
  heartbeatMs?: number;
  /** How long a check may take before the connection counts as lost (default 5 s). */
  heartbeatTimeoutMs?: number;
}): TSessionLocks {
  const log = deps.log.child({ component: "whatsapp-locks" });
  const held = new Set<string>();
  const lostHandlers: ((ids: string[]) => void)[] = [];
  if (!deps.pg) {
    return {
      async tryAcquire(id) {
        held.add(id);
        return true;
      },
      async release(id) {
        held.delete(id);
      },
      held: () => [...held],
      onLost: (cb) => void lostHandlers.push(cb),
      async close() {
        held.clear();
      },
    };
  }

  const pg = deps.pg;
  let conn: postgres.ReservedSql | null = null;
  /** The lock connection's backend (pid and start time: a pid alone may be reused). */
  let backend: { pid: number; started: string } | null = null;
  let reserving: Promise<postgres.ReservedSql> | null = null;
  let closed = false;

  const giveBack = (c: postgres.ReservedSql) => {
    try {
      c.release();
    } catch {
      // the pool is gone with its connection; nothing to give back
    }
  };

  const dropConnection = (why: unknown) => {
    const lost = [...held];
    held.clear();
    const c = conn;
    const b = backend;
    conn = null;
    backend = null;
    if (c && b) {
      // End that backend (and with it every lock it holds) through another connection, then give the dead one back.
      pg`select pg_terminate_backend(pid) as ok from pg_stat_activity where pid = ${b.pid} and backend_start::text = ${b.started}`
        .catch((err: unknown) => log.warn({ err, pid: b.pid }, "could not terminate the old lock connection; PostgreSQL frees its locks when it closes"))
        .finally(() => giveBack(c));
    } else if (c) giveBack(c);
    if (lost.length) {
      log.error({ err: why, lost }, "lost the WhatsApp session locks; closing those sessions");
      for (const cb of lostHandlers) cb(lost);
    }
  };

  const connection = async () => {
    if (conn) return conn;
    reserving ??= (async () => {
      const c = await pg.reserve();
      try {
        const [row] = await c<{ pid: number; started: string }[]>`select pid, backend_start::text as started from pg_stat_activity where pid = pg_backend_pid()`;
        backend = row ?? null;
      } catch (err) {
        giveBack(c);
        throw err;
      }
      return c;
    })().finally(() => (reserving = null));
    conn = await reserving;
    return conn;
  };

  const heartbeat = setInterval(() => {
    if (!conn || closed) return;
    const c = conn;
    const timeout = new Promise((_, reject) => setTimeout(() => reject(new Error("lock heartbeat timed out")), deps.heartbeatTimeoutMs ?? 5_000).unref?.());
    Promise.race([c`select 1`, timeout]).catch((err: unknown) => {
      if (conn === c) dropConnection(err);
    });
  }, deps.heartbeatMs ?? 5_000);
  (heartbeat as { unref?: () => void }).unref?.();

  /** Claims and releases still running: close() waits for them, so none takes a lock after it. */
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(p: Promise<T>): Promise<T> => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p)).catch(() => {});
    return p;
  };

  const acquire = async (id: string): Promise<boolean> => {
    try {
      const c = await connection();
      // Re-entrant on this connection: asking again for a lock we hold is a cheap "still ours".
      const [row] = await c<{ ok: boolean }[]>`select pg_try_advisory_lock(${LOCK_CLASS}::int, ${lockKeyOf(id)}::int) as ok`;
      if (!row?.ok) return false;
      if (held.has(id)) await c`select pg_advisory_unlock(${LOCK_CLASS}::int, ${lockKeyOf(id)}::int)`; // keep one level per lock
      held.add(id);
      return true;
    } catch (err) {
      log.warn({ err, businessId: id }, "could not ask for the WhatsApp session lock");
      if (conn) dropConnection(err);
      return false;
    }
  };

  return {
    async tryAcquire(id) {
      if (closed) return false;
      const got = await track(acquire(id));
      // Closed meanwhile: close() unlocked everything this connection held, this lock included.
      return got && !closed;
    },
    async release(id) {
      if (!held.delete(id) || !conn) return;
      const c = conn;
      await track(c`select pg_advisory_unlock(${LOCK_CLASS}::int, ${lockKeyOf(id)}::int)`.catch((err: unknown) => log.warn({ err, businessId: id }, "unlock failed")));
    },
    held: () => [...held],
    onLost: (cb) => void lostHandlers.push(cb),
    async close() {
      closed = true;
      clearInterval(heartbeat);
      await Promise.allSettled([...inFlight]);
      const c = conn;
      conn = null;
      backend = null;
      if (c) {
        await c`select pg_advisory_unlock_all()`.catch(() => {});
        c.release();
      }
      held.clear();
    },
  };
}
