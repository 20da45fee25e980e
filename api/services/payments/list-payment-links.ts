import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { TDb } from "../../../db/client";
import { customers, paymentLinks } from "../../../db/schema";
import { writeAudit } from "../../../core/domain/write-audit";
import type { TScope } from "../../../core/domain/scope";
import { parseInput } from "../../lib/parse-input";

export const ZListPaymentLinks = z.object({
  status: z.enum(["created", "paid", "failed", "expired", "cancelled"]).optional(),
  invoiceId: z.uuid().optional(),
  customerId: z.uuid().optional(),
  limit: z.number().int().min(1).max(500).default(100),
});

/** Links still "created" after their expiry become "expired" (run before listing, and periodically). */
export async function expirePaymentLinks(db: TDb, scope: TScope, now = new Date()): Promise<number> {
  const rows = await db
    .update(paymentLinks)
    .set({ status: "expired" })
    .where(and(eq(paymentLinks.businessId, scope.businessId), eq(paymentLinks.status, "created"), lt(paymentLinks.expiresAt, now)))
    .returning({ id: paymentLinks.id });
  for (const r of rows) await writeAudit(db, { ...scope, userId: null }, { action: "payments.expired", entityType: "payment_link", entityId: r.id, after: { status: "expired" } });
  return rows.length;
}

export async function listPaymentLinks(db: TDb, scope: TScope, input: z.input<typeof ZListPaymentLinks> = {}) {
  const q = parseInput(ZListPaymentLinks, input);
  await expirePaymentLinks(db, scope);
  const where: SQL[] = [eq(paymentLinks.businessId, scope.businessId)];
  if (q.status) where.push(eq(paymentLinks.status, q.status));
  if (q.invoiceId) where.push(eq(paymentLinks.invoiceId, q.invoiceId));
  if (q.customerId) where.push(eq(paymentLinks.customerId, q.customerId));
  return db
    .select({
      id: paymentLinks.id,
      provider: paymentLinks.provider,
      providerRef: paymentLinks.providerRef,
      url: paymentLinks.url,
      amountAgorot: paymentLinks.amountAgorot,
      currency: paymentLinks.currency,
      description: paymentLinks.description,
      status: paymentLinks.status,
      invoiceId: paymentLinks.invoiceId,
      customerId: paymentLinks.customerId,
      customerName: customers.fullName,
      paidAt: paymentLinks.paidAt,
      expiresAt: paymentLinks.expiresAt,
      createdAt: paymentLinks.createdAt,
    })
    .from(paymentLinks)
    .leftJoin(customers, eq(customers.id, paymentLinks.customerId))
    .where(and(...where))
    .orderBy(desc(paymentLinks.createdAt))
    .limit(q.limit);
}
