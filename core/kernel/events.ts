/**
 * In-process event bus for live notifications. The CRM API layer can bridge it
 * across processes (PostgreSQL LISTEN/NOTIFY); publishers do not care.
 */
export type TKesherEvent =
  | { type: "call.started"; businessId: string; callId: string; callSid: string; from: string | null }
  | { type: "call.updated"; businessId: string; callId: string; status: string }
  | { type: "call.ended"; businessId: string; callId: string; durationSec: number | null }
  | { type: "call.turn"; businessId: string; callId: string; seq: number; speaker: string; text: string }
  | { type: "lead.created"; businessId: string; customerId: string; name: string | null }
  | { type: "whatsapp.message"; businessId: string; customerId: string | null; messageId: string; direction: "in" | "out" }
  | { type: "appointment.booked"; businessId: string; appointmentId: string; startsAt: string }
  | { type: "task.reminder"; businessId: string; taskId: string; title: string; dueAt: string | null; assignedUserId: string | null }
  /** Leads, tasks or viewings given to an agent (by staff, or by the assignment rules): the agent is notified. */
  | {
      type: "assigned";
      businessId: string;
      entity: "customer" | "task" | "appointment";
      /** Up to 50 of the assigned ids (a bulk action may assign more). */
      ids: string[];
      count: number;
      /** The lead's name or the task's title when one record was assigned. */
      title: string | null;
      assignedUserId: string;
      by: "rules" | "staff";
      byUserId: string | null;
    };

export type TEventListener = (event: TKesherEvent) => void;

export interface TEventBus {
  publish(event: TKesherEvent): void;
  subscribe(listener: TEventListener): () => void;
}

export function createEventBus(): TEventBus {
  const listeners = new Set<TEventListener>();
  return {
    publish(event) {
      for (const l of listeners) {
        try {
          l(event);
        } catch {
          // A failing listener must never break the publisher (e.g. the webhook path).
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** PostgreSQL channel carrying events between processes (api ↔ realtime). */
export const EVENTS_CHANNEL = "kesher_events";
/** NOTIFY payloads must stay under 8000 bytes. */
const MAX_PAYLOAD = 7000;

/** The part of a postgres-js client the bridge uses. */
export interface TPgNotifier {
  listen(channel: string, onNotify: (payload: string) => void): Promise<{ unlisten(): Promise<void> }>;
  notify(channel: string, payload: string): Promise<unknown>;
}

export interface TBridgedEventBus extends TEventBus {
  close(): Promise<void>;
}

interface TEnvelope {
  origin: string;
  event: TKesherEvent;
}

function fitPayload(env: TEnvelope): string {
  let json = JSON.stringify(env);
  if (Buffer.byteLength(json) > MAX_PAYLOAD && env.event.type === "call.turn") {
    json = JSON.stringify({ ...env, event: { ...env.event, text: `${env.event.text.slice(0, 1500)}…` } });
  }
  return json;
}

/**
 * Wrap a local bus so events cross processes through PostgreSQL
 * LISTEN/NOTIFY. Local subscribers get local events at once (no round trip);
 * events from other processes are re-published locally. Failures to NOTIFY
 * are logged and never reach the publisher (webhooks must not fail on it).
 */
export async function bridgeEventsToPostgres(
  local: TEventBus,
  pg: TPgNotifier,
  log?: { warn(obj: object, msg: string): void },
): Promise<TBridgedEventBus> {
  const origin = crypto.randomUUID();
  const sub = await pg.listen(EVENTS_CHANNEL, (payload) => {
    try {
      const env = JSON.parse(payload) as TEnvelope;
      if (env.origin !== origin && env.event && typeof env.event.type === "string") local.publish(env.event);
    } catch (err) {
      log?.warn({ err }, "ignoring malformed event notification");
    }
  });
  return {
    publish(event) {
      local.publish(event);
      const payload = fitPayload({ origin, event });
      if (Buffer.byteLength(payload) > 7999) {
        log?.warn({ type: event.type }, "event too large for NOTIFY; delivered locally only");
        return;
      }
      pg.notify(EVENTS_CHANNEL, payload).catch((err: unknown) => log?.warn({ err, type: event.type }, "NOTIFY failed; event delivered locally only"));
    },
    subscribe: (listener) => local.subscribe(listener),
    close: () => sub.unlisten(),
  };
}
