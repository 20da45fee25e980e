import { and, eq, max, sql } from "drizzle-orm";
import { z } from "zod";
import type { TDb } from "../../../db/client";
import { customers, invoices } from "../../../db/schema";
import { AppError } from "../../errors";
import { writeAudit, type TDbOrTx } from "../audit/write-audit";
import type { TScope } from "../scope";
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

export const ZInvoiceLine = z.object({
  description: z.string().trim().min(1).max(500),
  quantity: z.number().positive().max(1_000_000),
  unitPriceAgorot: z.number().int().min(0).max(10_000_000_000),
});

export const ZCreateInvoice = z.object({
  type: z.enum(["tax_invoice", "receipt", "tax_invoice_receipt"]),
  customerId: z.uuid().optional(),
  customerName: z.string().trim().min(1).max(200).optional(),
  /** ח.פ. / ע.מ. of a business customer (B2B). */
  customerTaxId: z
    .string()
    .trim()
    .regex(/^\d{8,9}$/)
    .optional(),
  lines: z.array(ZInvoiceLine).min(1).max(100),
  issueDate: z.iso.date().optional(),
  allocationNumber: z.string().trim().optional(),
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
  if (data.customerId) {
    const [c] = await db
      .select({ fullName: customers.fullName })
      .from(customers)
      .where(and(eq(customers.id, data.customerId), eq(customers.businessId, scope.businessId)));
    if (!c) throw new AppError("NOT_FOUND", "customer not found", { userMessage: "הלקוח לא נמצא" });
    customerName ??= c.fullName ?? undefined;
  }
  if (!customerName) throw new AppError("BAD_REQUEST", "customer name required", { userMessage: "יש לציין את שם הלקוח" });

  const vatRateBp = data.type === "receipt" ? 0 : valueOn(rules.vat, issueDate);
  const totals = computeTotals(data.lines, vatRateBp);
  const allocationNumber = data.allocationNumber || null;
  if (allocationRequired({ type: data.type, customerTaxId: data.customerTaxId, subtotalAgorot: totals.subtotalAgorot, issueDate }, rules)) {
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
        lines: data.lines,
        ...totals,
        allocationNumber,
      })
      .returning();
    if (!row) throw new AppError("INTERNAL", "invoice insert returned nothing");
    await writeAudit(tx, scope, {
      action: "invoices.create",
      entityType: "invoice",
      entityId: row.id,
      after: { type: row.type, number: row.number, totalAgorot: row.totalAgorot, customerName },
    });
    return row;
  });
}
