/**
 * Customers and leads: a filterable, sortable table with a column chooser and
 * CSV export, or a kanban board by status (drag a card to move it). Lists
 * refresh when a live `lead.created` event arrives.
 */
import { useNavigate, useSearchParams } from "@solidjs/router";
import { createResource, createSignal, For, Show } from "solid-js";
import { Icon } from "../../components/icons";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { Card, PageHeader } from "../../components/ui/card";
import { Input, optionsOf, Select } from "../../components/ui/field";
import { Phone } from "../../components/ui/ltr";
import { DataTable, type TColumn } from "../../components/ui/table";
import { EmptyState, ErrorBox, errorMessage, Spinner } from "../../components/ui/states";
import { onLiveEvent } from "../../context/live";
import { toast } from "../../context/toasts";
import { downloadText, loadPref, savePref } from "../../lib/download";
import { formatDate, formatMoney } from "../../lib/format";
import { CUSTOMER_SOURCE, CUSTOMER_STATUS, DEAL_TYPE, labelOf } from "../../lib/labels";
import { trpc, type TRouterInputs, type TRouterOutputs } from "../../lib/trpc";
import { CustomerForm } from "./customer-form";
import { CustomersKanban } from "./customers-kanban";

type TCustomer = TRouterOutputs["customers"]["list"]["items"][number];
type TSort = NonNullable<Exclude<TRouterInputs["customers"]["list"], void | undefined>["sort"]>;

const COLUMNS: TColumn<TCustomer>[] = [
  { key: "name", header: "שם", sortable: true, cell: (c) => <span class="whitespace-nowrap font-semibold">{c.fullName || "ללא שם"}</span> },
  { key: "phone", header: "טלפון", cell: (c) => <Phone value={c.phone} /> },
  { key: "status", header: "סטטוס", cell: (c) => <Badge tone={CUSTOMER_STATUS[c.status]?.tone}>{labelOf(CUSTOMER_STATUS, c.status)}</Badge> },
  { key: "source", header: "מקור", cell: (c) => labelOf(CUSTOMER_SOURCE, c.source) },
  {
    key: "looking",
    header: "מחפש",
    cell: (c) => (
      <span class="text-sm text-slate-600">
        {[c.requirements.dealType && DEAL_TYPE[c.requirements.dealType], c.requirements.cities?.join(", "), c.requirements.roomsMin && `${c.requirements.roomsMin}+ חד׳`]
          .filter(Boolean)
          .join(" · ") || "—"}
      </span>
    ),
  },
  {
    key: "budget",
    header: "תקציב",
    cell: (c) => (
      <bdi dir="ltr" class="tabular">
        {c.requirements.budgetMax ? formatMoney(c.requirements.budgetMax) : "—"}
      </bdi>
    ),
  },
  { key: "score", header: "ציון ליד", cell: (c) => <span class="tabular">{c.leadScore ?? "—"}</span> },
  { key: "tags", header: "תגיות", cell: (c) => <div class="flex flex-wrap gap-1">{c.tags.map((t) => <Badge>{t}</Badge>)}</div> },
  { key: "created", header: "נוצר", sortable: true, cell: (c) => <span class="tabular">{formatDate(c.createdAt)}</span> },
];
const DEFAULT_VISIBLE = ["name", "phone", "status", "source", "looking", "budget", "created"];

