import { and, eq, max, sql } from "drizzle-orm";
import { z } from "zod";
import type { TDb } from "../../../db/client";
import { customers, invoices } from "../../../db/schema";
import { AppError } from "../../../core/kernel/errors";
import { writeAudit, type TDbOrTx } from "../../../core/domain/write-audit";
import type { TScope } from "../../../core/domain/scope";
import {
  ALLOCATION_NUMBER_RE,
  allocationRequired,
  computeTotals,
  DEFAULT_INVOICE_RULES,
  formatShekels,
  israelToday,
  valueOn,
  type TInvoiceRules,
} from "./invoice-rules";
import { parseInput } from "../../lib/parse-input";
import { isValidIsraeliId } from "../contracts/contract-templates";
import { markInvoicePaid } from "./mark-invoice-paid";

export const ZInvoiceLine = z.object({
  description: z.string().trim().min(1).max(500),
  quantity: z.number().positive().max(1_000_000),
  unitPriceAgorot: z.number().int().min(0).max(10_000_000_000),
});

export const ZCreateInvoice = z.object({
  type: z.enum(["tax_invoice", "receipt", "tax_invoice_receipt"]),
  /** The customer picked from the CRM; name and phone are copied onto the document unless given. */
  customerId: z.uuid().optional(),
  customerName: z.string().trim().min(1).max(200).optional(),
  /** ת.ז. of a private customer ("id") or ח.פ./ע.מ. of a business ("company", B2B). */
  customerTaxId: z
    .string()
    .trim()
    .regex(/^\d{8,9}$/, "מספר ת.ז. / ח.פ. חייב להכיל 8–9 ספרות")
    .optional(),
  customerIdKind: z.enum(["id", "company"]).optional(),
  customerAddress: z.string().trim().max(300).optional(),
  customerPhone: z.string().trim().max(30).optional(),
  lines: z.array(ZInvoiceLine).min(1).max(100),
  issueDate: z.iso.date().optional(),
  allocationNumber: z.string().trim().optional(),
  /** A receipt for an issued tax invoice: marks that invoice paid and links to it. */
  forInvoiceId: z.uuid().optional(),
  note: z.string().trim().max(500).optional(),
});
export type TCreateInvoice = z.infer<typeof ZCreateInvoice>;
export type TInvoiceRow = typeof invoices.$inferSelect;

/**
 * Take the next number of a series (business × document type) inside the
 * caller's transaction. A transaction-scoped advisory lock serialises
 * issuers of the same series, so numbers are consecutive with no gaps and no
 * duplicates; a rolled-back transaction releases its number with the lock.
 */
export async function nextInvoiceNumber(tx: TDbOrTx, businessId: string, type: TInvoiceRow["type"]): Promise<number> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`invoice:${businessId}:${type}`}, 0))`);
  const [row] = await tx
    .select({ last: max(invoices.number) })
    .from(invoices)
    .where(and(eq(invoices.businessId, businessId), eq(invoices.type, type)));
  return (row?.last ?? 0) + 1;
}

/**
 * Issue a tax invoice, receipt or tax invoice/receipt. Amounts are integer
 * agorot; VAT comes from the rate in force on the issue date (receipts carry
 * none: they acknowledge a payment). A B2B tax invoice at or above the
 * threshold must carry an allocation number.
 */
export async function createInvoice(db: TDb, scope: TScope, input: TCreateInvoice, rules: TInvoiceRules = DEFAULT_INVOICE_RULES): Promise<TInvoiceRow> {
  const data = parseInput(ZCreateInvoice, input);
  const issueDate = data.issueDate ?? israelToday();
  let customerName = data.customerName;
  let customerPhone = data.customerPhone || null;
  if (data.customerId) {
    const [c] = await db
      .select({ fullName: customers.fullName, phone: customers.phone })
      .from(customers)
      .where(and(eq(customers.id, data.customerId), eq(customers.businessId, scope.businessId)));
    if (!c) throw new AppError("NOT_FOUND", "customer not found", { userMessage: "הלקוח לא נמצא" });
    customerName ??= c.fullName ?? undefined;
    customerPhone ??= c.phone;
  }
  if (!customerName) throw new AppError("BAD_REQUEST", "customer name required", { userMessage: "יש לציין את שם הלקוח" });
  const customerIdKind = data.customerTaxId ? (data.customerIdKind ?? "company") : null;
  if (customerIdKind === "id" && !isValidIsraeliId(data.customerTaxId!)) {
    throw new AppError("BAD_REQUEST", "bad id number", { userMessage: "מספר תעודת הזהות אינו תקין" });
  }
  if (data.forInvoiceId && data.type !== "receipt") throw new AppError("BAD_REQUEST", "forInvoiceId only on receipts", { userMessage: "רק קבלה יכולה להתייחס לחשבונית" });

  const vatRateBp = data.type === "receipt" ? 0 : valueOn(rules.vat, issueDate);
  const totals = computeTotals(data.lines, vatRateBp);
  const allocationNumber = data.allocationNumber || null;
  if (allocationRequired({ type: data.type, customerTaxId: customerIdKind === "company" ? data.customerTaxId : null, subtotalAgorot: totals.subtotalAgorot, issueDate }, rules)) {
    if (!allocationNumber) {
      const threshold = formatShekels(valueOn(rules.allocationThreshold, issueDate));
      throw new AppError("UNPROCESSABLE", "allocation number required", {
        userMessage: `נדרש מספר הקצאה מרשות המסים לחשבונית עסקית מ-${threshold} לפני מע״מ`,
      });
    }
  }
  if (allocationNumber && !ALLOCATION_NUMBER_RE.test(allocationNumber)) {
    throw new AppError("BAD_REQUEST", "bad allocation number", { userMessage: "מספר הקצאה חייב להכיל 9 ספרות" });
  }

  return db.transaction(async (tx) => {
    if (data.forInvoiceId) {
      const [target] = await tx
        .select({ type: invoices.type })
        .from(invoices)
        .where(and(eq(invoices.id, data.forInvoiceId), eq(invoices.businessId, scope.businessId)));
      if (!target || target.type !== "tax_invoice") throw new AppError("NOT_FOUND", "invoice to receipt not found", { userMessage: "החשבונית לקבלה לא נמצאה" });
    }
    const number = await nextInvoiceNumber(tx, scope.businessId, data.type);
    const [row] = await tx
      .insert(invoices)
      .values({
        businessId: scope.businessId,
        customerId: data.customerId ?? null,
        type: data.type,
        number,
        status: data.type === "tax_invoice" ? "issued" : "paid",
        issueDate,
        customerName,
        customerTaxId: data.customerTaxId ?? null,
        customerIdKind,
        customerAddress: data.customerAddress || null,
        customerPhone,
        lines: data.lines,
        ...totals,
        allocationNumber,
        forInvoiceId: data.forInvoiceId ?? null,
        note: data.note || null,
      })
      .returning();
    if (!row) throw new AppError("INTERNAL", "invoice insert returned nothing");
    if (data.forInvoiceId) await markInvoicePaid(tx, scope, data.forInvoiceId, `receipt:${row.number}`);
    await writeAudit(tx, scope, {
      action: "invoices.create",
      entityType: "invoice",
      entityId: row.id,
      after: { type: row.type, number: row.number, totalAgorot: row.totalAgorot, customerName },
    });
    return row;
  });
}
