/**
 * Calls: the shared table (column choice, select rows to export, saved views)
 * with status/date filters and Hebrew search over callers and transcripts;
 * refreshes live.
 */
import { A, useNavigate } from "@solidjs/router";
import { createEffect, createResource, createSignal, For, on, Show } from "solid-js";
import { BulkBar } from "../../components/grid/bulk-bar";
import { SavedViews, type TViewState } from "../../components/grid/saved-views";
import { ColumnChooser, createGridState, DataGrid, downloadGridCsv, type TGridColumn } from "../../components/ui/data-grid";
import { Icon } from "../../components/icons";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { Card, PageHeader } from "../../components/ui/card";
import { DateField } from "../../components/ui/date-field";
import { Input, optionsOf, Select } from "../../components/ui/field";
import { Phone } from "../../components/ui/ltr";
import { EmptyState, ErrorBox, Spinner } from "../../components/ui/states";
import { onLiveEvent } from "../../context/live";
import { toast } from "../../context/toasts";
import { loadPref, savePref } from "../../lib/download";
import { formatDateTime, formatDuration, formatMs, formatPhone } from "../../lib/format";
import { CALL_STATUS, labelOf, SPEAKER } from "../../lib/labels";
import { countOf } from "../../lib/plural";
import { trpc, type TRouterOutputs } from "../../lib/trpc";

type TCall = TRouterOutputs["calls"]["list"]["items"][number];

const callerName = (c: TCall) => c.customerName ?? (c.direction === "test" ? "שיחת ניסיון" : "מתקשר לא מזוהה");
const summaryOf = (c: TCall) => c.summary ?? (c.callSid.startsWith("TEST-") ? "שיחת ניסיון" : "");

const COLUMNS: TGridColumn<TCall>[] = [
  { id: "when", header: "מועד", text: (c) => formatDateTime(c.startedAt), cell: (c) => <span class="tabular whitespace-nowrap">{formatDateTime(c.startedAt)}</span> },
  {
    id: "who",
    header: "מתקשר",
    freeText: true,
    text: (c) => `${callerName(c)}${c.fromNumber ? ` ${formatPhone(c.fromNumber)}` : ""}`,
    cell: (c) => (
      <div>
        <div class="font-semibold">
          {c.customerName ?? (c.direction === "test" ? "שיחת ניסיון" : "מתקשר לא מזוהה")}
          <Show when={c.direction === "test"}>
            <Badge tone="violet" class="ms-2">
              שיחת ניסיון
            </Badge>
          </Show>
        </div>
        <div class="text-sm text-muted">
          <Phone value={c.fromNumber} />
        </div>
      </div>
    ),
  },
  { id: "status", header: "סטטוס", text: (c) => labelOf(CALL_STATUS, c.status), cell: (c) => <Badge tone={CALL_STATUS[c.status]?.tone}>{labelOf(CALL_STATUS, c.status)}</Badge> },
  { id: "duration", header: "משך", text: (c) => formatDuration(c.durationSec), cell: (c) => <span class="tabular">{formatDuration(c.durationSec)}</span> },
  { id: "latency", header: "זמן תגובה ממוצע", text: (c) => formatMs(c.metrics.avgTurnMs), cell: (c) => <bdi dir="ltr" class="tabular">{formatMs(c.metrics.avgTurnMs)}</bdi> },
  { id: "summary", header: "סיכום", freeText: true, text: summaryOf, cell: (c) => <span class="line-clamp-2 text-sm text-slate-600">{summaryOf(c) || "—"}</span> },
];
const DEFAULT_CALL_COLUMNS = COLUMNS.map((c) => c.id);
const callsNoun: [string, string] = ["שיחה אחת", "שיחות"];
/** "נמחקו 2 שיחות ניסיון ו־ליד אחד", or that there was nothing to delete. */
const deletedText = (calls: number, leads: number) => {
  const parts = [calls > 0 && countOf(calls, "שיחת ניסיון אחת", "שיחות ניסיון"), leads > 0 && countOf(leads, "ליד אחד", "לידים")].filter(Boolean);
  return parts.length ? `נמחקו ${parts.join(" ו־")}` : "אין שיחות ניסיון למחיקה";
};

