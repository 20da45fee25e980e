/**
 * Israeli invoicing rules that change by date: the VAT rate and the
 * threshold (before VAT) from which a B2B tax invoice needs an allocation
 * number (מספר הקצאה) from the Tax Authority. Both are schedules so a future
 * change is a new row, not a code change; callers may pass their own.
 */
import { AppError } from "../../../core/kernel/errors";
import { formatAgorot } from "../../../core/kernel/format";

/** A value in force from `from` (YYYY-MM-DD, inclusive) until the next row. */
export interface TDatedValue {
  from: string;
  value: number;
}

/** VAT in basis points (1800 = 18%). */
export const VAT_SCHEDULE: TDatedValue[] = [
  { from: "2015-10-01", value: 1700 },
  { from: "2025-01-01", value: 1800 },
];

/** Allocation-number threshold in agorot, before VAT. */
export const ALLOCATION_THRESHOLD_SCHEDULE: TDatedValue[] = [
  { from: "2024-01-01", value: 2_500_000 },
  { from: "2025-01-01", value: 2_000_000 },
  { from: "2026-01-01", value: 1_000_000 },
  { from: "2026-06-01", value: 500_000 },
];

export interface TInvoiceRules {
  vat: TDatedValue[];
  allocationThreshold: TDatedValue[];
}

export const DEFAULT_INVOICE_RULES: TInvoiceRules = { vat: VAT_SCHEDULE, allocationThreshold: ALLOCATION_THRESHOLD_SCHEDULE };

/** The value in force on `date` (YYYY-MM-DD). */
export function valueOn(schedule: TDatedValue[], date: string): number {
  const sorted = [...schedule].sort((a, b) => a.from.localeCompare(b.from));
  let current: number | undefined;
  for (const row of sorted) if (row.from <= date) current = row.value;
  if (current === undefined) throw new AppError("BAD_REQUEST", `no rule in force on ${date}`, { userMessage: "אין שיעור מע״מ מוגדר לתאריך זה" });
  return current;
}

export interface TLineInput {
  description: string;
  quantity: number;
  unitPriceAgorot: number;
}

export interface TTotals {
  subtotalAgorot: number;
  vatRateBp: number;
  vatAgorot: number;
  totalAgorot: number;
}

/**
 * Totals in integer agorot. Each line is quantity × unit price rounded half
 * up to the agora; VAT is computed once on the subtotal (not per line) and
 * rounded half up, as the Tax Authority's examples do.
 */
export function computeTotals(lines: TLineInput[], vatRateBp: number): TTotals {
  let subtotal = 0;
  for (const l of lines) {
    if (!Number.isInteger(l.unitPriceAgorot)) throw new AppError("BAD_REQUEST", "unit price must be integer agorot", { userMessage: "המחיר חייב להיות בשלמי אגורות" });
    subtotal += lineTotalAgorot(l);
  }
  const vat = Math.floor((subtotal * vatRateBp + 5000) / 10000);
  return { subtotalAgorot: subtotal, vatRateBp, vatAgorot: vat, totalAgorot: subtotal + vat };
}

/** One line's amount: quantity × unit price, rounded half up to the agora (quantities may be fractional, e.g. 1.5 hours: work in thousandths to stay exact). */
export function lineTotalAgorot(l: Pick<TLineInput, "quantity" | "unitPriceAgorot">): number {
  const qtyMilli = Math.round(l.quantity * 1000);
  return Math.floor((qtyMilli * l.unitPriceAgorot + 500) / 1000);
}

/** Document types that carry VAT and so fall under the allocation-number rule. */
const TAX_TYPES = new Set(["tax_invoice", "tax_invoice_receipt"]);

/**
 * Whether an allocation number is required: a tax invoice to a business
 * (the customer has a tax id / ח.פ.) whose amount before VAT is at or above
 * the threshold in force on the issue date.
 */
export function allocationRequired(
  input: { type: string; customerTaxId?: string | null; subtotalAgorot: number; issueDate: string },
  rules: TInvoiceRules = DEFAULT_INVOICE_RULES,
): boolean {
  if (!TAX_TYPES.has(input.type) || !input.customerTaxId) return false;
  return input.subtotalAgorot >= valueOn(rules.allocationThreshold, input.issueDate);
}

/** The Tax Authority issues 9-digit allocation numbers. */
export const ALLOCATION_NUMBER_RE = /^\d{9}$/;

/** Today's date in Israel as YYYY-MM-DD (invoices are dated by the local calendar). */
export function israelToday(now = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Jerusalem", year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

/** ₪1,234.50 with no bidi marks (safe inside PDFs and CSV); the one formatting module's agorot form. */
export const formatShekels = formatAgorot;

export const INVOICE_TYPE_LABEL: Record<string, string> = {
  tax_invoice: "חשבונית מס",
  receipt: "קבלה",
  tax_invoice_receipt: "חשבונית מס/קבלה",
  credit_note: "חשבונית זיכוי",
};

/**
 * How a document's status reads to a person. A credit note is never
 * "awaiting payment"; a tax invoice credited in full reads "זוכתה" (also the
 * legacy "cancelled"), in part "זוכתה חלקית".
 */
export function invoiceStatusLabel(type: string, status: string): string {
  if (type === "credit_note") return "הונפקה";
  if (status === "credited" || status === "cancelled") return "זוכתה";
  if (status === "partially_credited") return "זוכתה חלקית";
  if (type !== "tax_invoice") return "שולמה";
  const labels: Record<string, string> = {
    issued: "ממתינה לתשלום",
    paid: "שולמה",
    partially_paid: "שולמה חלקית",
  };
  return labels[status] ?? status;
}
