/**
 * The listings table's filters: search, deal type, property type, status
 * (available by default), city, price up to and rooms from. One plain object
 * of strings, so a saved view stores and restores it as is.
 */
import type { Accessor } from "solid-js";
import { Icon } from "../../components/icons";
import { Input, optionsOf, Select } from "../../components/ui/field";
import { DEAL_TYPE, PROPERTY_STATUS, PROPERTY_TYPE } from "../../lib/labels";
import type { TRouterInputs } from "../../lib/trpc";

export interface TPropertyFilterState {
  q: string;
  dealType: string;
  propertyType: string;
  /** "" shows every status. */
  status: string;
  city: string;
  priceMax: string;
  roomsMin: string;
}
export const DEFAULT_PROPERTY_FILTERS: TPropertyFilterState = { q: "", dealType: "", propertyType: "", status: "available", city: "", priceMax: "", roomsMin: "" };

type TListInput = NonNullable<Exclude<TRouterInputs["properties"]["list"], void>>;

const num = (s: string) => {
  const clean = s.replace(/[,₪\s]/g, "");
  return clean && Number.isFinite(Number(clean)) ? Math.max(0, Number(clean)) : undefined;
};

/** The filters as the properties.list input. */
export function toPropertyQuery(f: TPropertyFilterState): TListInput {
  const price = num(f.priceMax);
  return {
    search: f.q.trim() || undefined,
    dealType: (f.dealType || undefined) as TListInput["dealType"],
    propertyType: (f.propertyType || undefined) as TListInput["propertyType"],
    status: (f.status || undefined) as TListInput["status"],
    city: f.city.trim() || undefined,
    priceMax: price === undefined ? undefined : Math.round(price),
    roomsMin: num(f.roomsMin),
  };
}

/** Saved-view filters back into the filter state; unknown keys are ignored, missing ones take the defaults. */
export function propertyFiltersFromSaved(o: Record<string, unknown>): TPropertyFilterState {
  const out = { ...DEFAULT_PROPERTY_FILTERS };
  for (const k of Object.keys(out) as (keyof TPropertyFilterState)[]) if (o[k] !== undefined && o[k] !== null) out[k] = String(o[k]);
  return out;
}

export function PropertyFilters(props: { value: Accessor<TPropertyFilterState>; onChange: (patch: Partial<TPropertyFilterState>) => void }) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const debounced = (patch: Partial<TPropertyFilterState>) => {
    clearTimeout(timer);
    timer = setTimeout(() => props.onChange(patch), 300);
  };
  const f = props.value;
  return (
    <div class="mb-3 flex flex-wrap items-center gap-2">
      <div class="relative min-w-[180px] flex-1">
        <Icon name="search" class="pointer-events-none absolute start-3 top-1/2 size-4 -translate-y-1/2 text-muted" />
        <Input type="search" class="ps-9" aria-label="חיפוש נכסים" placeholder="חיפוש לפי עיר, שכונה, רחוב…" value={f().q} onInput={(e) => debounced({ q: e.currentTarget.value })} />
      </div>
      <Select aria-label="סוג עסקה" class="w-32" options={optionsOf(DEAL_TYPE)} placeholder="כל העסקאות" value={f().dealType} onChange={(e) => props.onChange({ dealType: e.currentTarget.value })} />
      <Select aria-label="סוג נכס" class="w-32" options={optionsOf(PROPERTY_TYPE)} placeholder="כל הסוגים" value={f().propertyType} onChange={(e) => props.onChange({ propertyType: e.currentTarget.value })} />
      <Select aria-label="סטטוס" class="w-32" options={optionsOf(PROPERTY_STATUS)} placeholder="כל הסטטוסים" value={f().status} onChange={(e) => props.onChange({ status: e.currentTarget.value })} />
      <Input aria-label="עיר" placeholder="עיר" class="w-28" value={f().city} onInput={(e) => debounced({ city: e.currentTarget.value })} />
      <Input aria-label="מחיר עד" placeholder="מחיר עד ₪" inputmode="numeric" class="w-28" value={f().priceMax} onInput={(e) => debounced({ priceMax: e.currentTarget.value })} />
      <Input aria-label="חדרים מ־" placeholder="חדרים מ־" inputmode="decimal" class="w-24" value={f().roomsMin} onInput={(e) => debounced({ roomsMin: e.currentTarget.value })} />
    </div>
  );
}
