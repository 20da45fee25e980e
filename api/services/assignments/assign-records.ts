/**
 * Staff give leads, tasks or viewings to an agent, one or many at a time.
 * The agent must be an active user of the same business (another tenant's
 * user is reported exactly like a missing one); only rows of the business
 * change; each change is audited; the agent is notified (`assigned` event →
 * a toast on their dashboard).
 */
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { TDb } from "../../../db/client";
import { appointmentRequests, customers, tasks, users } from "../../../db/schema";
import { AppError } from "../../../core/kernel/errors";
import type { TEventBus } from "../../../core/kernel/events";
import { writeAudit, type TDbOrTx } from "../../../core/domain/write-audit";
import type { TScope } from "../../../core/domain/scope";

export const ASSIGNABLE = ["customer", "task", "appointment"] as const;
export type TAssignable = (typeof ASSIGNABLE)[number];
export const ZAssignable = z.enum(ASSIGNABLE);

const TABLES = { customer: customers, task: tasks, appointment: appointmentRequests } as const;
const MAX_IDS = 1000;

/** An active user of this business, or NOT_FOUND (never another tenant's). */
export async function assertActiveAgent(db: TDbOrTx, businessId: string, userId: string): Promise<{ id: string; fullName: string }> {
  const [u] = await db
    .select({ id: users.id, fullName: users.fullName })
    .from(users)
    .where(and(eq(users.id, userId), eq(users.businessId, businessId), eq(users.active, true)))
    .limit(1);
  if (!u) throw new AppError("NOT_FOUND", "assignee not an active user of the business", { userMessage: "המשתמש שנבחר לא נמצא בעסק" });
  return u;
}

/**
 * Assign (or, with `userId: null`, unassign) records of the business.
 * Returns how many rows changed; ids of other businesses are skipped.
 */
export async function assignRecords(
  db: TDb,
  events: TEventBus,
  scope: TScope,
  input: { entity: TAssignable; ids: string[]; userId: string | null },
): Promise<{ updated: number }> {
  const ids = [...new Set(input.ids)];
  if (ids.length === 0) return { updated: 0 };
  if (ids.length > MAX_IDS) throw new AppError("BAD_REQUEST", "too many ids", { userMessage: `אפשר לשייך עד ${MAX_IDS} רשומות בפעולה אחת` });
  const table = TABLES[input.entity];
  const changed = await db.transaction(async (tx) => {
    if (input.userId) await assertActiveAgent(tx, scope.businessId, input.userId);
    const before = await tx
      .select({ id: table.id, assignedUserId: table.assignedUserId })
      .from(table)
      .where(and(eq(table.businessId, scope.businessId), inArray(table.id, ids)));
    const toChange = before.filter((r) => r.assignedUserId !== input.userId).map((r) => r.id);
    if (toChange.length === 0) return [];
    await tx
      .update(table)
      .set({ assignedUserId: input.userId })
      .where(and(eq(table.businessId, scope.businessId), inArray(table.id, toChange)));
    for (const r of before.filter((x) => toChange.includes(x.id))) {
      await writeAudit(tx, scope, {
        action: `${input.entity === "appointment" ? "appointments" : `${input.entity}s`}.assign`,
        entityType: input.entity,
        entityId: r.id,
        before: { assignedUserId: r.assignedUserId },
        after: { assignedUserId: input.userId },
      });
    }
    return toChange;
  });
  if (input.userId && changed.length > 0) {
    events.publish({
      type: "assigned",
      businessId: scope.businessId,
      entity: input.entity,
      ids: changed.slice(0, 50),
      count: changed.length,
      title: changed.length === 1 ? await titleOf(db, input.entity, scope.businessId, changed[0]!) : null,
      assignedUserId: input.userId,
      by: "staff",
      byUserId: scope.userId,
    });
  }
  return { updated: changed.length };
}

async function titleOf(db: TDb, entity: TAssignable, businessId: string, id: string): Promise<string | null> {
  if (entity === "customer") {
    const [c] = await db.select({ t: customers.fullName }).from(customers).where(and(eq(customers.id, id), eq(customers.businessId, businessId)));
    return c?.t ?? null;
  }
  if (entity === "task") {
    const [t] = await db.select({ t: tasks.title }).from(tasks).where(and(eq(tasks.id, id), eq(tasks.businessId, businessId)));
    return t?.t ?? null;
  }
  return null;
}

export const ZAssignee = z.object({ id: z.string(), fullName: z.string(), email: z.string() });
export type TAssignee = z.infer<typeof ZAssignee>;

/** Active users of the business, for assignee pickers (any staff member may see who their colleagues are). */
export async function listAssignees(db: TDb, scope: TScope): Promise<TAssignee[]> {
  return db
    .select({ id: users.id, fullName: users.fullName, email: users.email })
    .from(users)
    .where(and(eq(users.businessId, scope.businessId), eq(users.active, true)))
    .orderBy(users.fullName);
}
