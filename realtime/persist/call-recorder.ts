/**
 * Persistence observer for one call, off the media path: every write goes
 * into an ordered queue drained in the background with retries; the session
 * never awaits it (except `flush()` at the end of the call). Writes are
 * idempotent (turns are unique on call_id + seq), so a retried insert that
 * actually landed the first time does no harm.
 */
import { and, eq, sql } from "drizzle-orm";
import type { TEventBus } from "../../api/lib/events";
import type { TLogger } from "../../api/lib/logger";
import { toE164 } from "../../api/lib/phone";
import { isTransientDbError } from "../../api/lib/db-errors";
import { retry } from "../../api/lib/retry";
import { resolveBusinessForNumber } from "../../api/services/businesses/resolve-business";
import type { TDb } from "../../db/client";
import { businesses, callLogs, conversationTurns, customers } from "../../db/schema";
import type { TBusinessSettings } from "../../db/schema/businesses";
import type { TCallMetrics, TTurnMetrics } from "../../db/schema/calls";

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
}

export interface TRecorderDeps {
  db: TDb;
  log: TLogger;
  events?: TEventBus;
  attempts?: number;
  baseMs?: number;
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
        const [c] = await tx
          .insert(customers)
          .values({ businessId: bizId, phone: caller, source: "call" })
          .onConflictDoUpdate({ target: [customers.businessId, customers.phone], targetWhere: sql`${customers.phone} is not null`, set: { updatedAt: sql`now()` } })
          .returning({ id: customers.id });
        customerId = c?.id ?? null;
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

/**
 * @example
 *   const rec = createCallRecorder({ db, log, events });
 *   const info = rec.attach({ callSid, streamSid, callId, businessId, caller });
 *   rec.turn({ speaker: "caller", text, startedAt });
 *   rec.end(metrics); await rec.flush();
 */
export function createCallRecorder(deps: TRecorderDeps): TCallRecorder {
  const { db, log } = deps;
  let tail: Promise<unknown> = Promise.resolve();
  let info: TCallInfo | undefined;
  let seq = 0;
  let failures = 0;
  let startedAt = Date.now();

  const enqueue = <T>(what: string, op: () => Promise<T>): Promise<T> => {
    const run = tail.then(() =>
      retry(op, {
        // A database outage (restart, failover, lost connections) is waited out for ~30 s
        // per write, in order; other errors get the usual few attempts.
        attempts: deps.attempts ?? 35,
        baseMs: deps.baseMs ?? 100,
        maxDelayMs: 1000,
        retryIf: (err, attempt) => attempt < 4 || isTransientDbError(err),
        onError: (err, attempt) => log.warn({ err, attempt, what }, "call persistence failed, retrying"),
      }),
    );
    tail = run.catch((err) => {
      failures++;
      log.error({ err, what }, "call persistence gave up");
    });
    return run;
  };

  const need = () => {
    if (!info) throw new Error("call row unknown (attach failed)");
    return info;
  };

  return {
    attach(id) {
      startedAt = Date.now();
      return enqueue("attach", async () => {
        info = await findOrCreateCall(db, id);
        if (info.created) deps.events?.publish({ type: "call.started", businessId: info.businessId, callId: info.callId, callSid: id.callSid, from: info.callerPhone });
        deps.events?.publish({ type: "call.updated", businessId: info.businessId, callId: info.callId, status: "in_progress" });
        return info;
      });
    },
    turn(t) {
      const n = seq++;
      void enqueue(`turn ${n}`, async () => {
        const c = need();
        await db
          .insert(conversationTurns)
          .values({
            businessId: c.businessId,
            callId: c.callId,
            seq: n,
            speaker: t.speaker,
            text: t.text,
            startedAt: t.startedAt,
            endedAt: t.endedAt ?? null,
            interrupted: t.interrupted ?? false,
            metrics: t.metrics ?? null,
            toolName: t.toolName ?? null,
            toolPayload: t.toolPayload ?? null,
          })
          .onConflictDoNothing({ target: [conversationTurns.callId, conversationTurns.seq] });
        if (t.speaker !== "tool") deps.events?.publish({ type: "call.turn", businessId: c.businessId, callId: c.callId, seq: n, speaker: t.speaker, text: t.text });
      }).catch(() => {});
      return n;
    },
    end(metrics) {
      const durationSec = Math.round((Date.now() - startedAt) / 1000);
      void enqueue("end", async () => {
        const c = need();
        await db
          .update(callLogs)
          .set({
            status: "completed",
            endedAt: sql`coalesce(${callLogs.endedAt}, now())`,
            durationSec: sql`coalesce(${callLogs.durationSec}, ${durationSec})`,
            metrics: sql`${callLogs.metrics} || ${JSON.stringify(metrics)}::jsonb`,
            updatedAt: sql`now()`,
          })
          .where(eq(callLogs.id, c.callId));
        deps.events?.publish({ type: "call.ended", businessId: c.businessId, callId: c.callId, durationSec });
      }).catch(() => {});
    },
    async flush() {
      await tail;
    },
    get failures() {
      return failures;
    },
  };
}
