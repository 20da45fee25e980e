import { and, asc, desc, eq, gte, ilike, inArray, like, lte, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { TDb } from "../../../db/client";
import { customers, invoices } from "../../../db/schema";
import { AppError } from "../../../core/kernel/errors";
import type { TScope } from "../../../core/domain/scope";
import type { TInvoiceRow } from "./create-invoice";
import { parseInput } from "../../lib/parse-input";

export const ZListInvoices = z.object({
  type: z.enum(["tax_invoice", "receipt", "tax_invoice_receipt", "credit_note"]).optional(),
  status: z.enum(["issued", "paid", "partially_paid", "cancelled", "credited", "partially_credited"]).optional(),
  customerId: z.uuid().optional(),
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  /** The customer's name on the document, or its number. */
  search: z.string().trim().max(100).optional(),
  sort: z.enum(["newest", "oldest", "number", "number_desc", "total", "total_desc", "customer", "customer_desc"]).default("newest"),
  limit: z.number().int().min(1).max(500).default(100),
});

const ORDER: Record<z.infer<typeof ZListInvoices>["sort"], SQL[]> = {
  newest: [desc(invoices.issueDate), desc(invoices.createdAt), desc(invoices.number)],
  oldest: [asc(invoices.issueDate), asc(invoices.createdAt), asc(invoices.number)],
  number: [asc(invoices.number), asc(invoices.createdAt)],
  number_desc: [desc(invoices.number), desc(invoices.createdAt)],
  total: [asc(invoices.totalAgorot), desc(invoices.createdAt)],
  total_desc: [desc(invoices.totalAgorot), desc(invoices.createdAt)],
  customer: [asc(invoices.customerName), desc(invoices.createdAt)],
  customer_desc: [desc(invoices.customerName), desc(invoices.createdAt)],
};

export type TInvoiceSummary = Omit<TInvoiceRow, "pdf">;

const COLUMNS = {
  id: invoices.id,
  businessId: invoices.businessId,
  customerId: invoices.customerId,
  type: invoices.type,
  number: invoices.number,
  status: invoices.status,
  issueDate: invoices.issueDate,
  customerName: invoices.customerName,
  customerTaxId: invoices.customerTaxId,
  customerIdKind: invoices.customerIdKind,
  customerAddress: invoices.customerAddress,
  customerPhone: invoices.customerPhone,
  forInvoiceId: invoices.forInvoiceId,
  paymentLinkId: invoices.paymentLinkId,
  note: invoices.note,
  lines: invoices.lines,
  subtotalAgorot: invoices.subtotalAgorot,
  vatRateBp: invoices.vatRateBp,
  vatAgorot: invoices.vatAgorot,
  totalAgorot: invoices.totalAgorot,
  allocationNumber: invoices.allocationNumber,
  creditForInvoiceId: invoices.creditForInvoiceId,
  createdAt: invoices.createdAt,
  updatedAt: invoices.updatedAt,
};

/** Invoices of the scope's business, newest first (without PDF bytes). */
export async function listInvoices(db: TDb, scope: TScope, input: z.input<typeof ZListInvoices> = {}): Promise<TInvoiceSummary[]> {
  const q = parseInput(ZListInvoices, input);
  const where: SQL[] = [eq(invoices.businessId, scope.businessId)];
  if (q.type) where.push(eq(invoices.type, q.type));
  if (q.status) where.push(eq(invoices.status, q.status));
  if (q.customerId) where.push(eq(invoices.customerId, q.customerId));
  if (q.from) where.push(gte(invoices.issueDate, q.from));
  if (q.to) where.push(lte(invoices.issueDate, q.to));
  const term = q.search?.trim();
  if (term) {
    const byName = ilike(invoices.customerName, `%${term.replace(/[%_\\]/g, (c) => `\\${c}`)}%`);
    where.push(/^\d{1,9}$/.test(term) ? or(byName, eq(invoices.number, Number(term)))! : byName);
  }
  return db
    .select(COLUMNS)
    .from(invoices)
    .where(and(...where))
    .orderBy(...ORDER[q.sort], asc(invoices.id))
    .limit(q.limit);
}

/** One invoice of the scope's business; NOT_FOUND across tenants. */
export async function getInvoice(db: TDb, scope: TScope, id: string): Promise<TInvoiceSummary> {
  const [row] = await db
    .select(COLUMNS)
    .from(invoices)
    .where(and(eq(invoices.id, id), eq(invoices.businessId, scope.businessId)));
  if (!row) throw new AppError("NOT_FOUND", "invoice not found", { userMessage: "החשבונית לא נמצאה" });
  return row;
}

/**
 * Customers to pick on an invoice: name or phone digits match, newest first,
 * with the snapshot their last document carried (ID / tax number, address)
 * so a repeat customer's details fill themselves in.
 */
export async function invoiceCustomerOptions(db: TDb, scope: TScope, q: string) {
  const term = q.trim();
  const digits = term.replace(/\D/g, "");
  const where: SQL[] = [eq(customers.businessId, scope.businessId)];
  if (term) {
    const byName = ilike(customers.fullName, `%${term.replace(/[%_\\]/g, (c) => `\\${c}`)}%`);
    where.push(digits.length >= 3 ? or(byName, like(customers.phoneDigits, `%${digits.replace(/^0/, "")}%`))! : byName);
  }
  const rows = await db
    .select({ id: customers.id, fullName: customers.fullName, phone: customers.phone })
    .from(customers)
    .where(and(...where))
    .orderBy(desc(customers.updatedAt))
    .limit(20);
  const last = rows.length
    ? await db
        .selectDistinctOn([invoices.customerId], { customerId: invoices.customerId, taxId: invoices.customerTaxId, idKind: invoices.customerIdKind, address: invoices.customerAddress })
        .from(invoices)
        .where(and(eq(invoices.businessId, scope.businessId), inArray(invoices.customerId, rows.map((r) => r.id))))
        .orderBy(invoices.customerId, desc(invoices.createdAt))
    : [];
  return rows.map((r) => {
    const l = last.find((x) => x.customerId === r.id);
    return { id: r.id, fullName: r.fullName ?? "", phone: r.phone, taxId: l?.taxId ?? null, idKind: l?.idKind ?? null, address: l?.address ?? null };
  });
}
