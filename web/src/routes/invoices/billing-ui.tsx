/** Shared bits of the billing pages: labels, agorot formatting, file download. */
import { formatAgorot } from "../../lib/format";
import type { TTone } from "../../lib/labels";

export const INVOICE_TYPE: Record<string, string> = {
  tax_invoice: "חשבונית מס",
  receipt: "קבלה",
  tax_invoice_receipt: "חשבונית מס/קבלה",
  credit_note: "חשבונית זיכוי",
};
export const INVOICE_STATUS: Record<string, { label: string; tone: TTone }> = {
  issued: { label: "ממתינה לתשלום", tone: "amber" },
  paid: { label: "שולמה", tone: "green" },
  partially_paid: { label: "שולמה חלקית", tone: "blue" },
  cancelled: { label: "זוכתה", tone: "red" },
  credited: { label: "זוכתה", tone: "red" },
  partially_credited: { label: "זוכתה חלקית", tone: "violet" },
};

/** How a document's status reads: a credit note is never "awaiting payment"; receipts are paid by nature. */
export function invoiceStatus(inv: { type: string; status: string }): { label: string; tone: TTone } {
  if (inv.type === "credit_note") return { label: "הונפקה", tone: "gray" };
  if (inv.type !== "tax_invoice" && (inv.status === "issued" || inv.status === "paid")) return INVOICE_STATUS.paid!;
  return INVOICE_STATUS[inv.status] ?? { label: inv.status, tone: "gray" };
}
export const CONTRACT_STATUS: Record<string, { label: string; tone: TTone }> = {
  draft: { label: "טיוטה", tone: "gray" },
  sent: { label: "נשלח לחתימה", tone: "amber" },
  signed: { label: "נחתם", tone: "green" },
  void: { label: "בוטל", tone: "red" },
};
export const LINK_STATUS: Record<string, { label: string; tone: TTone }> = {
  created: { label: "ממתין לתשלום", tone: "amber" },
  paid: { label: "שולם", tone: "green" },
  failed: { label: "נכשל", tone: "red" },
  expired: { label: "פג תוקף", tone: "gray" },
  cancelled: { label: "בוטל", tone: "gray" },
};
export const PROVIDER: Record<string, string> = { paypal: "PayPal", tranzila: "טרנזילה" };

/** ₪1,234.50 from agorot (the one formatting module), isolated left to right. */
export function Agorot(props: { value: number }) {
  return (
    <bdi dir="ltr" class="tabular whitespace-nowrap">
      {formatAgorot(props.value)}
    </bdi>
  );
}

/** "1,234.50" typed by a user → agorot (integer), or null when it is not an amount. */
export function parseShekels(text: string): number | null {
  const clean = text.replace(/[₪,\s]/g, "");
  if (!/^\d+(\.\d{1,2})?$/.test(clean)) return null;
  const [whole, frac = ""] = clean.split(".");
  return Number(whole) * 100 + Number(frac.padEnd(2, "0"));
}

/** Save base64 bytes (a PDF) as a file. */
export function downloadBase64(filename: string, base64: string, type = "application/pdf"): void {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
