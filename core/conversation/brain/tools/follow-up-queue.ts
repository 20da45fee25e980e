/**
 * When the database does not answer during a conversation, what the caller
 * asked for must not be lost and must not be mistaken for "no matching
 * listings". The tool registry hands the failed call to this queue; the agent
 * tells the caller it will check and get back. The queue keeps one follow-up
 * per conversation (later failures add lines to it), retries with backoff
 * until the database answers, and then writes the lead (by phone) and a staff
 * task in one transaction. Nothing is dropped: an item leaves the queue only
 * after its task is written.
 *
 * There is no process-wide default: whoever builds the conversation (the
 * composition root, or an agent factory for itself) creates one queue with
 * `createFollowUpQueue` and passes it down as `followUps` in the tool deps,
 * and stops it at shutdown.
 *
 * @example
 *   const followUps = createFollowUpQueue({ db, log, events });
 *   const agent = createLocalAgent({ db, events, log, followUps });
 *   // shutdown: await followUps.flush(); followUps.stop();
 */
import type { TDb } from "../../../../db/client";
import type { TLogger } from "../../../kernel/logger";
import { createEventBus, type TEventBus } from "../../../kernel/events";
import { AppError } from "../../../kernel/errors";
import { insertCallbackTask, type TCallbackTaskArgs } from "./create-callback-task";
import type { TToolScope } from "./types";
import { upsertLead, type TUpsertLeadArgs } from "./upsert-lead";

export interface TFollowUpQueue {
  /** Queue a follow-up for this conversation (merged with one already queued). Starts retrying. */
  enqueue(scope: TToolScope, item: { line: string; lead?: TUpsertLeadArgs; task?: TCallbackTaskArgs }): void;
  /** Follow-ups waiting for the database. */
  pending(): number;
  /** Try to write everything now; resolves when this attempt is over (failed items stay queued). */
  flush(): Promise<void>;
  /** Stop retrying (the items stay in memory; used at shutdown and by tests). */
  stop(): void;
}

interface TItem {
  key: string;
  scope: TToolScope;
  lines: string[];
  lead: TUpsertLeadArgs;
  tasks: TCallbackTaskArgs[];
}

export interface TFollowUpQueueOptions {
  db: TDb;
  log: TLogger;
  events?: TEventBus;
  /** First retry delay; doubles up to maxRetryMs. */
  retryMs?: number;
  maxRetryMs?: number;
}

export function createFollowUpQueue(opts: TFollowUpQueueOptions): TFollowUpQueue {
  const items = new Map<string, TItem>();
  const first = opts.retryMs ?? 2_000;
  const max = opts.maxRetryMs ?? 60_000;
  let delay = first;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  const schedule = () => {
    if (stopped || timer || !items.size) return;
    timer = setTimeout(() => {
      timer = undefined;
      void flush();
    }, delay);
    (timer as { unref?: () => void }).unref?.();
  };

  const events = opts.events ?? createEventBus();
  const write = async (item: TItem) => {
    await opts.db.transaction(async (tx) => {
      let customerId = item.scope.customerId ?? null;
      if (customerId || item.scope.callerPhone) {
        // A customer deleted meanwhile is not a reason to lose the follow-up: fall back to the phone.
        const lead = await upsertLead({ db: tx, log: opts.log, events }, item.scope, item.lead, tx).catch((err: unknown) => {
          if (err instanceof AppError && item.scope.callerPhone) return upsertLead({ db: tx, log: opts.log, events }, { ...item.scope, customerId: null }, item.lead, tx);
          throw err;
        });
        customerId = lead.customerId;
      }
      const scope = { ...item.scope, customerId };
      await insertCallbackTask(tx, scope, {
        kind: "follow_up",
        title: "לבדוק ולחזור ללקוח: המאגר לא ענה בזמן השיחה",
        description: ["בזמן השיחה לא ניתן היה לגשת למאגר, ונאמר ללקוח/ה שנבדוק ונחזור.", ...item.lines].join("\n"),
        priority: "high",
      });
      for (const t of item.tasks) await insertCallbackTask(tx, scope, t);
    });
  };

  const attempt = async () => {
    let failed = false;
    for (const [key, item] of [...items]) {
      try {
        await write(item);
        items.delete(key);
        opts.log.info({ businessId: item.scope.businessId, callId: item.scope.callId }, "follow-up written after the database came back");
      } catch (err) {
        failed = true;
        opts.log.warn({ err, businessId: item.scope.businessId, pending: items.size }, "follow-up not written yet (database unavailable), will retry");
        break;
      }
    }
    delay = failed ? Math.min(max, delay * 2) : first;
  };

  const flush = async () => {
    if (running) return running;
    running = attempt().finally(() => {
      running = undefined;
      schedule();
    });
    return running;
  };

  return {
    enqueue(scope, add) {
      const key = `${scope.businessId}|${scope.callId ?? scope.customerId ?? scope.callerPhone ?? crypto.randomUUID()}`;
      const item = items.get(key) ?? { key, scope, lines: [], lead: {}, tasks: [] };
      item.scope = { ...item.scope, ...scope };
      if (!item.lines.includes(add.line)) item.lines.push(add.line);
      if (add.lead) {
        const { requirements, ...rest } = add.lead;
        item.lead = { ...item.lead, ...rest, ...(requirements ? { requirements: { ...item.lead.requirements, ...requirements } } : {}) };
      }
      if (add.task) item.tasks.push(add.task);
      items.set(key, item);
      schedule();
    },
    pending: () => items.size,
    flush,
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
    },
  };
}
