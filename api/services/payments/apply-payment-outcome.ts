import { eq } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { paymentLinks } from "../../../db/schema";
import { writeAudit } from "../../../core/domain/write-audit";
import { issuePaymentReceipt } from "../invoices/issue-payment-receipt";
import { markInvoicePaid } from "../invoices/mark-invoice-paid";

export type TPaymentOutcome = "paid" | "failed" | "expired";
export type TPaymentLinkRow = typeof paymentLinks.$inferSelect;

/** Which moves are allowed. A late payment still counts after expiry or a failed try; paid is final. */
const ALLOWED: Record<TPaymentLinkRow["status"], TPaymentOutcome[]> = {
  created: ["paid", "failed", "expired"],
  failed: ["paid"],
  expired: ["paid"],
  paid: [],
  cancelled: [],
};

/**
 * Apply a verified provider outcome to a payment link, idempotently: the row
 * is locked, a repeated or out-of-order notification changes nothing, and a
 * payment marks the linked invoice paid and issues its receipt in the same
 * transaction.
 */
export async function applyPaymentOutcome(
  db: TDb,
  input: { linkId: string; outcome: TPaymentOutcome; raw: unknown; source: string; ip?: string | null },
): Promise<{ changed: boolean; status: TPaymentLinkRow["status"]; invoiceMarkedPaid: boolean; receiptId: string | null; link: TPaymentLinkRow }> {
  return db.transaction(async (tx) => {
    const [link] = await tx.select().from(paymentLinks).where(eq(paymentLinks.id, input.linkId)).for("update");
    if (!link) throw new Error(`payment link ${input.linkId} vanished`);
    if (!ALLOWED[link.status].includes(input.outcome)) return { changed: false, status: link.status, invoiceMarkedPaid: false, receiptId: null, link };
    const paidAt = input.outcome === "paid" ? new Date() : null;
    const [updated] = await tx
      .update(paymentLinks)
      .set({ status: input.outcome, paidAt, raw: input.raw as object })
      .where(eq(paymentLinks.id, link.id))
      .returning();
    const scope = { businessId: link.businessId, userId: null, ip: input.ip ?? null };
    let invoiceMarkedPaid = false;
    if (input.outcome === "paid" && link.invoiceId) invoiceMarkedPaid = await markInvoicePaid(tx, scope, link.invoiceId, `${link.provider}:${link.providerRef}`);
    // The receipt is issued with the payment (same transaction): no paid link without its receipt.
    const receipt = input.outcome === "paid" ? await issuePaymentReceipt(tx, scope, updated!, paidAt!) : null;
    await writeAudit(tx, scope, {
      action: `payments.${input.outcome}`,
      entityType: "payment_link",
      entityId: link.id,
      before: { status: link.status },
      after: { status: input.outcome, source: input.source },
    });
    return { changed: true, status: input.outcome, invoiceMarkedPaid, receiptId: receipt?.id ?? null, link: updated! };
  });
}
