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
  | { type: "appointment.booked"; businessId: string; appointmentId: string; startsAt: string };

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
