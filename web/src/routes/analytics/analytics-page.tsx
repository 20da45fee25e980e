/** Analytics: calls, AI vs transferred, latency, leads funnel, WhatsApp response, revenue; date range; CSV. */
import { createResource, createSignal, For, Show } from "solid-js";
import { Button } from "../../components/ui/button";
import { Card, PageHeader, StatCard } from "../../components/ui/card";
import { DateField } from "../../components/ui/date-field";
import { Field } from "../../components/ui/field";
import { ErrorBox, errorMessage, Spinner } from "../../components/ui/states";
import { toast } from "../../context/toasts";
import { downloadText } from "../../lib/download";
import { formatDuration } from "../../lib/format";
import { CUSTOMER_SOURCE, CUSTOMER_STATUS, SENTIMENT } from "../../lib/labels";
import { trpc } from "../../lib/trpc";
import { Agorot } from "../invoices/billing-ui";
import { HBars, StackedBars } from "./charts";

const isoDay = (d: Date) => new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
const pctText = (v: number | null) => (v === null ? "—" : `${v}%`);
const msText = (v: number | null) => (v === null ? "—" : `${Math.round(v)} ms`);
const secText = (v: number | null) => (v === null ? "—" : formatDuration(Math.round(v)));

export default function AnalyticsPage() {
  const [from, setFrom] = createSignal(isoDay(new Date(Date.now() - 29 * 86400_000)));
  const [to, setTo] = createSignal(isoDay(new Date()));
  const [report, { refetch }] = createResource(() => ({ from: from(), to: to() }), (r) => trpc.analytics.report.query(r));
  const [busy, setBusy] = createSignal(false);

  const exportCsv = async () => {
    setBusy(true);
    try {
      const r = await trpc.analytics.exportCsv.query({ from: from(), to: to() });
      downloadText(r.filename, r.csv);
    } catch (err) {
      toast({ kind: "error", title: "הייצוא נכשל", body: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <PageHeader
        title="אנליטיקה"
        actions={
          <div class="flex flex-wrap items-end gap-2">
            <Field label="מתאריך">{(id) => <DateField id={id} label="מתאריך" value={from()} onChange={setFrom} />}</Field>
            <Field label="עד תאריך">{(id) => <DateField id={id} label="עד תאריך" value={to()} onChange={setTo} />}</Field>
            <Button variant="secondary" busy={busy()} onClick={exportCsv}>
              ייצוא CSV
            </Button>
          </div>
        }
      />
      <Show when={report.error}>
        <ErrorBox error={report.error} retry={refetch} />
      </Show>
      <Show when={report.latest} fallback={<Show when={!report.error}><Spinner /></Show>}>
        {(r) => (
          <div class="grid gap-5">
            <div class="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
              <StatCard label="שיחות" value={r().calls.total} hint={
                  // Each number isolated: bidi must not move "3" next to "AI" (rough edge #17).
                  <>
                    <bdi>{r().calls.aiHandled}</bdi> טופלו ע״י <bdi>AI</bdi> · <bdi>{r().calls.transferred}</bdi> הועברו · <bdi>{r().calls.missed}</bdi> לא נענו
                  </>
                } />
              <StatCard label="משך טיפול ממוצע" value={secText(r().calls.avgHandlingSec)} />
              <StatCard label="לידים חדשים" value={r().conversion.leads} hint={
                  <>
                    צפייה <bdi dir="ltr">{pctText(r().conversion.viewingRate)}</bdi> · עסקה <bdi dir="ltr">{pctText(r().conversion.dealRate)}</bdi>
                  </>
                } />
              <StatCard label="הכנסות נטו (לפני מע״מ)" value={<Agorot value={r().revenue.netAgorot} />} hint={<>שולם: <Agorot value={r().revenue.paidAgorot} /></>} />
            </div>
            <Card title="שיחות ביום">
              <StackedBars
                label="שיחות ביום"
                days={r().days.map((d) => ({ day: d.day, values: { ai: d.aiHandled, transferred: d.transferred, other: Math.max(0, d.calls - d.aiHandled - d.transferred) } }))}
                series={[
                  { key: "ai", label: "טופלו ע״י AI", color: "#2563eb" },
                  { key: "transferred", label: "הועברו לנציג", color: "#f59e0b" },
                  { key: "other", label: "לא נענו", color: "#cbd5e1" },
                ]}
              />
            </Card>
            <div class="grid gap-5 lg:grid-cols-2">
              <Card title="משפך לידים">
                <HBars rows={r().funnel.map((f) => ({ label: CUSTOMER_STATUS[f.status]?.label ?? f.status, value: f.reached, hint: f.status === "lost" ? "" : `(${f.count} כעת)` }))} />
              </Card>
              <Card title="לידים לפי מקור">
                <HBars rows={r().leadsBySource.map((s) => ({ label: CUSTOMER_SOURCE[s.source] ?? s.source, value: s.count }))} color="#7c3aed" />
              </Card>
              <Card title="זמן תגובה לכל תור בשיחה (AI)">
                <Percentiles p={r().turnLatencyMs} fmt={msText} unit="תורות" />
              </Card>
              <Card title="סנטימנט בשיחות">
                <HBars
                  rows={r().callsBySentiment.map((x) => ({ label: SENTIMENT[x.sentiment]?.label ?? "לא נותח", value: x.count }))}
                  color="#0d9488"
                />
              </Card>
              <Card title="זמן מענה ראשון בוואטסאפ">
                <Percentiles p={r().whatsappResponseSec} fmt={secText} unit="פניות" />
              </Card>
            </div>
            <Card title="הכנסות">
              <dl class="grid gap-3 sm:grid-cols-5 text-sm">
                <For
                  each={[
                    ["חשבוניות (לפני מע״מ)", r().revenue.invoicedAgorot],
                    ["זיכויים", r().revenue.creditedAgorot],
                    ["נטו", r().revenue.netAgorot],
                    ["שולם (כולל מע״מ)", r().revenue.paidAgorot],
                    ["שולם בקישורי תשלום", r().revenue.paidViaLinksAgorot],
                  ] as [string, number][]}
                >
                  {([label, v]) => (
                    <div>
                      <dt class="text-muted">{label}</dt>
                      <dd class="text-lg font-bold">
                        <Agorot value={v} />
                      </dd>
                    </div>
                  )}
                </For>
              </dl>
            </Card>
          </div>
        )}
      </Show>
    </div>
  );
}

function Percentiles(props: { p: { count: number; avg: number | null; p50: number | null; p90: number | null; p95: number | null; p99: number | null }; fmt: (v: number | null) => string; unit: string }) {
  return (
    <dl class="grid grid-cols-3 gap-3 text-sm sm:grid-cols-6">
      <For each={[["כמות", null], ["ממוצע", props.p.avg], ["חציון", props.p.p50], ["p90", props.p.p90], ["p95", props.p.p95], ["p99", props.p.p99]] as [string, number | null][]}>
        {([label, v], i) => (
          <div>
            <dt class="text-muted">{label}</dt>
            <dd class="font-bold tabular" dir="ltr">
              {i() === 0 ? `${props.p.count} ${props.unit}` : props.fmt(v)}
            </dd>
          </div>
        )}
      </For>
    </dl>
  );
}
