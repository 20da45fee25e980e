/**
 * The invoices table's filters: customer name or document number, type,
 * status and an issue-date range (he-IL date fields). One plain object of
 * strings, so a saved view stores and restores it as is.
 */
import type { Accessor } from "solid-js";
import { Icon } from "../../components/icons";
import { DateField } from "../../components/ui/date-field";
import { Input, Select } from "../../components/ui/field";
import type { TRouterInputs } from "../../lib/trpc";
import { INVOICE_TYPE } from "./billing-ui";

export interface TInvoiceFilterState {
  q: string;
  type: string;
  status: string;
  from: string;
  to: string;
}
export const NO_INVOICE_FILTERS: TInvoiceFilterState = { q: "", type: "", status: "", from: "", to: "" };

type TListInput = NonNullable<Exclude<TRouterInputs["invoices"]["list"], void>>;

/** Statuses one can filter by (a legacy "cancelled" reads as credited and is not offered). */
const STATUS_OPTIONS = [
  { value: "issued", label: "ממתינה לתשלום" },
  { value: "paid", label: "שולמה" },
  { value: "partially_paid", label: "שולמה חלקית" },
  { value: "partially_credited", label: "זוכתה חלקית" },
  { value: "credited", label: "זוכתה" },
];

/** The filters as the invoices.list input (up to 500 documents, the server's cap). */
export function toInvoiceQuery(f: TInvoiceFilterState): TListInput {
  return {
    search: f.q.trim() || undefined,
    type: (f.type || undefined) as TListInput["type"],
    status: (f.status || undefined) as TListInput["status"],
    from: f.from || undefined,
    to: f.to || undefined,
    limit: 500,
  };
}

/** Saved-view filters back into the filter state; unknown keys are ignored. */
export function invoiceFiltersFromSaved(o: Record<string, unknown>): TInvoiceFilterState {
  const out = { ...NO_INVOICE_FILTERS };
  for (const k of Object.keys(out) as (keyof TInvoiceFilterState)[]) if (typeof o[k] === "string") out[k] = o[k] as string;
  return out;
}

export function InvoiceFilters(props: { value: Accessor<TInvoiceFilterState>; onChange: (patch: Partial<TInvoiceFilterState>) => void }) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const f = props.value;
  return (
    <div class="mb-3 flex flex-wrap items-center gap-2">
      <div class="relative min-w-[150px] flex-1">
        <Icon name="search" class="pointer-events-none absolute start-3 top-1/2 size-4 -translate-y-1/2 text-muted" />
        <Input
          type="search"
          class="ps-9"
          aria-label="חיפוש חשבוניות"
          placeholder="לקוח או מספר…"
          value={f().q}
          onInput={(e) => {
            const q = e.currentTarget.value;
            clearTimeout(timer);
            timer = setTimeout(() => props.onChange({ q }), 300);
          }}
        />
      </div>
      <Select aria-label="סוג מסמך" class="w-36" options={Object.entries(INVOICE_TYPE).map(([value, label]) => ({ value, label }))} placeholder="כל המסמכים" value={f().type} onChange={(e) => props.onChange({ type: e.currentTarget.value })} />
      <Select aria-label="סינון לפי סטטוס" class="w-32" options={STATUS_OPTIONS} placeholder="כל הסטטוסים" value={f().status} onChange={(e) => props.onChange({ status: e.currentTarget.value })} />
      <div class="flex items-center gap-1 text-sm text-muted" role="group" aria-label="טווח תאריכים">
        מ־
        <DateField label="מתאריך" value={f().from} onChange={(from) => props.onChange({ from })} optional yearsAhead={1} />
        <span class="ms-1">עד</span>
        <DateField label="עד תאריך" value={f().to} onChange={(to) => props.onChange({ to })} optional yearsAhead={1} />
      </div>
    </div>
  );
}
