/**
 * The customers table's filters: search, status, source, agent ("שלי", none,
 * or a colleague) and the segment fields (deal type, wanted city, budget up
 * to, not updated for N days). One plain object, so a saved view stores and
 * restores it as is.
 */
import { For, type Accessor } from "solid-js";
import { Icon } from "../../components/icons";
import { Input, optionsOf, Select } from "../../components/ui/field";
import { assignees } from "../../lib/assignees";
import { CUSTOMER_SOURCE, CUSTOMER_STATUS, DEAL_TYPE } from "../../lib/labels";
import type { TRouterInputs } from "../../lib/trpc";

export interface TCustomerFilterState {
  q: string;
  status: string;
  source: string;
  /** "" all, "mine", "none", or a user id. */
  assignee: string;
  dealType: string;
  city: string;
  budgetUpTo: string;
  staleDays: string;
}
export const NO_FILTERS: TCustomerFilterState = { q: "", status: "", source: "", assignee: "", dealType: "", city: "", budgetUpTo: "", staleDays: "" };

type TListInput = NonNullable<Exclude<TRouterInputs["customers"]["list"], void>>;

/** The filters as the customers.list input. */
export function toQuery(f: TCustomerFilterState): TListInput {
  const n = (s: string) => (s.trim() && Number.isFinite(Number(s.replace(/[,₪\s]/g, ""))) ? Math.max(0, Math.round(Number(s.replace(/[,₪\s]/g, "")))) : undefined);
  return {
    search: f.q.trim() || undefined,
    status: (f.status || undefined) as TListInput["status"],
    source: (f.source || undefined) as TListInput["source"],
    mine: f.assignee === "mine" || undefined,
    unassigned: f.assignee === "none" || undefined,
    assignedUserId: f.assignee && f.assignee !== "mine" && f.assignee !== "none" ? f.assignee : undefined,
    dealType: (f.dealType || undefined) as TListInput["dealType"],
    city: f.city.trim() || undefined,
    budgetUpTo: n(f.budgetUpTo),
    staleDays: n(f.staleDays) || undefined,
  };
}

/** Saved-view filters (strings) back into the filter state; unknown keys are ignored. */
export function fromSaved(o: Record<string, unknown>): TCustomerFilterState {
  const out = { ...NO_FILTERS };
  for (const k of Object.keys(NO_FILTERS) as (keyof TCustomerFilterState)[]) if (o[k] !== undefined && o[k] !== null) out[k] = String(o[k]);
  return out;
}

export function CustomerFilters(props: { value: Accessor<TCustomerFilterState>; onChange: (patch: Partial<TCustomerFilterState>) => void }) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const debounced = (patch: Partial<TCustomerFilterState>) => {
    clearTimeout(timer);
    timer = setTimeout(() => props.onChange(patch), 300);
  };
  const f = props.value;
  return (
    <div class="mb-3 flex flex-wrap items-center gap-2">
      <div class="relative min-w-[150px] flex-1">
        <Icon name="search" class="pointer-events-none absolute start-3 top-1/2 size-4 -translate-y-1/2 text-muted" />
        <Input type="search" placeholder="שם, טלפון, הערות…" aria-label="חיפוש לקוחות" class="ps-9" value={f().q} onInput={(e) => debounced({ q: e.currentTarget.value })} />
      </div>
      <Select aria-label="סינון לפי סטטוס" class="w-32" options={optionsOf(CUSTOMER_STATUS)} placeholder="כל הסטטוסים" value={f().status} onChange={(e) => props.onChange({ status: e.currentTarget.value })} />
      <Select aria-label="סינון לפי מקור" class="w-28" options={optionsOf(CUSTOMER_SOURCE)} placeholder="כל המקורות" value={f().source} onChange={(e) => props.onChange({ source: e.currentTarget.value })} />
      <select
        aria-label="סינון לפי נציג"
        class="h-10 w-32 rounded-lg border border-line bg-white px-3 text-[15px] focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-200"
        value={f().assignee}
        onChange={(e) => props.onChange({ assignee: e.currentTarget.value })}
      >
        <option value="">כל הנציגים</option>
        <option value="mine">לקוחות שלי</option>
        <option value="none">ללא נציג</option>
        <For each={assignees()}>{(a) => <option value={a.id} selected={f().assignee === a.id}>{a.fullName}</option>}</For>
      </select>
      <Select aria-label="סוג עסקה" class="w-32" options={optionsOf(DEAL_TYPE)} placeholder="כל העסקאות" value={f().dealType} onChange={(e) => props.onChange({ dealType: e.currentTarget.value })} />
      <Input aria-label="עיר מבוקשת" placeholder="עיר מבוקשת" class="w-28" value={f().city} onInput={(e) => debounced({ city: e.currentTarget.value })} />
      <Input aria-label="תקציב עד" placeholder="תקציב עד ₪" inputmode="numeric" class="w-28" value={f().budgetUpTo} onInput={(e) => debounced({ budgetUpTo: e.currentTarget.value })} />
      <select
        aria-label="ללא עדכון"
        class="h-10 w-36 rounded-lg border border-line bg-white px-3 text-[15px] focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-200"
        value={f().staleDays}
        onChange={(e) => props.onChange({ staleDays: e.currentTarget.value })}
      >
        <option value="">כל זמן עדכון</option>
        <option value="7">ללא עדכון 7 ימים</option>
        <option value="14">ללא עדכון 14 ימים</option>
        <option value="30">ללא עדכון 30 ימים</option>
      </select>
    </div>
  );
}
