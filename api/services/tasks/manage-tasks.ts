/** Follow-up tasks with due dates and reminders. */
import { and, asc, eq, isNull, lte, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { TDb } from "../../../db/client";
import { customers, tasks } from "../../../db/schema";
import { AppError } from "../../../core/kernel/errors";
import { writeAudit } from "../../../core/domain/write-audit";
import type { TScope } from "../../../core/domain/scope";
import { assertRefsInBusiness } from "../tenant-refs";

export const TASK_STATUSES = ["open", "done", "cancelled"] as const;
export const TASK_PRIORITIES = ["low", "normal", "high"] as const;

export const ZTask = z.object({
  id: z.string(),
  businessId: z.string(),
  customerId: z.string().nullable(),
  /** The customer's name (lists show whom the task is about); null when none or not loaded. */
  customerName: z.string().nullable(),
  callId: z.string().nullable(),
  assignedUserId: z.string().nullable(),
  title: z.string(),
  description: z.string().nullable(),
  dueAt: z.string().nullable(),
  remindAt: z.string().nullable(),
  remindedAt: z.string().nullable(),
  status: z.enum(TASK_STATUSES),
  priority: z.enum(TASK_PRIORITIES),
  completedAt: z.string().nullable(),
  overdue: z.boolean(),
  createdAt: z.string(),
});
export type TTaskDto = z.infer<typeof ZTask>;
type TTaskRow = typeof tasks.$inferSelect;

export function toTaskDto(t: TTaskRow, now = new Date(), customerName: string | null = null): TTaskDto {
  return {
    id: t.id,
    businessId: t.businessId,
    customerId: t.customerId,
    customerName,
    callId: t.callId,
    assignedUserId: t.assignedUserId,
    title: t.title,
    description: t.description,
    dueAt: t.dueAt?.toISOString() ?? null,
    remindAt: t.remindAt?.toISOString() ?? null,
    remindedAt: t.remindedAt?.toISOString() ?? null,
    status: t.status,
    priority: t.priority,
    completedAt: t.completedAt?.toISOString() ?? null,
    overdue: t.status === "open" && !!t.dueAt && t.dueAt < now,
    createdAt: t.createdAt.toISOString(),
  };
}

export interface TTaskInput {
  title: string;
  description?: string | null;
  customerId?: string | null;
  callId?: string | null;
  assignedUserId?: string | null;
  dueAt?: string | null;
  remindAt?: string | null;
  priority?: TTaskRow["priority"];
}

const when = (v: string | null | undefined) => (v === undefined ? undefined : v === null ? null : new Date(v));

export async function listTasks(
  db: TDb,
  scope: TScope,
  f: { status?: TTaskRow["status"]; assignedUserId?: string; customerId?: string },
): Promise<TTaskDto[]> {
  const where: SQL[] = [eq(tasks.businessId, scope.businessId)];
  if (f.status) where.push(eq(tasks.status, f.status));
  if (f.assignedUserId) where.push(eq(tasks.assignedUserId, f.assignedUserId));
  if (f.customerId) where.push(eq(tasks.customerId, f.customerId));
  const rows = await db
    .select({ t: tasks, customerName: customers.fullName })
    .from(tasks)
    .leftJoin(customers, and(eq(customers.id, tasks.customerId), eq(customers.businessId, tasks.businessId)))
    .where(and(...where))
    .orderBy(sql`${tasks.dueAt} asc nulls last`, asc(tasks.createdAt))
    .limit(1000);
  const now = new Date();
  return rows.map((r) => toTaskDto(r.t, now, r.customerName));
}

export async function createTask(db: TDb, scope: TScope, input: TTaskInput): Promise<TTaskDto> {
  const row = await db.transaction(async (tx) => {
    await assertRefsInBusiness(tx, scope.businessId, input);
    const [created] = await tx
      .insert(tasks)
      .values({
        businessId: scope.businessId,
        title: input.title,
        description: input.description ?? null,
        customerId: input.customerId ?? null,
        callId: input.callId ?? null,
        assignedUserId: input.assignedUserId ?? scope.userId,
        dueAt: when(input.dueAt) ?? null,
        remindAt: when(input.remindAt) ?? null,
        priority: input.priority ?? "normal",
      })
      .returning();
    if (!created) throw new AppError("INTERNAL", "insert returned nothing");
    await writeAudit(tx, scope, { action: "tasks.create", entityType: "task", entityId: created.id, after: created });
    return created;
  });
  return toTaskDto(row);
}

export async function updateTask(
  db: TDb,
  scope: TScope,
  id: string,
  patch: Partial<TTaskInput> & { status?: TTaskRow["status"] },
  action = "tasks.update",
): Promise<TTaskDto> {
  const row = await db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(tasks)
      .where(and(eq(tasks.id, id), eq(tasks.businessId, scope.businessId)))
      .limit(1);
    if (!before) throw new AppError("NOT_FOUND", "task not found", { userMessage: "המשימה לא נמצאה" });
    await assertRefsInBusiness(tx, scope.businessId, patch);
    const set: Partial<typeof tasks.$inferInsert> = {};
    if (patch.title !== undefined) set.title = patch.title;
    if (patch.description !== undefined) set.description = patch.description;
    if (patch.customerId !== undefined) set.customerId = patch.customerId;
    if (patch.callId !== undefined) set.callId = patch.callId;
    if (patch.assignedUserId !== undefined) set.assignedUserId = patch.assignedUserId;
    if (patch.priority !== undefined) set.priority = patch.priority;
    if (patch.dueAt !== undefined) set.dueAt = when(patch.dueAt);
    if (patch.remindAt !== undefined) {
      set.remindAt = when(patch.remindAt);
      set.remindedAt = null; // a new reminder time fires again
    }
    if (patch.status !== undefined) {
      set.status = patch.status;
      set.completedAt = patch.status === "done" ? (before.completedAt ?? new Date()) : null;
    }
    const [after] = await tx
      .update(tasks)
      .set(set)
      .where(and(eq(tasks.id, id), eq(tasks.businessId, scope.businessId)))
      .returning();
    if (!after) throw new AppError("NOT_FOUND", "task vanished", { userMessage: "המשימה לא נמצאה" });
    await writeAudit(tx, scope, { action, entityType: "task", entityId: id, before, after });
    return after;
  });
  return toTaskDto(row);
}

export function completeTask(db: TDb, scope: TScope, id: string): Promise<TTaskDto> {
  return updateTask(db, scope, id, { status: "done" }, "tasks.complete");
}

/**
 * Open tasks whose reminder time has come, marked as reminded in the same
 * statement so two workers never remind twice. Across all businesses: meant
 * for a periodic job that fans reminders out per business.
 */
export async function claimDueReminders(db: TDb, now = new Date()): Promise<TTaskDto[]> {
  const rows = await db
    .update(tasks)
    .set({ remindedAt: now })
    .where(and(eq(tasks.status, "open"), lte(tasks.remindAt, now), isNull(tasks.remindedAt)))
    .returning();
  return rows.map((r) => toTaskDto(r, now));
}
