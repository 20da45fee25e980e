/**
 * Checks that ids a caller links to (customer, property, call, user) belong to
 * the caller's business, so nobody can attach another tenant's rows to theirs.
 * A foreign id is reported exactly like a missing one.
 */
import { and, eq } from "drizzle-orm";
import { callLogs, customers, properties, users } from "../../db/schema";
import { AppError } from "../../core/kernel/errors";
import type { TDbOrTx } from "../../core/domain/write-audit";

export interface TRefs {
  customerId?: string | null;
  propertyId?: string | null;
  callId?: string | null;
  assignedUserId?: string | null;
}

export async function assertRefsInBusiness(db: TDbOrTx, businessId: string, refs: TRefs): Promise<void> {
  const checks: Promise<void>[] = [];
  const check = (found: Promise<unknown[]>, message: string) =>
    checks.push(
      found.then((rows) => {
        if (rows.length === 0) throw new AppError("NOT_FOUND", "reference outside business", { userMessage: message });
      }),
    );
  if (refs.customerId)
    check(db.select({ id: customers.id }).from(customers).where(and(eq(customers.id, refs.customerId), eq(customers.businessId, businessId))).limit(1), "הלקוח לא נמצא");
  if (refs.propertyId)
    check(db.select({ id: properties.id }).from(properties).where(and(eq(properties.id, refs.propertyId), eq(properties.businessId, businessId))).limit(1), "הנכס לא נמצא");
  if (refs.callId)
    check(db.select({ id: callLogs.id }).from(callLogs).where(and(eq(callLogs.id, refs.callId), eq(callLogs.businessId, businessId))).limit(1), "השיחה לא נמצאה");
  if (refs.assignedUserId)
    check(db.select({ id: users.id }).from(users).where(and(eq(users.id, refs.assignedUserId), eq(users.businessId, businessId))).limit(1), "המשתמש שנבחר לא נמצא בעסק");
  const results = await Promise.allSettled(checks);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}
