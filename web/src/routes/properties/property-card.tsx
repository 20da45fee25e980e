/** One listing as a card (the listings page's card view). */
import { A } from "@solidjs/router";
import { Show } from "solid-js";
import { Badge } from "../../components/ui/badge";
import { Money } from "../../components/ui/ltr";
import { DEAL_TYPE, labelOf, PROPERTY_STATUS, PROPERTY_TYPE } from "../../lib/labels";
import type { TProperty } from "./property-columns";

export function PropertyCard(props: { p: TProperty }) {
  const p = () => props.p;
  return (
    <A href={`/properties/${p().id}`} class="block rounded-[var(--radius-card)] border border-line bg-white p-4 shadow-[var(--shadow-card)] transition hover:border-brand-200 hover:shadow-md">
      <div class="flex items-start justify-between gap-2">
        <h3 class="font-bold leading-snug">{p().title}</h3>
        <Badge tone={PROPERTY_STATUS[p().status]?.tone}>{labelOf(PROPERTY_STATUS, p().status)}</Badge>
      </div>
      <p class="mt-1 text-sm text-muted">{[p().city, p().neighborhood, p().street].filter(Boolean).join(" · ")}</p>
      <div class="mt-3 flex items-end justify-between">
        <div class="flex flex-wrap gap-1.5 text-sm">
          <Badge tone={p().dealType === "sale" ? "violet" : "blue"}>{labelOf(DEAL_TYPE, p().dealType)}</Badge>
          <Badge>{labelOf(PROPERTY_TYPE, p().propertyType)}</Badge>
          <Show when={p().rooms}>
            <Badge>{p().rooms} חד׳</Badge>
          </Show>
          <Show when={p().sizeSqm}>
            <Badge>{p().sizeSqm} מ״ר</Badge>
          </Show>
        </div>
        <div class="text-lg font-bold text-brand-800">
          <Money value={p().price} />
          <Show when={p().dealType === "rent"}>
            <span class="text-sm font-normal text-muted"> לחודש</span>
          </Show>
        </div>
      </div>
    </A>
  );
}
