/**
 * Customers and leads: a table (TanStack Table, headless, in our design) with
 * server-side sorting and filters, column choice, bulk select with actions
 * (assign, status, tag, export), CSV of exactly what is shown ("ייצוא המוצג";
 * "ייצוא CSV" is every match in the import format), and saved
 * views per user; or a kanban board by status (drag a card to move it).
 * Lists refresh when a live `lead.created` or `assigned` event arrives.
 */
import { useNavigate, useSearchParams } from "@solidjs/router";
import { createEffect, createResource, createSignal, For, on, Show } from "solid-js";
import { BulkBar, BulkSelect } from "../../components/grid/bulk-bar";
import { SavedViews, type TViewState } from "../../components/grid/saved-views";
import { Icon } from "../../components/icons";
import { Button } from "../../components/ui/button";
import { Card, PageHeader } from "../../components/ui/card";
import { ColumnChooser, createGridState, DataGrid, downloadGridCsv, type TGridSort } from "../../components/ui/data-grid";
import { Input } from "../../components/ui/field";
import { EmptyState, ErrorBox, errorMessage, Spinner } from "../../components/ui/states";
import { onLiveEvent } from "../../context/live";
import { toast } from "../../context/toasts";
import { assigneeName } from "../../lib/assignees";
import { downloadText, loadPref, savePref } from "../../lib/download";
import { CUSTOMER_STATUS, CUSTOMER_STATUS_ORDER, labelOf } from "../../lib/labels";
import { byCount, countOf } from "../../lib/plural";
import { trpc, type TRouterInputs } from "../../lib/trpc";
import { CUSTOMER_COLUMNS, DEFAULT_CUSTOMER_COLUMNS, type TCustomer } from "./customer-columns";
import { CustomerFilters, fromSaved, NO_FILTERS, toQuery, type TCustomerFilterState } from "./customer-filters";
import { CustomerForm } from "./customer-form";
import { CustomersImport } from "./customers-import";
import { CustomersKanban } from "./customers-kanban";

type TSort = NonNullable<Exclude<TRouterInputs["customers"]["list"], void | undefined>["sort"]>;
const PAGE = 100;

/** The table's sort as the server's sort key. */
function serverSort(s: TGridSort): TSort {
  if (!s) return "newest";
  if (s.id === "name") return s.desc ? "name_desc" : "name";
  if (s.id === "updated") return s.desc ? "updated" : "updated_asc";
  return s.desc ? "newest" : "oldest";
}

const customersNoun: [string, string] = ["לקוח אחד", "לקוחות"];

/** "1,234 לקוחות", or for a search counted only up to its cap "יותר מ־1,000 לקוחות". */
function customersCount(list: { total: number; totalCapped: boolean }) {
  if (!list.totalCapped) return countOf(list.total, ...customersNoun);
  return (
    <>
      יותר מ־<bdi dir="ltr">{list.total.toLocaleString("he-IL")}</bdi> לקוחות
    </>
  );
}

