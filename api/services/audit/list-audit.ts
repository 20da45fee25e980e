import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { TDb } from "../../../db/client";
import { auditLog, users } from "../../../db/schema";
import { AppError } from "../../../core/kernel/errors";

export const ZAuditEntry = z.object({
  id: z.number(),
  businessId: z.string().nullable(),
  userId: z.string().nullable(),
  userName: z.string().nullable(),
  action: z.string(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
  ip: z.string().nullable(),
  createdAt: z.string(),
});

/** Audit rows newest first; keyset on the bigserial id (cursor = last id). */
export async function listAudit(
  db: TDb,
  f: { businessId?: string; entityType?: string; entityId?: string; action?: string; cursor?: string; limit?: number },
): Promise<{ items: z.infer<typeof ZAuditEntry>[]; nextCursor: string | null }> {
  const limit = f.limit ?? 100;
  const where: SQL[] = [];
  if (f.businessId) where.push(eq(auditLog.businessId, f.businessId));
  if (f.entityType) where.push(eq(auditLog.entityType, f.entityType));
  if (f.entityId) where.push(eq(auditLog.entityId, f.entityId));
  if (f.action) where.push(eq(auditLog.action, f.action));
  if (f.cursor) {
    if (!/^\d{1,18}$/.test(f.cursor)) throw new AppError("BAD_REQUEST", "bad cursor", { userMessage: "סמן הדפדוף אינו תקין, טענו את הרשימה מחדש" });
    where.push(lt(auditLog.id, Number(f.cursor)));
  }
  const rows = await db
    .select({ a: auditLog, userName: users.fullName })
    .from(auditLog)
    .leftJoin(users, eq(users.id, auditLog.userId))
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  return {
    items: page.map(({ a, userName }) => ({
      id: a.id,
      businessId: a.businessId,
      userId: a.userId,
      userName,
      action: a.action,
      entityType: a.entityType,
      entityId: a.entityId,
      before: (a.before as Record<string, unknown> | null) ?? null,
      after: (a.after as Record<string, unknown> | null) ?? null,
      ip: a.ip,
      createdAt: a.createdAt.toISOString(),
    })),
    nextCursor: rows.length > limit && page.length ? String(page[page.length - 1]!.a.id) : null,
  };
}
