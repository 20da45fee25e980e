import { and, eq } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { customers } from "../../../db/schema";
import { AppError } from "../../../core/kernel/errors";
import { writeAudit } from "../../../core/domain/write-audit";
import type { TScope } from "../../../core/domain/scope";
import type { TEventBus } from "../../../core/kernel/events";
import { assertActiveAgent } from "../assignments/assign-records";
import { toCustomerDto, type TCustomerDto } from "./customer-dto";
import { assertAssignee, findCustomer, isUniqueViolation, phoneOrThrow, type TCustomerFields } from "./customer-input";

/**
 * Patch a customer of the business; only given fields change. A new agent
 * (`assignedUserId` changed) must be an active user of the business, gets a
 * `customers.assign` audit entry and is notified (`assigned`), exactly as
 * through assignments.assign.
 */
export async function updateCustomer(
  db: TDb,
  events: TEventBus,
  scope: TScope,
  id: string,
  patch: TCustomerFields & { aiPaused?: boolean },
): Promise<TCustomerDto> {
  const set: Partial<typeof customers.$inferInsert> = {};
  if (patch.fullName !== undefined) set.fullName = patch.fullName;
  if (patch.phone !== undefined) set.phone = phoneOrThrow(patch.phone);
  if (patch.email !== undefined) set.email = patch.email;
  if (patch.status !== undefined) set.status = patch.status;
  if (patch.source !== undefined) set.source = patch.source;
  if (patch.tags !== undefined) set.tags = patch.tags;
  if (patch.requirements !== undefined) set.requirements = patch.requirements;
  if (patch.notes !== undefined) set.notes = patch.notes;
  if (patch.aiPaused !== undefined) set.aiPaused = patch.aiPaused;
  if (patch.assignedUserId !== undefined) {
    await assertAssignee(db, scope.businessId, patch.assignedUserId);
    set.assignedUserId = patch.assignedUserId;
  }
  try {
    const row = await db.transaction(async (tx) => {
      const before = await findCustomer(tx, scope.businessId, id);
      if (Object.keys(set).length === 0) return { row: before, reassigned: false };
      const reassigned = set.assignedUserId !== undefined && set.assignedUserId !== before.assignedUserId;
      if (reassigned && set.assignedUserId) await assertActiveAgent(tx, scope.businessId, set.assignedUserId);
      const [after] = await tx
        .update(customers)
        .set(set)
        .where(and(eq(customers.id, id), eq(customers.businessId, scope.businessId)))
        .returning();
      if (!after) throw new AppError("NOT_FOUND", "customer vanished", { userMessage: "הלקוח לא נמצא" });
      const action = Object.keys(set).length === 1 && set.status ? "customers.setStatus" : "customers.update";
      await writeAudit(tx, scope, { action, entityType: "customer", entityId: id, before, after });
      if (reassigned) {
        await writeAudit(tx, scope, { action: "customers.assign", entityType: "customer", entityId: id, before: { assignedUserId: before.assignedUserId }, after: { assignedUserId: after.assignedUserId } });
      }
      return { row: after, reassigned };
    });
    if (row.reassigned && row.row.assignedUserId) {
      events.publish({
        type: "assigned",
        businessId: scope.businessId,
        entity: "customer",
        ids: [id],
        count: 1,
        title: row.row.fullName,
        assignedUserId: row.row.assignedUserId,
        by: "staff",
        byUserId: scope.userId,
      });
    }
    return toCustomerDto(row.row);
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("CONFLICT", "duplicate phone", { userMessage: "כבר קיים לקוח עם מספר הטלפון הזה" });
    throw err;
  }
}

/** Delete a customer of the business (their calls stay, unlinked). */
export async function deleteCustomer(db: TDb, scope: TScope, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const before = await findCustomer(tx, scope.businessId, id);
    await tx.delete(customers).where(and(eq(customers.id, id), eq(customers.businessId, scope.businessId)));
    await writeAudit(tx, scope, { action: "customers.delete", entityType: "customer", entityId: id, before, after: null });
  });
}
