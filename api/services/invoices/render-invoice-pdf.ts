import { and, eq } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { businesses, invoices } from "../../../db/schema";
import { AppError } from "../../../core/kernel/errors";
import { formatAgorot, formatIsoDate, formatNumber, formatPhone } from "../../../core/kernel/format";
import { loadTemplate, renderTypstPdf } from "../../lib/typst/render-typst-pdf";
import type { TScope } from "../../../core/domain/scope";
import { INVOICE_TYPE_LABEL, invoiceStatusLabel, lineTotalAgorot } from "./invoice-rules";

type TInvoice = typeof invoices.$inferSelect;
interface TPair {
  label: string;
  value: string;
  ltr?: boolean;
}

const TEMPLATE = new URL("./invoice.typ", import.meta.url);

/**
 * What the invoice template prints, all values formatted by the one
 * formatting module. A credit note's amounts print negative.
 */
export function invoiceDocumentData(inv: TInvoice, business: { name: string; phone: string | null }, related: { label: string; number: number } | null) {
  const sign = inv.type === "credit_note" ? -1 : 1;
  const money = (agorot: number) => formatAgorot(sign * agorot);
  const customer: TPair[] = [{ label: "לכבוד", value: inv.customerName }];
  if (inv.customerTaxId) customer.push({ label: inv.customerIdKind === "id" ? "ת.ז." : "ח.פ. / ע.מ.", value: inv.customerTaxId, ltr: true });
  if (inv.customerAddress) customer.push({ label: "כתובת", value: inv.customerAddress });
  if (inv.customerPhone) customer.push({ label: "טלפון", value: formatPhone(inv.customerPhone), ltr: true });

  const meta: TPair[] = [{ label: "תאריך", value: formatIsoDate(inv.issueDate), ltr: true }];
  if (inv.allocationNumber) meta.push({ label: "מספר הקצאה", value: inv.allocationNumber, ltr: true });
  if (related) meta.push({ label: inv.type === "credit_note" ? "זיכוי לחשבונית" : "עבור חשבונית", value: `${related.label} ${related.number}` });

  const taxed = inv.type !== "receipt";
  const totals: TPair[] = taxed
    ? [
        { label: "סכום לפני מע״מ", value: money(inv.subtotalAgorot) },
        { label: `מע״מ ${formatNumber(inv.vatRateBp / 100, 2)}%`, value: money(inv.vatAgorot) },
        { label: inv.type === "credit_note" ? "סה״כ זיכוי" : inv.type === "tax_invoice" ? "סה״כ לתשלום" : "סה״כ שולם", value: money(inv.totalAgorot) },
      ]
    : [{ label: "סה״כ התקבל", value: money(inv.totalAgorot) }];

  const notes: TPair[] = [];
  if (inv.note) notes.push({ label: inv.type === "credit_note" ? "סיבת הזיכוי" : "פרטי התשלום", value: inv.note });

  const typeLabel = INVOICE_TYPE_LABEL[inv.type] ?? inv.type;
  return {
    docTitle: `${typeLabel} ${inv.number}`,
    business: { name: business.name, phone: business.phone ? formatPhone(business.phone) : null },
    copyLabel: "מקור",
    typeLabel,
    number: String(inv.number),
    status: inv.type === "tax_invoice" || inv.status === "credited" || inv.status === "partially_credited" ? invoiceStatusLabel(inv.type, inv.status) : null,
    customer,
    meta,
    lines: inv.lines.map((l) => ({
      description: l.description,
      quantity: formatNumber(l.quantity, 3),
      unitPrice: money(l.unitPriceAgorot),
      total: money(lineTotalAgorot(l)),
    })),
    totals,
    notes,
    footer: "מסמך ממוחשב · הופק במערכת קשר",
  };
}

/**
 * The invoice as a Hebrew A4 PDF (original document, "מקור"), typeset by
 * Typst. Rendered from the stored row each time, so a status change shows.
 */
export async function renderInvoicePdf(db: TDb, scope: TScope, invoiceId: string): Promise<{ filename: string; pdf: Uint8Array }> {
  const [row] = await db
    .select({ invoice: invoices, businessName: businesses.name, businessPhone: businesses.phoneNumber })
    .from(invoices)
    .innerJoin(businesses, eq(businesses.id, invoices.businessId))
    .where(and(eq(invoices.id, invoiceId), eq(invoices.businessId, scope.businessId)));
  if (!row) throw new AppError("NOT_FOUND", "invoice not found", { userMessage: "החשבונית לא נמצאה" });
  const inv = row.invoice;
  const relatedId = inv.creditForInvoiceId ?? inv.forInvoiceId;
  let related: { label: string; number: number } | null = null;
  if (relatedId) {
    const [r] = await db
      .select({ type: invoices.type, number: invoices.number })
      .from(invoices)
      .where(and(eq(invoices.id, relatedId), eq(invoices.businessId, scope.businessId)));
    if (r) related = { label: INVOICE_TYPE_LABEL[r.type] ?? r.type, number: r.number };
  }
  const data = invoiceDocumentData(inv, { name: row.businessName, phone: row.businessPhone }, related);
  const pdf = await renderTypstPdf({ template: loadTemplate(TEMPLATE), data });
  return { filename: `invoice-${inv.type}-${inv.number}.pdf`, pdf };
}
