/**
 * Persistence observer for one call, off the media path: every write goes
 * into an ordered queue drained in the background with retries; the session
 * never awaits it (except `flush()` at the end of the call). Writes are
 * idempotent (turns are unique on call_id + seq), so a retried insert that
 * actually landed the first time does no harm.
 */
import { and, eq, sql } from "drizzle-orm";
import type { TEventBus } from "../../core/kernel/events";
import type { TLogger } from "../../core/kernel/logger";
import { toE164 } from "../../core/kernel/phone";
import { isTransientDbError } from "../../core/kernel/db-errors";
import { resolveBusinessForNumber } from "../../core/domain/resolve-business";
import { findOrCreateCustomerByPhone } from "../../core/domain/find-or-create-customer";
import type { TDb } from "../../db/client";
import { businesses, callLogs, conversationTurns, customers } from "../../db/schema";
import type { TBusinessSettings } from "../../db/schema/businesses";
import type { TCallMetrics, TTurnMetrics } from "../../db/schema/calls";
import { join } from "node:path";
import { createWriteQueue } from "./write-queue";

export interface TCallIdentity {
  callSid: string;
  streamSid: string;
  callId?: string;
  businessId?: string;
  caller?: string;
}

/** What the session needs to know about the call once the row is found (or created). */
export interface TCallInfo {
  callId: string;
  businessId: string;
  businessName: string;
  customerId: string | null;
  callerPhone: string | null;
  settings: TBusinessSettings;
  /** True when the webhook had not written the row and the session created it. */
  created: boolean;
}

export interface TTurnRecord {
  speaker: "caller" | "assistant" | "system" | "tool";
  text: string;
  startedAt: Date;
  endedAt?: Date;
  interrupted?: boolean;
  metrics?: TTurnMetrics;
  toolName?: string;
  toolPayload?: unknown;
}

export interface TCallRecorder {
  /** Find or create the call_logs row and mark it in progress. */
  attach(id: TCallIdentity): Promise<TCallInfo>;
  /** Queue a turn; returns its sequence number at once. */
  turn(t: TTurnRecord): number;
  /** Queue the final update (status, ended_at, duration, metrics). */
  end(metrics: TCallMetrics): void;
  /** Resolves when everything queued so far is written (or given up on). */
  flush(): Promise<void>;
  readonly failures: number;
  /** Writes waiting (in memory / spilled to disk), e.g. during a database outage. */
  readonly pending: { memory: number; spilled: number };
}

