import { and, eq } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { businesses, invoices } from "../../../db/schema";
import { AppError } from "../../errors";
import { createHebrewPdf } from "../../lib/hebrew-pdf";
import type { TScope } from "../scope";
import { formatShekels, INVOICE_TYPE_LABEL } from "./invoice-rules";

const STATUS_LABEL: Record<string, string> = { issued: "הונפקה", paid: "שולמה", partially_paid: "שולמה חלקית", cancelled: "בוטלה בזיכוי" };

/** DD.MM.YYYY, the way Israeli documents print dates. */
function hebrewDate(isoDate: string): string {
  const [y, m, d] = isoDate.split("-");
  return `${d}.${m}.${y}`;
}

/**
 * The invoice as a Hebrew A4 PDF (original document, "מקור"). Rendered from
 * the stored row each time, so a status change (paid, cancelled) shows.
 */
export async function renderInvoicePdf(db: TDb, scope: TScope, invoiceId: string): Promise<{ filename: string; pdf: Uint8Array }> {
  const [row] = await db
    .select({ invoice: invoices, businessName: businesses.name })
    .from(invoices)
    .innerJoin(businesses, eq(businesses.id, invoices.businessId))
    .where(and(eq(invoices.id, invoiceId), eq(invoices.businessId, scope.businessId)));
  if (!row) throw new AppError("NOT_FOUND", "invoice not found", { userMessage: "החשבונית לא נמצאה" });
  const inv = row.invoice;
  const title = `${INVOICE_TYPE_LABEL[inv.type]} מס׳ ${inv.number}`;
  const doc = await createHebrewPdf({ title, subject: row.businessName });
  doc.paragraph(row.businessName, { size: 14, bold: true });
  doc.heading(title);
  doc.fields([
    ["תאריך", hebrewDate(inv.issueDate)],
    ["לכבוד", inv.customerName],
    ...(inv.customerTaxId ? ([["ח.פ. / ע.מ.", inv.customerTaxId]] as [string, string][]) : []),
    ...(inv.allocationNumber ? ([["מספר הקצאה", inv.allocationNumber]] as [string, string][]) : []),
    ["סטטוס", STATUS_LABEL[inv.status] ?? inv.status],
  ]);
  doc.table(
    [
      { title: "תיאור", width: 260 },
      { title: "כמות", width: 60 },
      { title: "מחיר ליחידה", width: 90 },
      { title: "סה״כ", width: 85 },
    ],
    inv.lines.map((l) => [l.description, String(l.quantity), formatShekels(l.unitPriceAgorot), formatShekels(Math.round(l.quantity * l.unitPriceAgorot))]),
  );
  doc.fields([
    ["סכום לפני מע״מ", formatShekels(inv.subtotalAgorot)],
    [`מע״מ ${inv.vatRateBp / 100}%`, formatShekels(inv.vatAgorot)],
    ["סה״כ לתשלום", formatShekels(inv.totalAgorot)],
  ]);
  doc.paragraph("מסמך ממוחשב · מקור", { size: 9 });
  return { filename: `invoice-${inv.type}-${inv.number}.pdf`, pdf: await doc.save() };
}
