import { and, eq, inArray } from "drizzle-orm";
import { invoices } from "../../../db/schema";
import { writeAudit, type TDbOrTx } from "../../../core/domain/write-audit";
import type { TScope } from "../../../core/domain/scope";

/**
 * Mark an invoice paid (from a verified payment notification). Only an
 * issued, partially paid or partially credited invoice changes; a credited
 * (or legacy cancelled) one stays so.
 * Returns whether the status changed, so a replayed webhook is a no-op.
 */
export async function markInvoicePaid(tx: TDbOrTx, scope: TScope, invoiceId: string, paymentRef: string): Promise<boolean> {
  const changed = await tx
    .update(invoices)
    .set({ status: "paid" })
    .where(and(eq(invoices.id, invoiceId), eq(invoices.businessId, scope.businessId), inArray(invoices.status, ["issued", "partially_paid", "partially_credited"])))
    .returning({ id: invoices.id });
  if (changed.length === 0) return false;
  await writeAudit(tx, scope, { action: "invoices.paid", entityType: "invoice", entityId: invoiceId, before: { status: "issued" }, after: { status: "paid", paymentRef } });
  return true;
}
