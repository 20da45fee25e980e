import type { TDb } from "../../../db/client";
import { customers } from "../../../db/schema";
import { AppError } from "../../../core/kernel/errors";
import type { TEventBus } from "../../../core/kernel/events";
import { writeAudit } from "../../../core/domain/write-audit";
import type { TScope } from "../../../core/domain/scope";
import { toCustomerDto, type TCustomerDto } from "./customer-dto";
import { assertAssignee, isUniqueViolation, phoneOrThrow, type TCustomerFields } from "./customer-input";

/** Create a lead/customer; announces `lead.created`, and `assigned` when created with an agent. */
export async function createCustomer(db: TDb, events: TEventBus, scope: TScope, input: TCustomerFields): Promise<TCustomerDto> {
  const phone = phoneOrThrow(input.phone);
  if (!phone && !input.fullName && !input.email) {
    throw new AppError("BAD_REQUEST", "empty customer", { userMessage: "יש להזין לפחות שם, טלפון או אימייל" });
  }
  await assertAssignee(db, scope.businessId, input.assignedUserId);
  try {
    const row = await db.transaction(async (tx) => {
      const [created] = await tx
        .insert(customers)
        .values({
          businessId: scope.businessId,
          fullName: input.fullName ?? null,
          phone,
          email: input.email ?? null,
          status: input.status ?? "new",
          source: input.source ?? "manual",
          tags: input.tags ?? [],
          requirements: input.requirements ?? {},
          notes: input.notes ?? null,
          assignedUserId: input.assignedUserId ?? null,
        })
        .returning();
      if (!created) throw new AppError("INTERNAL", "insert returned nothing");
      await writeAudit(tx, scope, { action: "customers.create", entityType: "customer", entityId: created.id, after: created });
      return created;
    });
    events.publish({ type: "lead.created", businessId: scope.businessId, customerId: row.id, name: row.fullName });
    // Created already assigned: the agent hears of it as through assignments.assign.
    if (row.assignedUserId) {
      events.publish({ type: "assigned", businessId: scope.businessId, entity: "customer", ids: [row.id], count: 1, title: row.fullName, assignedUserId: row.assignedUserId, by: "staff", byUserId: scope.userId });
    }
    return toCustomerDto(row);
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("CONFLICT", "duplicate phone", { userMessage: "כבר קיים לקוח עם מספר הטלפון הזה" });
    throw err;
  }
}
