/** The customers table's columns: how each cell looks, and its text for CSV. */
import { Badge } from "../../components/ui/badge";
import type { TGridColumn } from "../../components/ui/data-grid";
import { Phone } from "../../components/ui/ltr";
import { assigneeName } from "../../lib/assignees";
import { formatDate, formatMoney, formatPhone } from "../../lib/format";
import { CUSTOMER_SOURCE, CUSTOMER_STATUS, DEAL_TYPE, labelOf } from "../../lib/labels";
import type { TRouterOutputs } from "../../lib/trpc";

export type TCustomer = TRouterOutputs["customers"]["list"]["items"][number];

const looking = (c: TCustomer) =>
  [c.requirements.dealType && DEAL_TYPE[c.requirements.dealType], c.requirements.cities?.join(", "), c.requirements.roomsMin && `${c.requirements.roomsMin}+ חד׳`]
    .filter(Boolean)
    .join(" · ");
/** Amounts in CSV without the bidi marks Intl puts around ₪. */
const plainMoney = (n: number) => formatMoney(n).replace(/[\u200e\u200f]/g, "");

export const CUSTOMER_COLUMNS: TGridColumn<TCustomer>[] = [
  { id: "name", header: "שם", sortable: true, freeText: true, text: (c) => c.fullName ?? "", cell: (c) => <span class="whitespace-nowrap font-semibold">{c.fullName || "ללא שם"}</span> },
  { id: "phone", header: "טלפון", text: (c) => (c.phone ? formatPhone(c.phone) : ""), cell: (c) => <Phone value={c.phone} /> },
  {
    id: "status",
    header: "סטטוס",
    text: (c) => labelOf(CUSTOMER_STATUS, c.status),
    cell: (c) => <Badge tone={CUSTOMER_STATUS[c.status]?.tone}>{labelOf(CUSTOMER_STATUS, c.status)}</Badge>,
  },
  { id: "assignee", header: "נציג", text: (c) => assigneeName(c.assignedUserId) ?? "", cell: (c) => <span class="whitespace-nowrap">{assigneeName(c.assignedUserId) ?? <span class="text-muted">—</span>}</span> },
  { id: "source", header: "מקור", text: (c) => labelOf(CUSTOMER_SOURCE, c.source), cell: (c) => labelOf(CUSTOMER_SOURCE, c.source) },
  { id: "looking", header: "מחפש", freeText: true, text: looking, cell: (c) => <span class="text-sm text-slate-600">{looking(c) || "—"}</span> },
  {
    id: "budget",
    header: "תקציב",
    text: (c) => (c.requirements.budgetMax ? plainMoney(c.requirements.budgetMax) : ""),
    cell: (c) => (
      <bdi dir="ltr" class="tabular whitespace-nowrap">
        {c.requirements.budgetMax ? formatMoney(c.requirements.budgetMax) : "—"}
      </bdi>
    ),
  },
  { id: "score", header: "ציון ליד", text: (c) => c.leadScore ?? "", cell: (c) => <span class="tabular">{c.leadScore ?? "—"}</span> },
  { id: "tags", header: "תגיות", freeText: true, text: (c) => c.tags.join("; "), cell: (c) => <div class="flex flex-wrap gap-1">{c.tags.map((t) => <Badge>{t}</Badge>)}</div> },
  { id: "updated", header: "עודכן", sortable: true, descFirst: true, text: (c) => formatDate(c.updatedAt), cell: (c) => <span class="tabular whitespace-nowrap">{formatDate(c.updatedAt)}</span> },
  { id: "created", header: "נוצר", sortable: true, descFirst: true, text: (c) => formatDate(c.createdAt), cell: (c) => <span class="tabular whitespace-nowrap">{formatDate(c.createdAt)}</span> },
];
export const DEFAULT_CUSTOMER_COLUMNS = ["name", "phone", "status", "assignee", "source", "looking", "budget", "created"];
