/**
 * Bulk actions from the customers table: set a status, add or remove a tag
 * on the selected customers of the business, in one transaction, each change
 * audited.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { customers } from "../../../db/schema";
import { AppError } from "../../../core/kernel/errors";
import { writeAudit } from "../../../core/domain/write-audit";
import type { TScope } from "../../../core/domain/scope";
import type { TCustomerDto } from "./customer-dto";

export async function bulkUpdateCustomers(
  db: TDb,
  scope: TScope,
  ids: string[],
  change: { status?: TCustomerDto["status"]; addTag?: string; removeTag?: string },
): Promise<{ updated: number }> {
  if (!change.status && !change.addTag && !change.removeTag) {
    throw new AppError("BAD_REQUEST", "nothing to change", { userMessage: "לא נבחרה פעולה" });
  }
  const unique = [...new Set(ids)];
  return db.transaction(async (tx) => {
    const before = await tx
      .select({ id: customers.id, status: customers.status, tags: customers.tags })
      .from(customers)
      .where(and(eq(customers.businessId, scope.businessId), inArray(customers.id, unique)));
    if (before.length === 0) return { updated: 0 };
    const set: Record<string, unknown> = {};
    if (change.status) set.status = change.status;
    let tags = sql`${customers.tags}`;
    if (change.removeTag) tags = sql`array_remove(${tags}, ${change.removeTag}::text)`;
    if (change.addTag) tags = sql`case when ${change.addTag}::text = any(${tags}) then ${tags} else array_append(${tags}, ${change.addTag}::text) end`;
    if (change.addTag || change.removeTag) set.tags = tags;
    const after = await tx
      .update(customers)
      .set(set)
      .where(and(eq(customers.businessId, scope.businessId), inArray(customers.id, before.map((r) => r.id))))
      .returning({ id: customers.id, status: customers.status, tags: customers.tags });
    const byId = new Map(after.map((r) => [r.id, r]));
    for (const b of before) {
      const a = byId.get(b.id);
      if (a) await writeAudit(tx, scope, { action: "customers.bulkUpdate", entityType: "customer", entityId: b.id, before: b, after: a });
    }
    return { updated: after.length };
  });
}
