/**
 * Periodic job: tasks whose reminder time has come are claimed (atomically,
 * so several processes never remind twice) and announced as `task.reminder`
 * events, which reach the dashboard through notifications.onEvent.
 */
import type { TDb } from "../../../db/client";
import type { TEventBus } from "../../lib/events";
import type { TLogger } from "../../lib/logger";
import { claimDueReminders } from "./manage-tasks";

/** Claim due reminders once and publish them; returns how many fired. */
export async function fireDueReminders(db: TDb, events: TEventBus, now = new Date()): Promise<number> {
  const due = await claimDueReminders(db, now);
  for (const t of due) {
    events.publish({ type: "task.reminder", businessId: t.businessId, taskId: t.id, title: t.title, dueAt: t.dueAt, assignedUserId: t.assignedUserId });
  }
  return due.length;
}

/** Run fireDueReminders every `intervalMs` until the returned stop() is called. */
export function startTaskReminders(deps: { db: TDb; events: TEventBus; log: TLogger }, intervalMs = 30_000): () => void {
  let running = false;
  const tick = async () => {
    if (running) return; // a slow database must not stack ticks
    running = true;
    try {
      const fired = await fireDueReminders(deps.db, deps.events);
      if (fired) deps.log.info({ fired }, "task reminders sent");
    } catch (err) {
      deps.log.warn({ err }, "task reminder tick failed; retrying next interval");
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), intervalMs);
  (timer as { unref?: () => void }).unref?.();
  return () => clearInterval(timer);
}
