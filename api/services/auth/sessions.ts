/**
 * Server-side sessions. The cookie holds a random 256-bit token; the database
 * keeps only its SHA-256, so a leaked sessions table cannot be replayed.
 * Sessions slide: a request in the second half of the lifetime extends it.
 */
import { createHash, randomBytes } from "node:crypto";
import { and, eq, gt, lt } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { businesses, sessions, users, type TPermission } from "../../../db/schema";
import { clearedSessionCookie, sessionCookie } from "./session-cookie";

/** Idle lifetime of a session. */
export const SESSION_TTL_MS = 14 * 24 * 3600 * 1000;

export interface TSessionUser {
  sessionId: string;
  expiresAt: Date;
  user: {
    id: string;
    email: string;
    fullName: string;
    role: "admin" | "business";
    permissions: TPermission[];
    businessId: string | null;
  };
  business: { id: string; name: string } | null;
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Create a session row and return the cookie token (shown to the client only). */
export async function createSession(
  db: TDb,
  userId: string,
  meta: { ip: string | null; userAgent: string | null },
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await db.insert(sessions).values({
    id: hashToken(token),
    userId,
    expiresAt,
    ip: meta.ip && isIp(meta.ip) ? meta.ip : null,
    userAgent: meta.userAgent?.slice(0, 500) ?? null,
  });
  return { token, expiresAt };
}

function isIp(v: string): boolean {
  return /^[\d.]+$/.test(v) || /^[0-9a-f:.]+$/i.test(v);
}

/**
 * The user behind a session token, or null when unknown, expired or the user
 * is deactivated. Renews the expiry (and the cookie) past half-life.
 */
export async function validateSession(
  db: TDb,
  token: string,
  opts: { resHeaders?: Headers; secure: boolean },
): Promise<TSessionUser | null> {
  const id = hashToken(token);
  const now = new Date();
  const [row] = await db
    .select({
      expiresAt: sessions.expiresAt,
      user: users,
      businessName: businesses.name,
      businessActive: businesses.active,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(businesses, eq(businesses.id, users.businessId))
    .where(and(eq(sessions.id, id), gt(sessions.expiresAt, now)))
    .limit(1);
  if (!row || !row.user.active) return null;
  // A business user of a deactivated business is logged out; platform admins are not.
  if (row.user.role !== "admin" && row.user.businessId && row.businessActive === false) return null;

  let expiresAt = row.expiresAt;
  if (expiresAt.getTime() - now.getTime() < SESSION_TTL_MS / 2) {
    expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
    await db.update(sessions).set({ expiresAt }).where(eq(sessions.id, id));
    opts.resHeaders?.append("set-cookie", sessionCookie(token, expiresAt, opts.secure));
  }
  const u = row.user;
  return {
    sessionId: id,
    expiresAt,
    user: {
      id: u.id,
      email: u.email,
      fullName: u.fullName,
      role: u.role,
      permissions: u.permissions,
      businessId: u.businessId,
    },
    business: u.businessId && row.businessName ? { id: u.businessId, name: row.businessName } : null,
  };
}

/** Revoke one session (logout) and clear the cookie. */
export async function revokeSession(db: TDb, sessionId: string, opts: { resHeaders?: Headers; secure: boolean }): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
  opts.resHeaders?.append("set-cookie", clearedSessionCookie(opts.secure));
}

/** Revoke every session of a user, optionally keeping one (password change, deactivation). */
export async function revokeUserSessions(db: TDb, userId: string, keepSessionId?: string): Promise<void> {
  const rows = await db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, userId));
  for (const r of rows) if (r.id !== keepSessionId) await db.delete(sessions).where(eq(sessions.id, r.id));
}

/** Drop expired rows; called opportunistically on login. */
export async function purgeExpiredSessions(db: TDb): Promise<void> {
  await db.delete(sessions).where(lt(sessions.expiresAt, new Date()));
}
