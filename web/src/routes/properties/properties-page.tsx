/** Listings: filters, a card grid, create. */
import { A } from "@solidjs/router";
import { createResource, createSignal, For, Show } from "solid-js";
import { Icon } from "../../components/icons";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { PageHeader } from "../../components/ui/card";
import { Input, optionsOf, Select } from "../../components/ui/field";
import { countOf } from "../../lib/plural";
import { Money } from "../../components/ui/ltr";
import { EmptyState, ErrorBox, Spinner } from "../../components/ui/states";
import { toast } from "../../context/toasts";
import { DEAL_TYPE, labelOf, PROPERTY_STATUS, PROPERTY_TYPE } from "../../lib/labels";
import { trpc, type TRouterOutputs } from "../../lib/trpc";
import { PropertyForm } from "./property-form";

type TProperty = TRouterOutputs["properties"]["get"];

export default function PropertiesPage() {
  const [search, setSearch] = createSignal("");
  const [dealType, setDealType] = createSignal("");
  const [propertyType, setPropertyType] = createSignal("");
  const [status, setStatus] = createSignal("available");
  const [creating, setCreating] = createSignal(false);
  const [data, { refetch }] = createResource(
    () => ({
      search: search().trim() || undefined,
      dealType: (dealType() || undefined) as TProperty["dealType"] | undefined,
      propertyType: (propertyType() || undefined) as TProperty["propertyType"] | undefined,
      status: (status() || undefined) as TProperty["status"] | undefined,
    }),
    (i) => trpc.properties.list.query(i),
  );
  let timer: ReturnType<typeof setTimeout> | undefined;

  return (
    <div>
      <PageHeader
        title="נכסים"
        subtitle={data.latest ? countOf(data.latest.length, "נכס אחד", "נכסים") : undefined}
        actions={
          <Button onClick={() => setCreating(true)}>
            <Icon name="plus" class="size-4" />
            נכס חדש
          </Button>
        }
      />
      <div class="mb-4 flex flex-wrap items-center gap-2">
        <div class="relative min-w-[220px] flex-1">
          <Icon name="search" class="pointer-events-none absolute start-3 top-1/2 size-4 -translate-y-1/2 text-muted" />
          <Input
            type="search"
            class="ps-9"
            aria-label="חיפוש נכסים"
            placeholder="חיפוש לפי עיר, שכונה, רחוב…"
            onInput={(e) => {
              const v = e.currentTarget.value;
              clearTimeout(timer);
              timer = setTimeout(() => setSearch(v), 250);
            }}
          />
        </div>
        <Select aria-label="סוג עסקה" class="w-32" options={optionsOf(DEAL_TYPE)} placeholder="כל העסקאות" value={dealType()} onChange={(e) => setDealType(e.currentTarget.value)} />
        <Select aria-label="סוג נכס" class="w-36" options={optionsOf(PROPERTY_TYPE)} placeholder="כל הסוגים" value={propertyType()} onChange={(e) => setPropertyType(e.currentTarget.value)} />
        <Select aria-label="סטטוס" class="w-32" options={optionsOf(PROPERTY_STATUS)} placeholder="כל הסטטוסים" value={status()} onChange={(e) => setStatus(e.currentTarget.value)} />
      </div>
      <Show when={data.error}>
        <ErrorBox error={data.error} retry={refetch} />
      </Show>
      <Show when={data.latest} fallback={<Show when={!data.error}><Spinner /></Show>}>
        {(list) => (
          <Show when={list().length} fallback={<EmptyState title="לא נמצאו נכסים" hint="שנו את הסינון או הוסיפו נכס חדש." />}>
            <div class="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
              <For each={list()}>{(p) => <PropertyCard p={p} />}</For>
            </div>
          </Show>
        )}
      </Show>
      <PropertyForm
        open={creating()}
        onClose={() => setCreating(false)}
        onSaved={(p) => {
          setCreating(false);
          toast({ kind: "success", title: "הנכס נשמר", body: p.title });
          void refetch();
        }}
      />
    </div>
  );
}

export function PropertyCard(props: { p: TProperty }) {
  const p = () => props.p;
  return (
    <A href={`/properties/${p().id}`} class="block rounded-[var(--radius-card)] border border-line bg-white p-4 shadow-[var(--shadow-card)] transition hover:border-brand-200 hover:shadow-md">
      <div class="flex items-start justify-between gap-2">
        <h3 class="font-bold leading-snug">{p().title}</h3>
        <Badge tone={PROPERTY_STATUS[p().status]?.tone}>{labelOf(PROPERTY_STATUS, p().status)}</Badge>
      </div>
      <p class="mt-1 text-sm text-muted">
        {[p().city, p().neighborhood, p().street].filter(Boolean).join(" · ")}
      </p>
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
