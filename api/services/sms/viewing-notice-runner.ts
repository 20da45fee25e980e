/**
 * Wires viewing notices into a process: a confirmation as soon as
 * `appointment.booked` is announced (staff or AI booking), and the day-before
 * reminders from a tick. Both are idempotent (viewing_notices claims), so
 * every process may run this; a job queue can later call
 * `sendDueViewingReminders` instead of the timer.
 */
import type { TEventBus } from "../../../core/kernel/events";
import type { TSendToCustomerDeps } from "../messaging/send-to-customer";
import { sendDueViewingReminders, sendViewingNotice } from "./viewing-notices";

export function startViewingNotices(deps: TSendToCustomerDeps & { events: TEventBus }, opts: { tickMs?: number; now?: () => Date } = {}): () => void {
  const now = opts.now ?? deps.now ?? (() => new Date());
  const unsubscribe = deps.events.subscribe((e) => {
    if (e.type !== "appointment.booked") return;
    void sendViewingNotice(deps, e.appointmentId, "confirmation").catch((err: unknown) => deps.log.error({ err, appointmentId: e.appointmentId }, "viewing confirmation failed"));
  });
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sendDueViewingReminders({ ...deps, now })
      .catch((err: unknown) => deps.log.error({ err }, "viewing reminders tick failed"))
      .finally(() => (running = false));
  }, opts.tickMs ?? 60_000);
  return () => {
    unsubscribe();
    clearInterval(timer);
  };
}
