import { and, eq } from "drizzle-orm";
import { customers, invoices, paymentLinks } from "../../../db/schema";
import { AppError } from "../../../core/kernel/errors";
import { formatAgorot } from "../../../core/kernel/format";
import { writeAudit, type TDbOrTx } from "../../../core/domain/write-audit";
import type { TScope } from "../../../core/domain/scope";
import type { TInvoiceRow } from "./create-invoice";
import { INVOICE_TYPE_LABEL, israelToday } from "./invoice-rules";
import { nextInvoiceNumber } from "./create-invoice";

type TLink = typeof paymentLinks.$inferSelect;

const PROVIDER_WORDS: Record<TLink["provider"], string> = { tranzila: "כרטיס אשראי (Tranzila)", paypal: "PayPal" };

/**
 * A payment received through a payment link issues its receipt (קבלה) in
 * the same transaction that records the payment: numbered in the receipt
 * series, the customer copied from the invoice it pays (or the CRM), linked
 * to that invoice and to the link. At most one receipt per link (unique
 * index), so a replayed notification never issues a second one. A link for
 * a tax invoice/receipt needs none: that document is already the receipt.
 */
export async function issuePaymentReceipt(tx: TDbOrTx, scope: TScope, link: TLink, now: Date = new Date()): Promise<TInvoiceRow | null> {
  const [existing] = await tx.select({ id: invoices.id }).from(invoices).where(eq(invoices.paymentLinkId, link.id));
  if (existing) return null;
  let invoice: TInvoiceRow | undefined;
  if (link.invoiceId) {
    [invoice] = await tx
      .select()
      .from(invoices)
      .where(and(eq(invoices.id, link.invoiceId), eq(invoices.businessId, scope.businessId)));
    if (invoice && invoice.type !== "tax_invoice") return null;
  }
  let customerName = invoice?.customerName;
  let customerPhone = invoice?.customerPhone ?? null;
  const customerId = invoice?.customerId ?? link.customerId;
  if (!invoice && customerId) {
    const [c] = await tx
      .select({ fullName: customers.fullName, phone: customers.phone })
      .from(customers)
      .where(and(eq(customers.id, customerId), eq(customers.businessId, scope.businessId)));
    customerName = c?.fullName ?? undefined;
    customerPhone = c?.phone ?? null;
  }

  const number = await nextInvoiceNumber(tx, scope.businessId, "receipt");
  const description = invoice ? `תשלום עבור ${INVOICE_TYPE_LABEL[invoice.type]} ${invoice.number}` : link.description || "תשלום בקישור תשלום";
  const [receipt] = await tx
    .insert(invoices)
    .values({
      businessId: scope.businessId,
      customerId: customerId ?? null,
      type: "receipt",
      number,
      status: "paid",
      issueDate: israelToday(now),
      customerName: customerName || "לקוח",
      customerTaxId: invoice?.customerTaxId ?? null,
      customerIdKind: invoice?.customerIdKind ?? null,
      customerAddress: invoice?.customerAddress ?? null,
      customerPhone,
      lines: [{ description, quantity: 1, unitPriceAgorot: link.amountAgorot }],
      subtotalAgorot: link.amountAgorot,
      vatRateBp: 0,
      vatAgorot: 0,
      totalAgorot: link.amountAgorot,
      forInvoiceId: invoice?.id ?? null,
      paymentLinkId: link.id,
      note: `${PROVIDER_WORDS[link.provider]} · אסמכתה ${link.providerRef ?? link.id} · ${formatAgorot(link.amountAgorot)}`,
    })
    .returning();
  if (!receipt) throw new AppError("INTERNAL", "receipt insert returned nothing");
  await writeAudit(tx, scope, {
    action: "invoices.receipt_from_payment",
    entityType: "invoice",
    entityId: receipt.id,
    after: { number, paymentLinkId: link.id, forInvoiceId: invoice?.id ?? null, totalAgorot: link.amountAgorot },
  });
  return receipt;
}
