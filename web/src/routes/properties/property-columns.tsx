/** The listings table's columns: how each cell looks, and its text for CSV. */
import { Badge } from "../../components/ui/badge";
import type { TGridColumn } from "../../components/ui/data-grid";
import { Money, Phone } from "../../components/ui/ltr";
import { formatDate, formatMoney, formatPhone } from "../../lib/format";
import { DEAL_TYPE, labelOf, PROPERTY_STATUS, PROPERTY_TYPE } from "../../lib/labels";
import type { TRouterOutputs } from "../../lib/trpc";

export type TProperty = TRouterOutputs["properties"]["list"][number];

const area = (p: TProperty) => [p.city, p.neighborhood, p.street].filter(Boolean).join(" · ");
/** Amounts in CSV without the bidi marks Intl puts around ₪. */
const plainMoney = (n: number) => formatMoney(n).replace(/[\u200e\u200f]/g, "");
const owner = (p: TProperty) => [p.ownerName, p.ownerPhone && formatPhone(p.ownerPhone)].filter(Boolean).join(" · ");

export const PROPERTY_COLUMNS: TGridColumn<TProperty>[] = [
  { id: "title", header: "נכס", sortable: true, freeText: true, text: (p) => p.title, cell: (p) => <span class="font-semibold">{p.title}</span>, class: "min-w-56" },
  { id: "area", header: "אזור", freeText: true, text: area, cell: (p) => <span class="text-sm text-slate-600">{area(p)}</span> },
  { id: "dealType", header: "עסקה", text: (p) => labelOf(DEAL_TYPE, p.dealType), cell: (p) => <Badge tone={p.dealType === "sale" ? "violet" : "blue"}>{labelOf(DEAL_TYPE, p.dealType)}</Badge> },
  { id: "propertyType", header: "סוג", text: (p) => labelOf(PROPERTY_TYPE, p.propertyType), cell: (p) => <span class="whitespace-nowrap">{labelOf(PROPERTY_TYPE, p.propertyType)}</span> },
  { id: "rooms", header: "חדרים", text: (p) => p.rooms ?? "", cell: (p) => <span class="tabular">{p.rooms ?? "—"}</span> },
  { id: "size", header: "מ״ר", text: (p) => p.sizeSqm ?? "", cell: (p) => <span class="tabular">{p.sizeSqm ?? "—"}</span> },
  { id: "floor", header: "קומה", text: (p) => p.floor ?? "", cell: (p) => <span class="tabular">{p.floor ?? "—"}</span> },
  {
    id: "price",
    header: "מחיר",
    sortable: true,
    text: (p) => plainMoney(p.price) + (p.dealType === "rent" ? " לחודש" : ""),
    cell: (p) => (
      <span class="whitespace-nowrap font-semibold">
        <Money value={p.price} />
        {p.dealType === "rent" ? <span class="text-sm font-normal text-muted"> לחודש</span> : null}
      </span>
    ),
  },
  { id: "status", header: "סטטוס", text: (p) => labelOf(PROPERTY_STATUS, p.status), cell: (p) => <Badge tone={PROPERTY_STATUS[p.status]?.tone}>{labelOf(PROPERTY_STATUS, p.status)}</Badge> },
  {
    id: "owner",
    header: "בעלים",
    freeText: true,
    text: owner,
    cell: (p) => (
      <span class="whitespace-nowrap text-sm">
        {p.ownerName ?? ""} {p.ownerPhone ? <Phone value={p.ownerPhone} /> : p.ownerName ? null : <span class="text-muted">—</span>}
      </span>
    ),
  },
  { id: "updated", header: "עודכן", sortable: true, descFirst: true, text: (p) => formatDate(p.updatedAt), cell: (p) => <span class="tabular whitespace-nowrap">{formatDate(p.updatedAt)}</span> },
  { id: "created", header: "נוסף", sortable: true, descFirst: true, text: (p) => formatDate(p.createdAt), cell: (p) => <span class="tabular whitespace-nowrap">{formatDate(p.createdAt)}</span> },
];
export const DEFAULT_PROPERTY_COLUMNS = ["title", "area", "dealType", "propertyType", "rooms", "price", "status", "created"];
