import { and, eq, sum } from "drizzle-orm";
import { z } from "zod";
import type { TDb } from "../../../db/client";
import { invoices } from "../../../db/schema";
import { AppError } from "../../../core/kernel/errors";
import { writeAudit, type TDbOrTx } from "../../../core/domain/write-audit";
import type { TScope } from "../../../core/domain/scope";
import { nextInvoiceNumber, type TInvoiceRow } from "./create-invoice";
import { computeTotals, INVOICE_TYPE_LABEL, israelToday, type TTotals } from "./invoice-rules";
import { parseInput } from "../../lib/parse-input";

export const ZCreditNoteAmount = z.object({
  invoiceId: z.uuid(),
  /** Partial credit: the amount before VAT, in agorot. Omit to credit the whole remaining invoice. */
  amountAgorot: z.number().int().positive("סכום הזיכוי חייב להיות חיובי").max(10_000_000_000).optional(),
});
export const ZCreateCreditNote = ZCreditNoteAmount.extend({
  reason: z.string().trim().min(2, "יש לציין סיבה לזיכוי").max(500),
});
export type TCreateCreditNote = z.infer<typeof ZCreateCreditNote>;

export interface TCreditPreview extends TTotals {
  invoiceId: string;
  invoiceLabel: string;
  /** Credited before this one (incl. VAT). */
  alreadyCreditedAgorot: number;
  /** What stays open on the invoice after this credit (incl. VAT). */
  remainingAfterAgorot: number;
  full: boolean;
  statusAfter: "credited" | "partially_credited";
}

const creditable = new Set(["tax_invoice", "tax_invoice_receipt"]);

async function plan(tx: TDbOrTx, scope: TScope, input: z.infer<typeof ZCreditNoteAmount>, lock: boolean) {
  const q = tx
    .select()
    .from(invoices)
    .where(and(eq(invoices.id, input.invoiceId), eq(invoices.businessId, scope.businessId)));
  const [original] = lock ? await q.for("update") : await q;
  if (!original) throw new AppError("NOT_FOUND", "invoice not found", { userMessage: "החשבונית לא נמצאה" });
  if (!creditable.has(original.type)) throw new AppError("UNPROCESSABLE", "only tax invoices can be credited", { userMessage: "ניתן לזכות רק חשבונית מס" });
  if (original.status === "cancelled" || original.status === "credited") throw new AppError("CONFLICT", "invoice already credited", { userMessage: "החשבונית כבר זוכתה במלואה" });

  const [credited] = await tx
    .select({ subtotal: sum(invoices.subtotalAgorot), total: sum(invoices.totalAgorot) })
    .from(invoices)
    .where(and(eq(invoices.businessId, scope.businessId), eq(invoices.creditForInvoiceId, original.id)));
  const alreadySubtotal = Number(credited?.subtotal ?? 0);
  const already = Number(credited?.total ?? 0);
  const remainingSubtotal = original.subtotalAgorot - alreadySubtotal;
  const amount = input.amountAgorot ?? remainingSubtotal;
  if (amount > remainingSubtotal) {
    throw new AppError("UNPROCESSABLE", "credit exceeds invoice", { userMessage: "סכום הזיכוי עולה על יתרת החשבונית" });
  }
  const full = amount === remainingSubtotal;
  const label = `${INVOICE_TYPE_LABEL[original.type]} ${original.number}`;
  // Crediting what is left in full reuses the original lines; a partial credit is one line.
  const lines =
    full && alreadySubtotal === 0
      ? original.lines.map((l) => ({ ...l, description: `זיכוי: ${l.description}` }))
      : [{ description: `זיכוי ${full ? "יתרת" : "חלקי ל"}${label}`, quantity: 1, unitPriceAgorot: amount }];
  const totals = computeTotals(lines, original.vatRateBp);
  // The last credit closes the invoice exactly, whatever rounding the earlier ones had.
  if (full) totals.totalAgorot = Math.max(totals.subtotalAgorot, original.totalAgorot - already);
  if (full) totals.vatAgorot = totals.totalAgorot - totals.subtotalAgorot;
  const preview: TCreditPreview = {
    invoiceId: original.id,
    invoiceLabel: label,
    ...totals,
    alreadyCreditedAgorot: already,
    remainingAfterAgorot: original.totalAgorot - already - totals.totalAgorot,
    full,
    statusAfter: full ? "credited" : "partially_credited",
  };
  return { original, lines, preview };
}

/** What a credit note would do, for the confirmation step of the dialog. Writes nothing. */
export async function previewCreditNote(db: TDb, scope: TScope, input: z.input<typeof ZCreditNoteAmount>): Promise<TCreditPreview> {
  return (await plan(db, scope, parseInput(ZCreditNoteAmount, input), false)).preview;
}

/**
 * Cancel or reduce a tax invoice the only lawful way: a credit note (חשבונית
 * זיכוי) in its own numbered series, at the original invoice's VAT rate.
 * Invoices are never deleted or edited; the invoice reads "זוכתה" once the
 * credits cover it, "זוכתה חלקית" before. A credit note is never awaiting
 * payment (status "issued", printed with negative amounts).
 */
export async function createCreditNote(db: TDb, scope: TScope, input: z.input<typeof ZCreateCreditNote>): Promise<{ creditNote: TInvoiceRow; invoice: TInvoiceRow }> {
  const data = parseInput(ZCreateCreditNote, input);
  return db.transaction(async (tx) => {
    const { original, lines, preview } = await plan(tx, scope, data, true);
    const number = await nextInvoiceNumber(tx, scope.businessId, "credit_note");
    const [creditNote] = await tx
      .insert(invoices)
      .values({
        businessId: scope.businessId,
        customerId: original.customerId,
        type: "credit_note",
        number,
        status: "issued",
        issueDate: israelToday(),
        customerName: original.customerName,
        customerTaxId: original.customerTaxId,
        customerIdKind: original.customerIdKind,
        customerAddress: original.customerAddress,
        customerPhone: original.customerPhone,
        lines,
        subtotalAgorot: preview.subtotalAgorot,
        vatRateBp: preview.vatRateBp,
        vatAgorot: preview.vatAgorot,
        totalAgorot: preview.totalAgorot,
        creditForInvoiceId: original.id,
        note: data.reason,
      })
      .returning();
    if (!creditNote) throw new AppError("INTERNAL", "credit note insert returned nothing");
    const [invoice] = await tx.update(invoices).set({ status: preview.statusAfter }).where(eq(invoices.id, original.id)).returning();
    await writeAudit(tx, scope, {
      action: "invoices.credit",
      entityType: "invoice",
      entityId: original.id,
      before: { status: original.status },
      after: { status: preview.statusAfter, creditNoteId: creditNote.id, creditNoteNumber: number, totalAgorot: preview.totalAgorot, reason: data.reason },
    });
    return { creditNote, invoice: invoice! };
  });
}
