import { and, eq, sum } from "drizzle-orm";
import { z } from "zod";
import type { TDb } from "../../../db/client";
import { invoices } from "../../../db/schema";
import { AppError } from "../../errors";
import { writeAudit } from "../audit/write-audit";
import type { TScope } from "../scope";
import { nextInvoiceNumber, ZInvoiceLine, type TInvoiceRow } from "./create-invoice";
import { computeTotals, israelToday } from "./invoice-rules";
import { parseInput } from "../../lib/parse-input";

export const ZCreateCreditNote = z.object({
  invoiceId: z.uuid(),
  reason: z.string().trim().min(2).max(500),
  /** Partial credit; omit to credit the whole invoice (which cancels it). */
  lines: z.array(ZInvoiceLine).min(1).max(100).optional(),
});
export type TCreateCreditNote = z.infer<typeof ZCreateCreditNote>;

/**
 * Cancel or reduce a tax invoice the only lawful way: a credit note (חשבונית
 * זיכוי) in its own numbered series, at the original invoice's VAT rate.
 * Invoices are never deleted or edited. Once the credits cover the whole
 * invoice its status becomes "cancelled".
 */
export async function createCreditNote(db: TDb, scope: TScope, input: TCreateCreditNote): Promise<{ creditNote: TInvoiceRow; invoice: TInvoiceRow }> {
  const data = parseInput(ZCreateCreditNote, input);
  return db.transaction(async (tx) => {
    const [original] = await tx
      .select()
      .from(invoices)
      .where(and(eq(invoices.id, data.invoiceId), eq(invoices.businessId, scope.businessId)))
      .for("update");
    if (!original) throw new AppError("NOT_FOUND", "invoice not found", { userMessage: "החשבונית לא נמצאה" });
    if (original.type === "credit_note" || original.type === "receipt") {
      throw new AppError("UNPROCESSABLE", "only tax invoices can be credited", { userMessage: "ניתן לזכות רק חשבונית מס" });
    }
    if (original.status === "cancelled") throw new AppError("CONFLICT", "invoice already cancelled", { userMessage: "החשבונית כבר בוטלה" });

    const lines = data.lines ?? original.lines.map((l) => ({ ...l, description: `זיכוי: ${l.description}` }));
    const totals = computeTotals(lines, original.vatRateBp);
    const [credited] = await tx
      .select({ total: sum(invoices.totalAgorot) })
      .from(invoices)
      .where(and(eq(invoices.businessId, scope.businessId), eq(invoices.creditForInvoiceId, original.id)));
    const already = Number(credited?.total ?? 0);
    if (already + totals.totalAgorot > original.totalAgorot) {
      throw new AppError("UNPROCESSABLE", "credit exceeds invoice", { userMessage: "סכום הזיכוי עולה על יתרת החשבונית" });
    }

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
        lines: [...lines, { description: `סיבה: ${data.reason}`, quantity: 1, unitPriceAgorot: 0 }],
        ...totals,
        creditForInvoiceId: original.id,
      })
      .returning();
    if (!creditNote) throw new AppError("INTERNAL", "credit note insert returned nothing");

    const fullyCredited = already + totals.totalAgorot === original.totalAgorot;
    const [invoice] = fullyCredited
      ? await tx.update(invoices).set({ status: "cancelled" }).where(eq(invoices.id, original.id)).returning()
      : [original];
    await writeAudit(tx, scope, {
      action: "invoices.credit",
      entityType: "invoice",
      entityId: original.id,
      before: { status: original.status },
      after: { status: invoice!.status, creditNoteId: creditNote.id, creditNoteNumber: number, reason: data.reason },
    });
    return { creditNote, invoice: invoice! };
  });
}