export interface TRecorderDeps {
  db: TDb;
  log: TLogger;
  events?: TEventBus;
  /** Attempts for non-transient errors. */
  attempts?: number;
  baseMs?: number;
  /** Folder for writes spilled during a long outage (DATA_DIR/spill); absent: memory only. */
  spillDir?: string;
  /** Pending writes kept in memory before spilling. Default 500. */
  maxInMemory?: number;
  /** How long a write waits out a database outage before it is given up. Default 15 minutes. */
  outageLimitMs?: number;
  /** How long attach() may keep the conversation waiting for the call row. Default 5 s. */
  attachWaitMs?: number;
  /** Told when writes start/stop failing for a while (the session may tell the caller). */
  onDegraded?(degraded: boolean): void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function findOrCreateCall(db: TDb, id: TCallIdentity): Promise<TCallInfo> {
  const caller = toE164(id.caller);
  const mark = { streamSid: id.streamSid, status: "in_progress" as const, answeredAt: sql`coalesce(${callLogs.answeredAt}, now())`, updatedAt: sql`now()` };
  const pick = { id: callLogs.id, businessId: callLogs.businessId, customerId: callLogs.customerId, fromNumber: callLogs.fromNumber };
  let row: { id: string; businessId: string; customerId: string | null; fromNumber: string | null } | undefined;
  let created = false;
  if (id.callId && UUID.test(id.callId)) {
    // The business id must match too: a forged parameter cannot attach to another tenant's call.
    const where = id.businessId && UUID.test(id.businessId) ? and(eq(callLogs.id, id.callId), eq(callLogs.businessId, id.businessId)) : eq(callLogs.id, id.callId);
    [row] = await db.update(callLogs).set(mark).where(and(where, eq(callLogs.callSid, id.callSid))).returning(pick);
  }
  if (!row && id.callSid) [row] = await db.update(callLogs).set(mark).where(eq(callLogs.callSid, id.callSid)).returning(pick);
  if (!row) {
    // The webhook could not write the row (database hiccup): create it now.
    let business = id.businessId && UUID.test(id.businessId) ? (await db.select().from(businesses).where(eq(businesses.id, id.businessId)).limit(1))[0] : undefined;
    business ??= (await resolveBusinessForNumber(db, null)) ?? undefined;
    if (!business) throw new Error("no business to attach the call to");
    const bizId = business.id;
    row = await db.transaction(async (tx) => {
      let customerId: string | null = null;
      if (caller) {
        customerId = (await findOrCreateCustomerByPhone(tx, { businessId: bizId, phone: caller, source: "call" })).customer.id;
      }
      const [ins] = await tx
        .insert(callLogs)
        .values({ businessId: bizId, callSid: id.callSid || `stream:${id.streamSid}`, streamSid: id.streamSid, fromNumber: caller ?? id.caller ?? null, customerId, status: "in_progress", mode: "stream", answeredAt: new Date() })
        .onConflictDoNothing({ target: callLogs.callSid })
        .returning(pick);
      if (ins) return ins;
      const [again] = await tx.update(callLogs).set(mark).where(eq(callLogs.callSid, id.callSid)).returning(pick);
      return again;
    });
    created = true;
    if (!row) throw new Error(`call ${id.callSid} could not be created`);
  }
  const [biz] = await db.select({ name: businesses.name, settings: businesses.settings }).from(businesses).where(eq(businesses.id, row.businessId)).limit(1);
  return {
    callId: row.id,
    businessId: row.businessId,
    businessName: biz?.name ?? "",
    customerId: row.customerId,
    callerPhone: row.fromNumber ?? caller,
    settings: biz?.settings ?? {},
    created,
  };
}

const asDate = (d: Date | string | undefined) => (d === undefined ? undefined : new Date(d));

/**
 * One queued write; plain data so it can wait on disk during a long outage. Turn and end
 * writes carry the call they belong to, so a spill file left by a crashed process can be
 * replayed by the next one (realtime/persist/replay-spill.ts).
 */
export type TSpilledOp =
  | { kind: "attach"; id: TCallIdentity }
  | { kind: "turn"; n: number; t: TTurnRecord; call?: TCallIdentity }
  | { kind: "end"; metrics: TCallMetrics; durationSec: number; call?: TCallIdentity };
type TOp = TSpilledOp;

/** Spill files are named `<pid>-<ms>-<random>.jsonl`: the pid tells a live owner from a crashed one. */
export const SPILL_FILE = /^(\d+)-\d+-[a-z0-9]+\.jsonl$/;

/** Insert one turn (idempotent: unique on call_id + seq). */
export async function writeTurn(db: TDb, call: { callId: string; businessId: string }, n: number, t: TTurnRecord): Promise<void> {
  await db
    .insert(conversationTurns)
    .values({
      businessId: call.businessId,
      callId: call.callId,
      seq: n,
      speaker: t.speaker,
      text: t.text,
      startedAt: asDate(t.startedAt)!,
      endedAt: asDate(t.endedAt) ?? null,
      interrupted: t.interrupted ?? false,
      metrics: t.metrics ?? null,
      toolName: t.toolName ?? null,
      toolPayload: t.toolPayload ?? null,
    })
    .onConflictDoNothing({ target: [conversationTurns.callId, conversationTurns.seq] });
}

/** Finalise the call row (idempotent: the first ended_at and duration win). */
export async function writeCallEnd(db: TDb, callId: string, metrics: TCallMetrics, durationSec: number): Promise<void> {
  await db
    .update(callLogs)
    .set({
      status: "completed",
      endedAt: sql`coalesce(${callLogs.endedAt}, now())`,
      durationSec: sql`coalesce(${callLogs.durationSec}, ${durationSec})`,
      metrics: sql`${callLogs.metrics} || ${JSON.stringify(metrics)}::jsonb`,
      updatedAt: sql`now()`,
    })
    .where(eq(callLogs.id, callId));
}

export { findOrCreateCall };

/**
 * @example
 *   const rec = createCallRecorder({ db, log, events });
 *   const info = rec.attach({ callSid, streamSid, callId, businessId, caller });
 *   rec.turn({ speaker: "caller", text, startedAt });
 *   rec.end(metrics); await rec.flush();
 */
export function createCallRecorder(deps: TRecorderDeps): TCallRecorder {
  const { db, log } = deps;
  const now = deps.now ?? Date.now;
  let info: TCallInfo | undefined;
  let seq = 0;
  let startedAt = now();
  let attached: { resolve(i: TCallInfo): void; reject(e: unknown): void } | null = null;
  let identity: TCallIdentity | undefined;
  /** The call a write belongs to, as precise as known when it is queued (the row's id once attached). */
  const callRef = (): TCallIdentity | undefined => (info && identity ? { ...identity, callId: info.callId, businessId: info.businessId } : identity);

  const need = () => {
    if (!info) throw new Error("call row unknown (attach failed)");
    return info;
  };

  const run = async (op: TOp) => {
    if (op.kind === "attach") {
      try {
        info = await findOrCreateCall(db, op.id);
      } catch (err) {
        // The queue retries transient errors; a final failure reaches the session through failures/log.
        if (!isTransientDbError(err)) attached?.reject(err);
        throw err;
      }
      attached?.resolve(info);
      if (info.created) deps.events?.publish({ type: "call.started", businessId: info.businessId, callId: info.callId, callSid: op.id.callSid, from: info.callerPhone });
      deps.events?.publish({ type: "call.updated", businessId: info.businessId, callId: info.callId, status: "in_progress" });
      return;
    }
    const c = need();
    if (op.kind === "turn") {
      const { n, t } = op;
      await writeTurn(db, c, n, t);
      if (t.speaker !== "tool") deps.events?.publish({ type: "call.turn", businessId: c.businessId, callId: c.callId, seq: n, speaker: t.speaker, text: t.text });
      return;
    }
    await writeCallEnd(db, c.callId, op.metrics, op.durationSec);
    deps.events?.publish({ type: "call.ended", businessId: c.businessId, callId: c.callId, durationSec: op.durationSec });
  };

  const queue = createWriteQueue<TOp>({
    run,
    // A database outage (restart, failover, lost connections) is waited out, in order, for up to
    // outageLimitMs; memory stays bounded by spilling to DATA_DIR. Other errors get a few attempts.
    isTransient: (err) => isTransientDbError(err),
    log,
    attempts: deps.attempts ?? 4,
    baseMs: deps.baseMs ?? 100,
    // Back-off grows to 5 s: a long outage costs a probe every few seconds, and turns land within ~5 s of the return.
    maxDelayMs: 5_000,
    maxInMemory: deps.maxInMemory,
    spillPath: deps.spillDir ? join(deps.spillDir, `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 10)}.jsonl`) : undefined,
    outageLimitMs: deps.outageLimitMs,
    now,
    sleep: deps.sleep,
    onDegraded: deps.onDegraded,
  });

  return {
    attach(id) {
      startedAt = now();
      identity = id;
      const result = new Promise<TCallInfo>((resolve, reject) => {
        attached = { resolve, reject };
      });
      queue.push({ kind: "attach", id });
      // The conversation must not wait for a database that is away: after attachWaitMs the session goes
      // on without the row (its turns stay queued behind the attach and are written when it returns).
      const wait = deps.attachWaitMs ?? 5_000;
      const timeout = new Promise<never>((_, reject) => {
        const t = setTimeout(() => reject(new Error(`call row not available within ${wait} ms (database unavailable?)`)), wait);
        void result.finally(() => clearTimeout(t)).catch(() => {});
      });
      return Promise.race([result, timeout]);
    },
    turn(t) {
      const n = seq++;
      queue.push({ kind: "turn", n, t, call: callRef() });
      return n;
    },
    end(metrics) {
      queue.push({ kind: "end", metrics, durationSec: Math.round((now() - startedAt) / 1000), call: callRef() });
    },
    flush: () => queue.flush(),
    get failures() {
      return queue.failures;
    },
    get pending() {
      return queue.pending;
    },
  };
}
