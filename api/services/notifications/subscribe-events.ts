/**
 * Bridges the push-style event bus to a pull-style async iterable for one
 * business. The bus subscription starts immediately (not on the first
 * iteration), so nothing published between "connected" and the first read is
 * lost. Buffers a bounded number of events so a slow client cannot grow
 * memory without limit (the oldest are dropped).
 */
import type { TEventBus, TKesherEvent } from "../../../core/kernel/events";

const MAX_BUFFER = 500;

export function subscribeBusinessEvents(bus: TEventBus, businessId: string, signal: AbortSignal | undefined): AsyncIterable<TKesherEvent> {
  const queue: TKesherEvent[] = [];
  let wake: (() => void) | null = null;
  const unsubscribe = bus.subscribe((e) => {
    if (e.businessId !== businessId) return;
    queue.push(e);
    if (queue.length > MAX_BUFFER) queue.shift();
    wake?.();
  });
  const onAbort = () => {
    unsubscribe();
    wake?.();
  };
  signal?.addEventListener("abort", onAbort, { once: true });

  async function* iterate(): AsyncGenerator<TKesherEvent, void, unknown> {
    try {
      while (!signal?.aborted) {
        const next = queue.shift();
        if (next) {
          yield next;
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = null;
      }
    } finally {
      unsubscribe();
      signal?.removeEventListener("abort", onAbort);
    }
  }
  return iterate();
}
