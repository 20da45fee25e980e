/** Calls: table with status/date filters and Hebrew search over callers and transcripts; refreshes live. */
import { A, useNavigate } from "@solidjs/router";
import { createResource, createSignal, For, Show } from "solid-js";
import { Icon } from "../../components/icons";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { Card, PageHeader } from "../../components/ui/card";
import { Input, optionsOf, Select } from "../../components/ui/field";
import { Phone } from "../../components/ui/ltr";
import { DataTable, type TColumn } from "../../components/ui/table";
import { EmptyState, ErrorBox, Spinner } from "../../components/ui/states";
import { onLiveEvent } from "../../context/live";
import { toast } from "../../context/toasts";
import { formatDateTime, formatDuration, formatMs } from "../../lib/format";
import { CALL_STATUS, labelOf, SPEAKER } from "../../lib/labels";
import { trpc, type TRouterOutputs } from "../../lib/trpc";

type TCall = TRouterOutputs["calls"]["list"]["items"][number];

const COLUMNS: TColumn<TCall>[] = [
  { key: "when", header: "מועד", cell: (c) => <span class="tabular">{formatDateTime(c.startedAt)}</span> },
  {
    key: "who",
    header: "מתקשר",
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
  { key: "status", header: "סטטוס", cell: (c) => <Badge tone={CALL_STATUS[c.status]?.tone}>{labelOf(CALL_STATUS, c.status)}</Badge> },
  { key: "duration", header: "משך", cell: (c) => <span class="tabular">{formatDuration(c.durationSec)}</span> },
  { key: "latency", header: "זמן תגובה ממוצע", cell: (c) => <bdi dir="ltr" class="tabular">{formatMs(c.metrics.avgTurnMs)}</bdi> },
  { key: "summary", header: "סיכום", cell: (c) => <span class="line-clamp-2 text-sm text-slate-600">{c.summary ?? (c.callSid.startsWith("TEST-") ? "שיחת ניסיון" : "—")}</span> },
];

export default function CallsPage() {
  const navigate = useNavigate();
  const [search, setSearch] = createSignal("");
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
    return page;
  });
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
    toast({ kind: "success", title: `נמחקו ${r.calls === 1 ? "שיחת ניסיון אחת" : `${r.calls} שיחות ניסיון`}${r.customers ? ` ו־${r.customers === 1 ? "ליד אחד" : `${r.customers} לידים`}` : ""}` });
    void refetch();
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  return (
    <div>
      <PageHeader
        title="שיחות"
        subtitle="כל השיחות שקשר ענה עליהן, עם תמלול מלא"
        actions={
          <Show when={hasTest()}>
            <Button variant="ghost" onClick={removeTest} data-testid="delete-test-calls">
              מחיקת שיחות הניסיון
            </Button>
          </Show>
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
            onInput={(e) => {
              const v = e.currentTarget.value;
              clearTimeout(timer);
              timer = setTimeout(() => setSearch(v), 250);
            }}
          />
        </div>
        <Select aria-label="סינון לפי סטטוס" class="w-40" options={optionsOf(CALL_STATUS)} placeholder="כל הסטטוסים" value={status()} onChange={(e) => setStatus(e.currentTarget.value)} />
        <label class="flex items-center gap-1 text-sm text-muted">
          מתאריך
          <Input type="date" class="w-40" value={from()} onChange={(e) => setFrom(e.currentTarget.value)} />
        </label>
        <label class="flex items-center gap-1 text-sm text-muted">
          עד
          <Input type="date" class="w-40" value={to()} onChange={(e) => setTo(e.currentTarget.value)} />
        </label>
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
      <Show when={data.latest} fallback={<Show when={!data.error}><Spinner /></Show>}>
        {(page) => (
          <Card padded={false}>
            <DataTable
              columns={COLUMNS}
              rows={[...page().items, ...extra()]}
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
