/**
 * Listings: the shared table (TanStack Table, headless) with server-side
 * sorting and filters, column choice, bulk select with actions (status:
 * available / under offer / sold / rented; export), saved views per user and
 * CSV of exactly what is shown; or the same rows as cards. Create a listing.
 */
import { useNavigate, useSearchParams } from "@solidjs/router";
import { createEffect, createResource, createSignal, For, on, Show } from "solid-js";
import { BulkBar, BulkSelect } from "../../components/grid/bulk-bar";
import { SavedViews, type TViewState } from "../../components/grid/saved-views";
import { Icon } from "../../components/icons";
import { Button } from "../../components/ui/button";
import { Card, PageHeader } from "../../components/ui/card";
import { ColumnChooser, createGridState, DataGrid, downloadGridCsv, type TGridSort } from "../../components/ui/data-grid";
import { EmptyState, ErrorBox, errorMessage, Spinner } from "../../components/ui/states";
import { toast } from "../../context/toasts";
import { loadPref, savePref } from "../../lib/download";
import { labelOf, PROPERTY_STATUS } from "../../lib/labels";
import { byCount, countOf } from "../../lib/plural";
import { trpc, type TRouterInputs } from "../../lib/trpc";
import { PropertyCard } from "./property-card";
import { DEFAULT_PROPERTY_COLUMNS, PROPERTY_COLUMNS, type TProperty } from "./property-columns";
import { DEFAULT_PROPERTY_FILTERS, PropertyFilters, propertyFiltersFromSaved, toPropertyQuery, type TPropertyFilterState } from "./property-filters";
import { PropertyForm } from "./property-form";

type TSort = NonNullable<NonNullable<Exclude<TRouterInputs["properties"]["list"], void>>["sort"]>;
/** Statuses a listing moves between from the table (archiving stays on the listing's page). */
const BULK_STATUSES: TProperty["status"][] = ["available", "under_offer", "sold", "rented"];
const propertiesNoun: [string, string] = ["נכס אחד", "נכסים"];

/** The table's sort as the server's sort key. */
function serverSort(s: TGridSort): TSort {
  if (!s) return "status";
  if (s.id === "title") return s.desc ? "title_desc" : "title";
  if (s.id === "price") return s.desc ? "price_desc" : "price";
  if (s.id === "updated") return s.desc ? "updated" : "updated_asc";
  return s.desc ? "newest" : "oldest";
}

