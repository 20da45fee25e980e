/**
 * Staff accounts of a business. Only platform admins may grant the admin
 * role; nobody can deactivate themselves; a deactivated user loses every
 * session at once.
 */
import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { TDb } from "../../../db/client";
import { users, PERMISSIONS, type TPermission } from "../../../db/schema";
import { AppError } from "../../../core/kernel/errors";
import { generatePassword, hashPassword, type TPasswordCost } from "../../../core/kernel/password";
import { revokeUserSessions } from "../auth/sessions";
import { writeAudit } from "../../../core/domain/write-audit";
import { isUniqueViolation } from "../customers/customer-input";
import type { TScope } from "../../../core/domain/scope";

export const ZUser = z.object({
  id: z.string(),
  businessId: z.string().nullable(),
  email: z.string(),
  fullName: z.string(),
  role: z.enum(["admin", "business"]),
  permissions: z.array(z.enum(PERMISSIONS)),
  active: z.boolean(),
  lastLoginAt: z.string().nullable(),
  createdAt: z.string(),
});
export type TUserDto = z.infer<typeof ZUser>;
type TUserRow = typeof users.$inferSelect;

export function toUserDto(u: TUserRow): TUserDto {
  return {
    id: u.id,
    businessId: u.businessId,
    email: u.email,
    fullName: u.fullName,
    role: u.role,
    permissions: u.permissions,
    active: u.active,
    lastLoginAt: u.lastLoginAt?.toISOString() ?? null,
    createdAt: u.createdAt.toISOString(),
  };
}

export interface TActorRole {
  role: "admin" | "business";
}

function assertCanGrant(actor: TActorRole, role: "admin" | "business" | undefined) {
  if (role === "admin" && actor.role !== "admin") {
    throw new AppError("FORBIDDEN", "only admins grant admin", { userMessage: "רק מנהל מערכת יכול להגדיר מנהל מערכת" });
  }
}

async function findUser(db: TDb | Parameters<Parameters<TDb["transaction"]>[0]>[0], scope: TScope, id: string): Promise<TUserRow> {
  const [u] = await db
    .select()
    .from(users)
    .where(and(eq(users.id, id), eq(users.businessId, scope.businessId)))
    .limit(1);
  if (!u) throw new AppError("NOT_FOUND", "user not found", { userMessage: "המשתמש לא נמצא" });
  return u;
}

export async function listUsers(db: TDb, scope: TScope): Promise<TUserDto[]> {
  const rows = await db.select().from(users).where(eq(users.businessId, scope.businessId)).orderBy(asc(users.createdAt));
  return rows.map(toUserDto);
}

/** Invite a user. Without a password a temporary one is generated and returned once. */
export async function createUser(
  db: TDb,
  scope: TScope,
  actor: TActorRole,
  input: { email: string; fullName: string; role?: "admin" | "business"; permissions: TPermission[]; password?: string },
  cost?: TPasswordCost,
): Promise<{ user: TUserDto; temporaryPassword: string | null }> {
  assertCanGrant(actor, input.role);
  const temporaryPassword = input.password ? null : generatePassword();
  const passwordHash = await hashPassword(input.password ?? temporaryPassword!, cost);
  const email = input.email.trim().toLowerCase();
  try {
    const row = await db.transaction(async (tx) => {
      const [dupe] = await tx.select({ id: users.id }).from(users).where(eq(sql`lower(${users.email})`, email)).limit(1);
      if (dupe) throw new AppError("CONFLICT", "email taken", { userMessage: "כבר קיים משתמש עם כתובת האימייל הזו" });
      const [created] = await tx
        .insert(users)
        .values({
          businessId: scope.businessId,
          email,
          fullName: input.fullName,
          role: input.role ?? "business",
          permissions: [...new Set(input.permissions)],
          passwordHash,
        })
        .returning();
      if (!created) throw new AppError("INTERNAL", "insert returned nothing");
      await writeAudit(tx, scope, { action: "users.create", entityType: "user", entityId: created.id, after: created });
      return created;
    });
    return { user: toUserDto(row), temporaryPassword };
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("CONFLICT", "email taken", { userMessage: "כבר קיים משתמש עם כתובת האימייל הזו" });
    throw err;
  }
}

export async function updateUser(
  db: TDb,
  scope: TScope,
  actor: TActorRole,
  id: string,
  patch: { fullName?: string; role?: "admin" | "business"; permissions?: TPermission[] },
): Promise<TUserDto> {
  assertCanGrant(actor, patch.role);
  return db.transaction(async (tx) => {
    const before = await findUser(tx, scope, id);
    if (before.role === "admin" && actor.role !== "admin") {
      throw new AppError("FORBIDDEN", "business user editing admin", { userMessage: "אין לך הרשאה לערוך מנהל מערכת" });
    }
    const set: Partial<typeof users.$inferInsert> = {};
    if (patch.fullName !== undefined) set.fullName = patch.fullName;
    if (patch.role !== undefined) set.role = patch.role;
    if (patch.permissions !== undefined) set.permissions = [...new Set(patch.permissions)];
    if (Object.keys(set).length === 0) return toUserDto(before);
    const [after] = await tx.update(users).set(set).where(and(eq(users.id, id), eq(users.businessId, scope.businessId))).returning();
    if (!after) throw new AppError("NOT_FOUND", "user vanished", { userMessage: "המשתמש לא נמצא" });
    await writeAudit(tx, scope, { action: "users.update", entityType: "user", entityId: id, before, after });
    return toUserDto(after);
  });
}

export async function setUserActive(db: TDb, scope: TScope, actor: TActorRole, id: string, active: boolean): Promise<TUserDto> {
  if (!active && id === scope.userId) {
    throw new AppError("BAD_REQUEST", "self deactivation", { userMessage: "לא ניתן להשבית את המשתמש שלך" });
  }
  const row = await db.transaction(async (tx) => {
    const before = await findUser(tx, scope, id);
    if (before.role === "admin" && actor.role !== "admin") {
      throw new AppError("FORBIDDEN", "business user deactivating admin", { userMessage: "אין לך הרשאה לערוך מנהל מערכת" });
    }
    const [after] = await tx.update(users).set({ active }).where(and(eq(users.id, id), eq(users.businessId, scope.businessId))).returning();
    if (!after) throw new AppError("NOT_FOUND", "user vanished", { userMessage: "המשתמש לא נמצא" });
    await writeAudit(tx, scope, { action: "users.setActive", entityType: "user", entityId: id, before, after });
    return after;
  });
  if (!active) await revokeUserSessions(db, id);
  return toUserDto(row);
}
