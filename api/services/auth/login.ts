/**
 * Email + password login. Unknown email, wrong password and deactivated user
 * all get the same Hebrew message (no account enumeration). Every attempt
 * is reserved in the throttle (per account + address, and per address)
 * before the password is verified, so concurrency cannot outrun it.
 */
import { eq, sql } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { users } from "../../../db/schema";
import { AppError } from "../../../core/kernel/errors";
import { hashPassword, PASSWORD_COST, verifyPassword, type TPasswordCost } from "../../../core/kernel/password";
import { writeAudit } from "../../../core/domain/write-audit";
import type { TLoginLimiter } from "./login-limiter";
import { sessionCookie } from "./session-cookie";
import { createSession, purgeExpiredSessions } from "./sessions";

export interface TLoginInput {
  email: string;
  password: string;
  ip: string | null;
  userAgent: string | null;
}

/** One dummy hash per cost, made on first use: an unknown email is verified against it (same work as a real user). */
const dummyHashes = new Map<string, Promise<string>>();
function dummyHash(cost: TPasswordCost): Promise<string> {
  const key = `${cost.memorySize}:${cost.iterations}`;
  let hash = dummyHashes.get(key);
  if (!hash) dummyHashes.set(key, (hash = hashPassword("kesher-dummy-password", cost)));
  return hash;
}

export async function login(
  db: TDb,
  limiter: TLoginLimiter,
  input: TLoginInput,
  out: { resHeaders: Headers; secure: boolean },
  cost: TPasswordCost = PASSWORD_COST,
): Promise<{ userId: string; token: string }> {
  const email = input.email.trim().toLowerCase();
  const wait = await limiter.reserve(email, input.ip);
  if (wait > 0) {
    const minutes = Math.max(1, Math.ceil(wait / 60));
    throw new AppError("TOO_MANY_REQUESTS", `login throttled for ${wait}s`, {
      userMessage: `יותר מדי ניסיונות התחברות. נסו שוב בעוד ${minutes} דקות`,
    });
  }
  const [user] = await db.select().from(users).where(eq(sql`lower(${users.email})`, email)).limit(1);
  // Verify against a dummy hash for unknown users so timing does not reveal which emails exist.
  const ok = user
    ? await verifyPassword(input.password, user.passwordHash)
    : await verifyPassword(input.password, await dummyHash(cost));
  if (!user || !ok || !user.active) {
    throw new AppError("UNAUTHORIZED", "invalid credentials", { userMessage: "האימייל או הסיסמה שגויים" });
  }
  await limiter.succeeded(email, input.ip);
  const { token, expiresAt } = await createSession(db, user.id, { ip: input.ip, userAgent: input.userAgent });
  out.resHeaders.append("set-cookie", sessionCookie(token, expiresAt, out.secure));
  await db.update(users).set({ lastLoginAt: new Date() }).where(eq(users.id, user.id));
  if (user.businessId) {
    await writeAudit(db, { businessId: user.businessId, userId: user.id, ip: input.ip }, { action: "auth.login", entityType: "user", entityId: user.id });
  }
  void purgeExpiredSessions(db).catch(() => {});
  return { userId: user.id, token };
}
