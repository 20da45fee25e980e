import { randomBytes, createHash } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { TDb } from "../../../db/client";
import { contracts } from "../../../db/schema";
import { AppError } from "../../../core/kernel/errors";
import { writeAudit } from "../../../core/domain/write-audit";
import type { TScope } from "../../../core/domain/scope";
import { parseInput } from "../../lib/parse-input";

export const ZSendContract = z.object({
  id: z.uuid(),
  /** How long the link stays valid. */
  expiresInHours: z.number().int().min(1).max(24 * 30).default(24 * 7),
});

/** Signing tokens are stored only as their SHA-256, like passwords: a database leak signs nothing. */
export function hashSignToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/**
 * Issue a signing link: a fresh random token (256 bits) whose hash and expiry
 * are stored; status draft → sent. Sending again rotates the token, so only
 * the newest link works. The plain token is returned once, for the link.
 */
export async function sendContract(db: TDb, scope: TScope, input: z.input<typeof ZSendContract>): Promise<{ token: string; path: string; expiresAt: Date }> {
  const data = parseInput(ZSendContract, input);
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + data.expiresInHours * 3600_000);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(contracts)
      .set({ status: "sent", signTokenHash: hashSignToken(token), signTokenExpiresAt: expiresAt })
      .where(and(eq(contracts.id, data.id), eq(contracts.businessId, scope.businessId), inArray(contracts.status, ["draft", "sent"])))
      .returning({ id: contracts.id });
    if (!row) {
      const [exists] = await tx
        .select({ status: contracts.status })
        .from(contracts)
        .where(and(eq(contracts.id, data.id), eq(contracts.businessId, scope.businessId)));
      if (!exists) throw new AppError("NOT_FOUND", "contract not found", { userMessage: "החוזה לא נמצא" });
      throw new AppError("CONFLICT", `contract is ${exists.status}`, { userMessage: "לא ניתן לשלוח חוזה שנחתם או בוטל" });
    }
    await writeAudit(tx, scope, { action: "contracts.send", entityType: "contract", entityId: data.id, after: { status: "sent", expiresAt } });
    return { token, path: `/sign/${token}`, expiresAt };
  });
}
