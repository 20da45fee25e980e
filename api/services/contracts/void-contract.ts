import { and, eq, ne } from "drizzle-orm";
import { z } from "zod";
import type { TDb } from "../../../db/client";
import { contracts } from "../../../db/schema";
import { AppError } from "../../../core/kernel/errors";
import { writeAudit } from "../../../core/domain/write-audit";
import type { TScope } from "../../../core/domain/scope";
import { parseInput } from "../../lib/parse-input";

export const ZVoidContract = z.object({ id: z.uuid(), reason: z.string().trim().min(2).max(500) });

/**
 * Void a contract (any status but void). The signing link dies with it; a
 * signed PDF and its hash are kept as evidence.
 */
export async function voidContract(db: TDb, scope: TScope, input: z.input<typeof ZVoidContract>): Promise<{ id: string; status: "void" }> {
  const data = parseInput(ZVoidContract, input);
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select({ status: contracts.status })
      .from(contracts)
      .where(and(eq(contracts.id, data.id), eq(contracts.businessId, scope.businessId)))
      .for("update");
    if (!before) throw new AppError("NOT_FOUND", "contract not found", { userMessage: "החוזה לא נמצא" });
    if (before.status === "void") throw new AppError("CONFLICT", "already void", { userMessage: "החוזה כבר בוטל" });
    await tx
      .update(contracts)
      .set({ status: "void", signTokenHash: null, signTokenExpiresAt: null })
      .where(and(eq(contracts.id, data.id), ne(contracts.status, "void")));
    await writeAudit(tx, scope, { action: "contracts.void", entityType: "contract", entityId: data.id, before, after: { status: "void", reason: data.reason } });
    return { id: data.id, status: "void" as const };
  });
}
