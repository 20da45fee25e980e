/**
 * Bulk status from the listings table (available / under offer / sold /
 * rented): the selected listings of the business change in one transaction,
 * each change audited; ids of other businesses are skipped.
 */
import { and, eq, inArray, ne } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { properties } from "../../../db/schema";
import { AppError } from "../../../core/kernel/errors";
import { writeAudit } from "../../../core/domain/write-audit";
import type { TScope } from "../../../core/domain/scope";
import type { TPropertyDto } from "./property-dto";

const MAX_IDS = 1000;

/** Returns how many listings changed (one already in that status is not counted). */
export async function bulkSetPropertyStatus(db: TDb, scope: TScope, ids: string[], status: TPropertyDto["status"]): Promise<{ updated: number }> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return { updated: 0 };
  if (unique.length > MAX_IDS) throw new AppError("BAD_REQUEST", "too many ids", { userMessage: `אפשר לעדכן עד ${MAX_IDS} נכסים בפעולה אחת` });
  return db.transaction(async (tx) => {
    const mine = and(eq(properties.businessId, scope.businessId), inArray(properties.id, unique), ne(properties.status, status));
    const before = await tx.select({ id: properties.id, status: properties.status }).from(properties).where(mine);
    if (before.length === 0) return { updated: 0 };
    await tx
      .update(properties)
      .set({ status })
      .where(and(eq(properties.businessId, scope.businessId), inArray(properties.id, before.map((r) => r.id))));
    for (const b of before) {
      await writeAudit(tx, scope, { action: "properties.bulkSetStatus", entityType: "property", entityId: b.id, before: { status: b.status }, after: { status } });
    }
    return { updated: before.length };
  });
}
