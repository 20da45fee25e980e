import { eq } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { users } from "../../../db/schema";
import { AppError } from "../../../core/kernel/errors";
import { hashPassword, verifyPassword, type TPasswordCost } from "../../../core/kernel/password";
import { writeAudit } from "../../../core/domain/write-audit";
import { revokeUserSessions } from "./sessions";

/**
 * Change the caller's password after checking the current one. Every other
 * session of the user is revoked (a stolen cookie stops working).
 */
export async function changePassword(
  db: TDb,
  actor: { userId: string; sessionId: string; businessId: string | null; ip: string | null },
  input: { currentPassword: string; newPassword: string },
  cost?: TPasswordCost,
): Promise<void> {
  const [user] = await db.select().from(users).where(eq(users.id, actor.userId)).limit(1);
  if (!user) throw new AppError("UNAUTHORIZED");
  if (!(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw new AppError("BAD_REQUEST", "wrong current password", { userMessage: "הסיסמה הנוכחית שגויה" });
  }
  if (input.currentPassword === input.newPassword) {
    throw new AppError("BAD_REQUEST", "same password", { userMessage: "הסיסמה החדשה זהה לנוכחית" });
  }
  await db.update(users).set({ passwordHash: await hashPassword(input.newPassword, cost) }).where(eq(users.id, user.id));
  await revokeUserSessions(db, user.id, actor.sessionId);
  if (user.businessId) {
    await writeAudit(db, { businessId: user.businessId, userId: user.id, ip: actor.ip }, {
      action: "auth.changePassword",
      entityType: "user",
      entityId: user.id,
    });
  }
}
