/**
 * The invoices table's columns: how each cell looks, and its text for CSV.
 * The status and actions cells need the page's payment links and handlers,
 * so the columns are built per page.
 */
import { Show, type JSX } from "solid-js";
import { Badge } from "../../components/ui/badge";
import type { TGridColumn } from "../../components/ui/data-grid";
import { Phone } from "../../components/ui/ltr";
import { formatAgorot, formatIsoDate, formatPhone } from "../../lib/format";
import type { TRouterOutputs } from "../../lib/trpc";
import { Agorot, INVOICE_TYPE, invoiceStatus, LINK_STATUS, PROVIDER } from "./billing-ui";

export type TInvoice = TRouterOutputs["invoices"]["list"][number];
export type TLink = TRouterOutputs["payments"]["list"][number];

/** A credit note counts against revenue: shown and exported negative. */
const signed = (inv: TInvoice, agorot: number) => (inv.type === "credit_note" ? -agorot : agorot);
/** Amounts in CSV without the bidi marks Intl puts around ₪. */
const plain = (agorot: number) => formatAgorot(agorot).replace(/[\u200e\u200f]/g, "");
const docLabel = (inv: TInvoice) => `${INVOICE_TYPE[inv.type] ?? inv.type} ${inv.number}`;

export function invoiceColumns(ctx: { linkOf: (inv: TInvoice) => TLink | undefined; actions: (inv: TInvoice) => JSX.Element }): TGridColumn<TInvoice>[] {
  return [
    {
      id: "document",
      header: "מסמך",
      sortable: true,
      text: docLabel,
      cell: (inv) => (
        <span class="whitespace-nowrap font-semibold">
          {INVOICE_TYPE[inv.type]} <bdi dir="ltr">{inv.number}</bdi>
        </span>
      ),
    },
    { id: "date", header: "תאריך", sortable: true, descFirst: true, text: (inv) => formatIsoDate(inv.issueDate), cell: (inv) => <span class="tabular whitespace-nowrap">{formatIsoDate(inv.issueDate)}</span> },
    { id: "customer", header: "לקוח", sortable: true, freeText: true, text: (inv) => inv.customerName, cell: (inv) => <span class="whitespace-nowrap">{inv.customerName}</span> },
    { id: "phone", header: "טלפון", text: (inv) => (inv.customerPhone ? formatPhone(inv.customerPhone) : ""), cell: (inv) => <Phone value={inv.customerPhone} /> },
    { id: "taxId", header: "ת.ז. / ח.פ.", text: (inv) => inv.customerTaxId ?? "", cell: (inv) => <bdi dir="ltr" class="tabular">{inv.customerTaxId ?? "—"}</bdi> },
    { id: "subtotal", header: "לפני מע״מ", text: (inv) => plain(signed(inv, inv.subtotalAgorot)), cell: (inv) => <Agorot value={signed(inv, inv.subtotalAgorot)} /> },
    { id: "vat", header: "מע״מ", text: (inv) => plain(signed(inv, inv.vatAgorot)), cell: (inv) => <Agorot value={signed(inv, inv.vatAgorot)} /> },
    { id: "total", header: "סה״כ", sortable: true, descFirst: true, text: (inv) => plain(signed(inv, inv.totalAgorot)), cell: (inv) => <Agorot value={signed(inv, inv.totalAgorot)} /> },
    {
      id: "status",
      header: "סטטוס",
      text: (inv) => invoiceStatus(inv).label,
      cell: (inv) => (
        <span class="whitespace-nowrap">
          <Badge tone={invoiceStatus(inv).tone}>
            <span data-testid="invoice-status">{invoiceStatus(inv).label}</span>
          </Badge>
          <Show when={ctx.linkOf(inv)}>{(l) => <span class="ms-2 text-sm text-muted">קישור {PROVIDER[l().provider]}: {LINK_STATUS[l().status]?.label}</span>}</Show>
        </span>
      ),
    },
    { id: "allocation", header: "מספר הקצאה", text: (inv) => inv.allocationNumber ?? "", cell: (inv) => <bdi dir="ltr" class="tabular">{inv.allocationNumber ?? "—"}</bdi> },
    { id: "actions", header: "פעולות", text: () => "", cell: ctx.actions },
  ];
}
export const DEFAULT_INVOICE_COLUMNS = ["document", "date", "customer", "total", "status", "actions"];
/** Columns that are controls, not data: never in a CSV. */
export const NOT_EXPORTED = ["actions"];