export default function PropertiesPage() {
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const view = () => (params.view === "cards" ? "cards" : "table");
  const [filters, setFilters] = createSignal<TPropertyFilterState>({ ...DEFAULT_PROPERTY_FILTERS });
  const grid = createGridState({ sort: { id: "created", desc: true }, visible: loadPref("properties.columns", DEFAULT_PROPERTY_COLUMNS) });
  const [creating, setCreating] = createSignal(false);

  const query = () => ({ ...toPropertyQuery(filters()), sort: serverSort(grid.sort()) });
  const [data, { refetch }] = createResource(query, (input) => trpc.properties.list.query(input));
  createEffect(on(query, () => grid.setSelected([]), { defer: true }));
  createEffect(on(grid.visible, (v) => savePref("properties.columns", v), { defer: true }));

  const rows = (): TProperty[] => data.latest ?? [];
  const selectedRows = () => rows().filter((r) => grid.selected().includes(r.id));
  const exportRows = (which: TProperty[]) => {
    downloadGridCsv(`properties-${new Date().toISOString().slice(0, 10)}.csv`, PROPERTY_COLUMNS, grid.visible(), which);
    toast({ kind: "success", title: byCount(which.length, "יוצא נכס אחד", (n) => `יוצאו ${n} נכסים`) });
  };
  const setStatus = async (status: TProperty["status"]) => {
    try {
      const { updated } = await trpc.properties.bulkSetStatus.mutate({ ids: grid.selected(), status });
      toast({ kind: "success", title: `הסטטוס שונה ל"${labelOf(PROPERTY_STATUS, status)}"`, body: byCount(updated, "עודכן נכס אחד", (n) => `עודכנו ${n} נכסים`, "הנכסים כבר היו בסטטוס הזה") });
      grid.setSelected([]);
      await refetch();
    } catch (err) {
      toast({ kind: "error", title: "הפעולה נכשלה", body: errorMessage(err) });
    }
  };

  const currentView = (): TViewState => ({ filters: { ...filters() }, sort: grid.sort(), columns: grid.visible() });
  const applyView = (s: TViewState) => {
    setFilters(propertyFiltersFromSaved(s.filters));
    grid.setSort(s.sort ?? null);
    if (s.columns?.length) grid.setVisible(s.columns.filter((c) => PROPERTY_COLUMNS.some((x) => x.id === c)));
  };

  const tab = (id: "table" | "cards", label: string) => (
    <button
      type="button"
      role="tab"
      aria-selected={view() === id}
      class={`rounded-md px-3 py-1.5 text-sm font-semibold ${view() === id ? "bg-brand-50 text-brand-800" : "text-muted"}`}
      onClick={() => setParams({ view: id === "cards" ? "cards" : undefined })}
    >
      {label}
    </button>
  );

  return (
    <div>
      <PageHeader
        title="נכסים"
        subtitle={data.latest ? <span data-testid="properties-count">{countOf(data.latest.length, ...propertiesNoun)}</span> : undefined}
        actions={
          <>
            <div class="inline-flex rounded-lg border border-line bg-white p-0.5" role="tablist" aria-label="תצוגה">
              {tab("table", "טבלה")}
              {tab("cards", "כרטיסים")}
            </div>
            <Button variant="secondary" onClick={() => exportRows(rows())} disabled={rows().length === 0} title="העמודות והשורות שבטבלה, כפי שהן מוצגות">
              <Icon name="download" class="size-4" />
              ייצוא המוצג
            </Button>
            <Button onClick={() => setCreating(true)}>
              <Icon name="plus" class="size-4" />
              נכס חדש
            </Button>
          </>
        }
      />
      <div class="mb-3 flex flex-wrap items-center justify-between gap-2">
        <SavedViews page="properties" current={currentView} onApply={applyView} />
        <Show when={view() === "table"}>
          <ColumnChooser columns={PROPERTY_COLUMNS} state={grid} />
        </Show>
      </div>
      <PropertyFilters value={filters} onChange={(patch) => setFilters({ ...filters(), ...patch })} />

      <Show when={data.error}>
        <ErrorBox error={data.error} retry={refetch} />
      </Show>
      <Show when={data.latest} fallback={<Show when={!data.error}><Spinner /></Show>}>
        <Show
          when={view() === "table"}
          fallback={
            <Show when={rows().length} fallback={<EmptyState title="לא נמצאו נכסים" hint="שנו את הסינון או הוסיפו נכס חדש." />}>
              <div class="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
                <For each={rows()}>{(p) => <PropertyCard p={p} />}</For>
              </div>
            </Show>
          }
        >
          <BulkBar count={grid.selected().length} noun={propertiesNoun} onClear={() => grid.setSelected([])}>
            <BulkSelect
              label="שינוי סטטוס"
              options={BULK_STATUSES.map((v) => ({ value: v, label: labelOf(PROPERTY_STATUS, v) }))}
              onPick={(v) => void setStatus(v as TProperty["status"])}
            />
            <Button size="sm" variant="secondary" onClick={() => exportRows(selectedRows())}>
              ייצוא הנבחרים
            </Button>
          </BulkBar>
          <Card padded={false}>
            <DataGrid
              columns={PROPERTY_COLUMNS}
              rows={rows()}
              rowId={(p) => p.id}
              rowLabel={(p) => p.title}
              state={grid}
              onRowClick={(p) => navigate(`/properties/${p.id}`)}
              empty={<EmptyState title="לא נמצאו נכסים" hint="שנו את הסינון או הוסיפו נכס חדש." />}
            />
          </Card>
        </Show>
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
