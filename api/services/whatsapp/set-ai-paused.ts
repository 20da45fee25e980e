/**
 * Human takeover: staff take a thread (the AI stays quiet for this customer
 * on WhatsApp) and later hand it back. Audited.
 */
import { and, eq } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { customers } from "../../../db/schema";
import { AppError } from "../../../core/kernel/errors";
import { writeAudit } from "../../../core/domain/write-audit";
import type { TScope } from "../../../core/domain/scope";

export async function setAiPaused(db: TDb, scope: TScope, customerId: string, paused: boolean): Promise<{ customerId: string; aiPaused: boolean }> {
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select({ aiPaused: customers.aiPaused })
      .from(customers)
      .where(and(eq(customers.id, customerId), eq(customers.businessId, scope.businessId)));
    if (!before) throw new AppError("NOT_FOUND", "customer not in business", { userMessage: "השיחה לא נמצאה" });
    if (before.aiPaused !== paused) {
      await tx
        .update(customers)
        .set({ aiPaused: paused })
        .where(and(eq(customers.id, customerId), eq(customers.businessId, scope.businessId)));
      await writeAudit(tx, scope, {
        action: paused ? "conversations.takeover" : "conversations.handBack",
        entityType: "customer",
        entityId: customerId,
        before: { aiPaused: before.aiPaused },
        after: { aiPaused: paused },
      });
    }
    return { customerId, aiPaused: paused };
  });
}
