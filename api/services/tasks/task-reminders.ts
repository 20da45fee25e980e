/**
 * Tasks whose reminder time has come are claimed (atomically, so several
 * processes never remind twice) and announced as `task.reminder` events,
 * which reach the dashboard through notifications.onEvent. Run by the
 * `task-reminders` job tick (api/jobs), once per interval across instances.
 */
import type { TDb } from "../../../db/client";
import type { TEventBus } from "../../../core/kernel/events";
import { claimDueReminders } from "./manage-tasks";

/** Claim due reminders once and publish them; returns how many fired. */
export async function fireDueReminders(db: TDb, events: TEventBus, now = new Date()): Promise<number> {
  const due = await claimDueReminders(db, now);
  for (const t of due) {
    events.publish({ type: "task.reminder", businessId: t.businessId, taskId: t.id, title: t.title, dueAt: t.dueAt, assignedUserId: t.assignedUserId });
  }
  return due.length;
}