export default function CallsPage() {
  const navigate = useNavigate();
  const [search, setSearch] = createSignal("");
  const [searchBox, setSearchBox] = createSignal("");
  const grid = createGridState({ visible: loadPref("calls.columns", DEFAULT_CALL_COLUMNS) });
  createEffect(on(grid.visible, (v) => savePref("calls.columns", v), { defer: true }));
  const [status, setStatus] = createSignal("");
  const [from, setFrom] = createSignal("");
  const [to, setTo] = createSignal("");
  const [extra, setExtra] = createSignal<TCall[]>([]);
  const [cursor, setCursor] = createSignal<string | null>(null);

  const input = () => ({
    search: search().trim() || undefined,
    status: (status() || undefined) as never,
    from: from() ? new Date(`${from()}T00:00:00`).toISOString() : undefined,
    to: to() ? new Date(`${to()}T23:59:59`).toISOString() : undefined,
    limit: 50,
  });
  const [data, { refetch }] = createResource(input, async (i) => {
    const page = await trpc.calls.list.query(i);
    setExtra([]);
    setCursor(page.nextCursor);
    grid.setSelected([]);
    return page;
  });
  const rows = () => [...(data.latest?.items ?? []), ...extra()];
  const exportRows = (which: TCall[]) => downloadGridCsv(`calls-${new Date().toISOString().slice(0, 10)}.csv`, COLUMNS, grid.visible(), which);
  const currentView = (): TViewState => ({ filters: { q: search(), status: status(), from: from(), to: to() }, sort: null, columns: grid.visible() });
  const applyView = (v: TViewState) => {
    const str = (k: string) => (typeof v.filters[k] === "string" ? (v.filters[k] as string) : "");
    setSearch(str("q"));
    setSearchBox(str("q"));
    setStatus(str("status"));
    setFrom(str("from"));
    setTo(str("to"));
    if (v.columns?.length) grid.setVisible(v.columns.filter((c) => COLUMNS.some((x) => x.id === c)));
  };
  // Transcript matches (what callers and Kesher said), best first.
  const [hits] = createResource(
    () => search().trim() || null,
    // The list above shows test calls (marked), so their transcripts are searchable here too.
    async (q) => (await trpc.calls.search.query({ q, includeTest: true })).turns,
  );
  onLiveEvent((e) => {
    if (e.type === "call.started" || e.type === "call.ended" || e.type === "call.updated") void refetch();
  });
  const more = async () => {
    const c = cursor();
    if (!c) return;
    const page = await trpc.calls.list.query({ ...input(), cursor: c });
    setExtra([...extra(), ...page.items]);
    setCursor(page.nextCursor);
  };

  const hasTest = () => [...(data.latest?.items ?? []), ...extra()].some((c) => c.direction === "test");
  const removeTest = async () => {
    if (!confirm("למחוק את כל שיחות הניסיון ואת הלידים שנוצרו בהן?")) return;
    const r = await trpc.calls.deleteTestData.mutate({});
    toast({ kind: "success", title: deletedText(r.calls, r.customers ?? 0) });
    void refetch();
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  return (
    <div>
      <PageHeader
        title="שיחות"
        subtitle="כל השיחות שקשר ענה עליהן, עם תמלול מלא"
        actions={
          <>
            <Show when={hasTest()}>
              <Button variant="ghost" onClick={removeTest} data-testid="delete-test-calls">
                מחיקת שיחות הניסיון
              </Button>
            </Show>
            <Button variant="secondary" onClick={() => exportRows(rows())} disabled={rows().length === 0}>
              ייצוא המוצג
            </Button>
          </>
        }
      />
      <div class="mb-4 flex flex-wrap items-center gap-2">
        <div class="relative min-w-[220px] flex-1">
          <Icon name="search" class="pointer-events-none absolute start-3 top-1/2 size-4 -translate-y-1/2 text-muted" />
          <Input
            type="search"
            class="ps-9"
            aria-label="חיפוש שיחות"
            placeholder="חיפוש בתמלול, שם או טלפון…"
            value={searchBox()}
            onInput={(e) => {
              const v = e.currentTarget.value;
              setSearchBox(v);
              clearTimeout(timer);
              timer = setTimeout(() => setSearch(v), 250);
            }}
          />
        </div>
        <Select aria-label="סינון לפי סטטוס" class="w-40" options={optionsOf(CALL_STATUS)} placeholder="כל הסטטוסים" value={status()} onChange={(e) => setStatus(e.currentTarget.value)} />
        <div class="flex items-center gap-1 text-sm text-muted">
          מתאריך
          <DateField label="מתאריך" value={from()} onChange={setFrom} optional />
        </div>
        <div class="flex items-center gap-1 text-sm text-muted">
          עד
          <DateField label="עד תאריך" value={to()} onChange={setTo} optional />
        </div>
      </div>
      <div class="mb-3 flex flex-wrap items-center justify-between gap-2">
        <SavedViews page="calls" current={currentView} onApply={applyView} />
        <ColumnChooser columns={COLUMNS} state={grid} />
      </div>
      <Show when={search().trim() && hits.latest?.length}>
        <Card title="מופעים בתמלולים" class="mb-4" padded={false}>
          <ul class="divide-y divide-line" data-testid="transcript-hits">
            <For each={hits.latest!.slice(0, 8)}>
              {(h) => (
                <li>
                  <A href={`/calls/${h.callId}`} class="flex items-start justify-between gap-3 px-5 py-2.5 hover:bg-slate-50">
                    <span>
                      <span class="me-2 text-xs font-semibold text-muted">{labelOf(SPEAKER, h.speaker)}</span>
                      {h.text}
                    </span>
                    <span class="shrink-0 text-sm text-muted tabular">{formatDateTime(h.startedAt)}</span>
                  </A>
                </li>
              )}
            </For>
          </ul>
        </Card>
      </Show>
      <Show when={data.error}>
        <ErrorBox error={data.error} retry={refetch} />
      </Show>
      <BulkBar count={grid.selected().length} noun={callsNoun} feminine onClear={() => grid.setSelected([])}>
        <Button size="sm" variant="secondary" onClick={() => exportRows(rows().filter((c) => grid.selected().includes(c.id)))}>
          ייצוא הנבחרות
        </Button>
      </BulkBar>
      <Show when={data.latest} fallback={<Show when={!data.error}><Spinner /></Show>}>
        {(_page) => (
          <Card padded={false}>
            <DataGrid
              columns={COLUMNS}
              rows={rows()}
              rowId={(c) => c.id}
              rowLabel={(c) => `השיחה מ־${formatDateTime(c.startedAt)}`}
              state={grid}
              onRowClick={(c) => navigate(`/calls/${c.id}`)}
              empty={<EmptyState title="לא נמצאו שיחות" hint="אפשר לנסות שיחת ניסיון מהתפריט כדי לראות איך זה עובד." />}
            />
            <Show when={cursor()}>
              <div class="border-t border-line p-3 text-center">
                <Button variant="ghost" onClick={more}>
                  טעינת שיחות נוספות
                </Button>
              </div>
            </Show>
          </Card>
        )}
      </Show>
    </div>
  );
}