export default function CustomersPage() {
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const view = () => (params.view === "kanban" ? "kanban" : "table");
  const [search, setSearch] = createSignal(typeof params.q === "string" ? params.q : "");
  const [status, setStatus] = createSignal("");
  const [source, setSource] = createSignal("");
  const [sort, setSort] = createSignal<TSort>("newest");
  const [visible, setVisible] = createSignal<string[]>(loadPref("customers.columns", DEFAULT_VISIBLE));
  const [chooser, setChooser] = createSignal(false);
  const [creating, setCreating] = createSignal(false);
  const [exporting, setExporting] = createSignal(false);

  const filters = () => ({
    search: search().trim() || undefined,
    status: (status() || undefined) as TCustomer["status"] | undefined,
    source: (source() || undefined) as TCustomer["source"] | undefined,
  });
  const [data, { refetch, mutate }] = createResource(
    () => ({ ...filters(), sort: sort(), limit: view() === "kanban" ? 200 : 100 }),
    (input) => trpc.customers.list.query(input),
  );
  onLiveEvent((e) => {
    if (e.type === "lead.created") void refetch();
  });

  let timer: ReturnType<typeof setTimeout> | undefined;
  const onSearch = (v: string) => {
    clearTimeout(timer);
    timer = setTimeout(() => setSearch(v), 250);
  };

  const toggleColumn = (key: string) => {
    const next = visible().includes(key) ? visible().filter((k) => k !== key) : [...visible(), key];
    setVisible(next);
    savePref("customers.columns", next);
  };
  const onSort = (key: string) => {
    if (key === "name") setSort("name");
    else if (key === "created") setSort(sort() === "newest" ? "oldest" : "newest");
  };
  const sortState = () =>
    sort() === "name" ? { key: "name", dir: "asc" as const } : { key: "created", dir: sort() === "oldest" ? ("asc" as const) : ("desc" as const) };

  const exportCsv = async () => {
    setExporting(true);
    try {
      const { filename, csv, rows } = await trpc.customers.exportCsv.query(filters());
      downloadText(filename, csv);
      toast({ kind: "success", title: rows === 1 ? "יוצא לקוח אחד" : `יוצאו ${rows} לקוחות`, body: filename });
    } catch (err) {
      toast({ kind: "error", title: "הייצוא נכשל", body: errorMessage(err) });
    } finally {
      setExporting(false);
    }
  };

  let fileInput: HTMLInputElement | undefined;
  const [importing, setImporting] = createSignal(false);
  const [importErrors, setImportErrors] = createSignal<{ row: number; message: string }[]>([]);
  const importCsv = async (file: File | undefined) => {
    if (!file) return;
    setImporting(true);
    setImportErrors([]);
    try {
      const res = await trpc.customers.importCsv.mutate({ csv: await file.text() });
      if (res.errors.length) {
        setImportErrors(res.errors);
        toast({ kind: "error", title: "הקובץ לא יובא", body: `נמצאו ${res.errors.length} שורות שגויות; לא נשמר דבר` });
      } else {
        toast({ kind: "success", title: res.imported === 1 ? "יובא לקוח אחד" : `יובאו ${res.imported} לקוחות` });
        void refetch();
      }
    } catch (err) {
      toast({ kind: "error", title: "הייבוא נכשל", body: errorMessage(err) });
    } finally {
      setImporting(false);
      if (fileInput) fileInput.value = "";
    }
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

  return (
    <div>
      <PageHeader
        title="לקוחות ולידים"
        subtitle={data.latest ? (data.latest.total === 1 ? "לקוח אחד" : `${data.latest.total} לקוחות`) : undefined}
        actions={
          <>
            <div class="inline-flex rounded-lg border border-line bg-white p-0.5" role="tablist" aria-label="תצוגה">
              <button
                type="button"
                role="tab"
                aria-selected={view() === "table"}
                class={`rounded-md px-3 py-1.5 text-sm font-semibold ${view() === "table" ? "bg-brand-50 text-brand-800" : "text-muted"}`}
                onClick={() => setParams({ view: undefined })}
              >
                טבלה
              </button>
              <button
                type="button"
                role="tab"
                aria-selected={view() === "kanban"}
                class={`rounded-md px-3 py-1.5 text-sm font-semibold ${view() === "kanban" ? "bg-brand-50 text-brand-800" : "text-muted"}`}
                onClick={() => setParams({ view: "kanban" })}
              >
                לוח סטטוסים
              </button>
            </div>
            <input ref={fileInput} type="file" accept=".csv,text/csv" class="hidden" aria-label="קובץ CSV לייבוא" onChange={(e) => void importCsv(e.currentTarget.files?.[0])} />
            <Button variant="secondary" onClick={() => fileInput?.click()} busy={importing()}>
              ייבוא CSV
            </Button>
            <Button variant="secondary" onClick={exportCsv} busy={exporting()}>
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

      <div class="mb-4 flex flex-wrap items-center gap-2">
        <div class="relative min-w-[220px] flex-1">
          <Icon name="search" class="pointer-events-none absolute start-3 top-1/2 size-4 -translate-y-1/2 text-muted" />
          <Input type="search" placeholder="חיפוש לפי שם, טלפון, הערות…" aria-label="חיפוש לקוחות" class="ps-9" value={search()} onInput={(e) => onSearch(e.currentTarget.value)} />
        </div>
        <Select aria-label="סינון לפי סטטוס" class="w-40" options={optionsOf(CUSTOMER_STATUS)} placeholder="כל הסטטוסים" value={status()} onChange={(e) => setStatus(e.currentTarget.value)} />
        <Select aria-label="סינון לפי מקור" class="w-36" options={optionsOf(CUSTOMER_SOURCE)} placeholder="כל המקורות" value={source()} onChange={(e) => setSource(e.currentTarget.value)} />
        <Show when={view() === "table"}>
          <div class="relative">
            <Button variant="secondary" onClick={() => setChooser(!chooser())} aria-expanded={chooser()}>
              עמודות
            </Button>
            <Show when={chooser()}>
              <div class="absolute end-0 z-20 mt-1 w-48 rounded-lg border border-line bg-white p-2 shadow-lg">
                <For each={COLUMNS}>
                  {(col) => (
                    <label class="flex cursor-pointer items-center gap-2 rounded px-2 py-1 hover:bg-slate-50">
                      <input type="checkbox" checked={visible().includes(col.key)} onChange={() => toggleColumn(col.key)} />
                      {col.header}
                    </label>
                  )}
                </For>
              </div>
            </Show>
          </div>
        </Show>
      </div>

      <Show when={importErrors().length}>
        <div class="mb-4 rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-red-800" role="alert">
          <div class="flex items-center justify-between">
            <p class="font-semibold">הייבוא בוטל: תקנו את השורות הבאות ונסו שוב</p>
            <Button size="sm" variant="ghost" onClick={() => setImportErrors([])}>
              סגירה
            </Button>
          </div>
          <ul class="mt-2 list-disc ps-5 text-sm">
            <For each={importErrors().slice(0, 20)}>
              {(e) => (
                <li>
                  שורה <span class="tabular">{e.row}</span>: {e.message}
                </li>
              )}
            </For>
          </ul>
        </div>
      </Show>
      <Show when={data.error}>
        <ErrorBox error={data.error} retry={refetch} />
      </Show>
      <Show when={data.latest} fallback={<Show when={!data.error}><Spinner /></Show>}>
        {(list) => (
          <Show
            when={view() === "table"}
            fallback={<CustomersKanban customers={list().items} onMove={moveCustomer} onOpen={(id) => navigate(`/customers/${id}`)} />}
          >
            <Card padded={false}>
              <DataTable
                columns={COLUMNS.filter((c) => visible().includes(c.key))}
                rows={list().items}
                sort={sortState()}
                onSort={onSort}
                onRowClick={(c) => navigate(`/customers/${c.id}`)}
                empty={<EmptyState title="לא נמצאו לקוחות" hint={search() ? "נסו מילת חיפוש אחרת." : "לקוחות חדשים נוצרים אוטומטית משיחות, או בכפתור ״לקוח חדש״."} />}
              />
            </Card>
          </Show>
        )}
      </Show>

      <CustomerForm
        open={creating()}
        onClose={() => setCreating(false)}
        onSaved={(c) => {
          setCreating(false);
          toast({ kind: "success", title: "הלקוח נשמר", body: c.fullName ?? undefined });
          void refetch();
        }}
      />
    </div>
  );
}