export default function CustomersPage() {
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const view = () => (params.view === "kanban" ? "kanban" : "table");
  const [filters, setFilters] = createSignal<TCustomerFilterState>({ ...NO_FILTERS, q: typeof params.q === "string" ? params.q : "" });
  const grid = createGridState({ sort: { id: "created", desc: true }, visible: loadPref("customers.columns", DEFAULT_CUSTOMER_COLUMNS) });
  const [creating, setCreating] = createSignal(false);
  const [more, setMore] = createSignal<{ items: TCustomer[]; cursor: string | null } | null>(null);
  const [loadingMore, setLoadingMore] = createSignal(false);
  const [tag, setTag] = createSignal("");

  const query = () => ({ ...toQuery(filters()), sort: serverSort(grid.sort()), limit: view() === "kanban" ? 200 : PAGE });
  const [data, { refetch, mutate }] = createResource(query, (input) => trpc.customers.list.query(input));
  // New filters or sort: start again from the first page, nothing selected.
  createEffect(on(query, () => {
    setMore(null);
    grid.setSelected([]);
  }, { defer: true }));
  createEffect(on(grid.visible, (v) => savePref("customers.columns", v), { defer: true }));
  onLiveEvent((e) => {
    if (e.type === "lead.created" || (e.type === "assigned" && e.entity === "customer")) void refresh();
  });

  const rows = (): TCustomer[] => [...(data.latest?.items ?? []), ...(more()?.items ?? [])];
  const nextCursor = () => (more() ? more()!.cursor : (data.latest?.nextCursor ?? null));
  const selectedRows = () => rows().filter((r) => grid.selected().includes(r.id));
  const refresh = async () => {
    setMore(null);
    await refetch();
  };

  const loadMore = async () => {
    const cursor = nextCursor();
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const page = await trpc.customers.list.query({ ...query(), cursor });
      setMore({ items: [...(more()?.items ?? []), ...page.items], cursor: page.nextCursor });
    } catch (err) {
      toast({ kind: "error", title: "הטעינה נכשלה", body: errorMessage(err) });
    } finally {
      setLoadingMore(false);
    }
  };

  const exportShown = (which: TCustomer[]) => {
    const stamp = new Date().toISOString().slice(0, 10);
    downloadGridCsv(`customers-${stamp}.csv`, CUSTOMER_COLUMNS, grid.visible(), which);
    toast({ kind: "success", title: byCount(which.length, "יוצא לקוח אחד", (k) => `יוצאו ${k} לקוחות`, "אין לקוחות לייצוא") });
  };

  /** Every customer matching the filters, all fields, in the import format (the server's CSV). */
  const [exporting, setExporting] = createSignal(false);
  const exportAll = async () => {
    setExporting(true);
    try {
      const { filename, csv, rows: n } = await trpc.customers.exportCsv.query(toQuery(filters()));
      downloadText(filename, csv);
      toast({ kind: "success", title: byCount(n, "יוצא לקוח אחד", (k) => `יוצאו ${k} לקוחות`, "אין לקוחות לייצוא"), body: filename });
    } catch (err) {
      toast({ kind: "error", title: "הייצוא נכשל", body: errorMessage(err) });
    } finally {
      setExporting(false);
    }
  };

  const bulk = async (label: string, run: (ids: string[]) => Promise<{ updated: number }>) => {
    const ids = grid.selected();
    try {
      const { updated } = await run(ids);
      toast({ kind: "success", title: label, body: byCount(updated, "עודכן לקוח אחד", (k) => `עודכנו ${k} לקוחות`, "לא עודכנו לקוחות") });
      grid.setSelected([]);
      await refresh();
    } catch (err) {
      toast({ kind: "error", title: "הפעולה נכשלה", body: errorMessage(err) });
    }
  };
  const assign = (userId: string | null) =>
    bulk(userId ? `שויכו ל${assigneeName(userId) ?? "נציג"}` : "השיוך הוסר", (ids) => trpc.assignments.assign.mutate({ entity: "customer", ids, userId }));
  const setStatus = (status: TCustomer["status"]) => bulk(`הסטטוס שונה ל"${labelOf(CUSTOMER_STATUS, status)}"`, (ids) => trpc.customers.bulkUpdate.mutate({ ids, status }));
  const addTag = (e: Event) => {
    e.preventDefault();
    const t = tag().trim();
    if (!t) return;
    setTag("");
    void bulk(`נוספה התגית "${t}"`, (ids) => trpc.customers.bulkUpdate.mutate({ ids, addTag: t }));
  };

  const currentView = (): TViewState => ({ filters: { ...filters() }, sort: grid.sort(), columns: grid.visible() });
  const applyView = (s: TViewState) => {
    setFilters(fromSaved(s.filters));
    grid.setSort(s.sort ?? null);
    if (s.columns?.length) grid.setVisible(s.columns.filter((c) => CUSTOMER_COLUMNS.some((x) => x.id === c)));
  };

  const moveCustomer = async (id: string, to: TCustomer["status"]) => {
    const before = data.latest;
    if (!before) return;
    mutate({ ...before, items: before.items.map((c) => (c.id === id ? { ...c, status: to } : c)) });
    try {
      await trpc.customers.setStatus.mutate({ id, status: to });
      toast({ kind: "success", title: `הלקוח הועבר ל"${labelOf(CUSTOMER_STATUS, to)}"` });
    } catch (err) {
      mutate(before);
      toast({ kind: "error", title: "ההעברה נכשלה", body: errorMessage(err) });
    }
  };

  const tab = (id: "table" | "kanban", label: string) => (
    <button
      type="button"
      role="tab"
      aria-selected={view() === id}
      class={`rounded-md px-3 py-1.5 text-sm font-semibold ${view() === id ? "bg-brand-50 text-brand-800" : "text-muted"}`}
      onClick={() => setParams({ view: id === "kanban" ? "kanban" : undefined })}
    >
      {label}
    </button>
  );

  return (
    <div>
      <PageHeader
        title="לקוחות ולידים"
        subtitle={data.latest ? <span data-testid="customers-count">{customersCount(data.latest)}</span> : undefined}
        actions={
          <>
            <div class="inline-flex rounded-lg border border-line bg-white p-0.5" role="tablist" aria-label="תצוגה">
              {tab("table", "טבלה")}
              {tab("kanban", "לוח סטטוסים")}
            </div>
            <CustomersImport onImported={() => void refresh()} />
            <Button variant="secondary" onClick={() => exportShown(rows())} disabled={rows().length === 0} title="העמודות והשורות שבטבלה, כפי שהן מוצגות">
              ייצוא המוצג
            </Button>
            <Button variant="secondary" onClick={exportAll} busy={exporting()} title="כל הלקוחות שמתאימים לסינון, בפורמט שאפשר לייבא">
              <Icon name="download" class="size-4" />
              ייצוא CSV
            </Button>
            <Button onClick={() => setCreating(true)}>
              <Icon name="plus" class="size-4" />
              לקוח חדש
            </Button>
          </>
        }
      />

      <div class="mb-3 flex flex-wrap items-center justify-between gap-2">
        <div class="flex flex-wrap items-center gap-2">
          <Button variant={filters().assignee === "mine" ? "primary" : "secondary"} aria-pressed={filters().assignee === "mine"} onClick={() => setFilters({ ...filters(), assignee: filters().assignee === "mine" ? "" : "mine" })}>
            לקוחות שלי
          </Button>
          <SavedViews page="customers" current={currentView} onApply={applyView} />
        </div>
        <Show when={view() === "table"}>
          <ColumnChooser columns={CUSTOMER_COLUMNS} state={grid} />
        </Show>
      </div>
      <CustomerFilters value={filters} onChange={(patch) => setFilters({ ...filters(), ...patch })} />

      <Show when={data.error}>
        <ErrorBox error={data.error} retry={refetch} />
      </Show>
      <Show when={data.latest} fallback={<Show when={!data.error}><Spinner /></Show>}>
        <Show when={view() === "table"} fallback={<CustomersKanban customers={rows()} onMove={moveCustomer} onOpen={(id) => navigate(`/customers/${id}`)} />}>
          <BulkBar count={grid.selected().length} noun={customersNoun} onClear={() => grid.setSelected([])} onAssign={(u) => void assign(u)}>
            <BulkSelect
              label="שינוי סטטוס"
              options={CUSTOMER_STATUS_ORDER.map((v) => ({ value: v, label: labelOf(CUSTOMER_STATUS, v) }))}
              onPick={(v) => void setStatus(v as TCustomer["status"])}
            />
            <form class="flex items-center gap-1" onSubmit={addTag}>
              <Input aria-label="תגית להוספה" placeholder="תגית" class="h-8! w-28" value={tag()} onInput={(e) => setTag(e.currentTarget.value)} />
              <Button size="sm" variant="secondary" type="submit">
                הוספת תגית
              </Button>
            </form>
            <Button size="sm" variant="secondary" onClick={() => exportShown(selectedRows())}>
              ייצוא הנבחרים
            </Button>
          </BulkBar>
          <Card padded={false}>
            <DataGrid
              columns={CUSTOMER_COLUMNS}
              rows={rows()}
              rowId={(c) => c.id}
              rowLabel={(c) => c.fullName ?? "לקוח ללא שם"}
              state={grid}
              onRowClick={(c) => navigate(`/customers/${c.id}`)}
              empty={<EmptyState title="לא נמצאו לקוחות" hint={filters().q ? "נסו מילת חיפוש אחרת." : "לקוחות חדשים נוצרים אוטומטית משיחות, או בכפתור ״לקוח חדש״."} />}
            />
          </Card>
          <div class="mt-3 flex items-center justify-between text-sm text-muted">
            <span data-testid="customers-shown">{byCount(rows().length, "מוצג לקוח אחד", (k) => `מוצגים ${k} לקוחות`, "אין לקוחות להצגה")}</span>
            <Show when={nextCursor()}>
              <Button variant="secondary" size="sm" busy={loadingMore()} onClick={loadMore}>
                טעינת עוד
              </Button>
            </Show>
          </div>
        </Show>
      </Show>

      <CustomerForm
        open={creating()}
        onClose={() => setCreating(false)}
        onSaved={(c) => {
          setCreating(false);
          toast({ kind: "success", title: "הלקוח נשמר", body: c.fullName ?? undefined });
          void refresh();
        }}
      />
    </div>
  );
}
