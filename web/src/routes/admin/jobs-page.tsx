/**
 * Background jobs (admin): the jobs that failed their last attempt (analysis,
 * recording transcription, reminders, payment-link expiry), why they failed,
 * and "retry" to put one back in its queue.
 */
import { createResource, createSignal, For, Show } from "solid-js";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { Card, PageHeader } from "../../components/ui/card";
import { DataTable } from "../../components/ui/table";
import { EmptyState, ErrorBox, errorMessage, Spinner } from "../../components/ui/states";
import { formatDateTime } from "../../lib/format";
import { trpc, type TRouterOutputs } from "../../lib/trpc";

type TFailed = TRouterOutputs["jobs"]["failed"][number];

const QUEUES: { value: string; label: string }[] = [
  { value: "", label: "כל התורים" },
  { value: "call-analysis", label: "ניתוח שיחה" },
  { value: "recording-transcription", label: "תמלול הקלטה" },
  { value: "task-reminders", label: "תזכורות משימות" },
  { value: "payment-link-expiry", label: "תפוגת קישורי תשלום" },
  { value: "viewing-confirmation", label: "אישור פגישת צפייה" },
  { value: "viewing-reminders", label: "תזכורות לפגישות צפייה" },
];

export default function JobsPage() {
  const [queue, setQueue] = createSignal("");
  const [busy, setBusy] = createSignal<string | null>(null);
  const [notice, setNotice] = createSignal<{ tone: "green" | "red"; text: string } | null>(null);
  const [data, { refetch }] = createResource(queue, (q) => trpc.jobs.failed.query(q ? { queue: q } : {}));

  const retry = async (job: TFailed) => {
    setBusy(job.id);
    setNotice(null);
    try {
      await trpc.jobs.retry.mutate({ queue: job.queue, id: job.id });
      setNotice({ tone: "green", text: `המשימה "${job.queueLabel}" הוחזרה לתור ותרוץ שוב בקרוב` });
      await refetch();
    } catch (err) {
      setNotice({ tone: "red", text: errorMessage(err) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <div>
      <PageHeader
        title="משימות רקע"
        subtitle="משימות שנכשלו אחרי כל הניסיונות החוזרים, עם הסיבה. אפשר להחזיר משימה לתור אחרי שהתקלה טופלה."
        actions={
          <Button variant="secondary" onClick={() => void refetch()}>
            רענון
          </Button>
        }
      />
      <div class="mb-4 flex flex-wrap items-center gap-2">
        <label class="text-sm text-muted" for="jobs-queue">
          תור
        </label>
        <select id="jobs-queue" class="h-10 rounded-lg border border-line bg-white px-3 text-[15px]" onChange={(e) => setQueue(e.currentTarget.value)}>
          <For each={QUEUES}>{(q) => <option value={q.value}>{q.label}</option>}</For>
        </select>
      </div>
      <Show when={notice()}>
        {(n) => (
          <div role="status" class={`mb-4 rounded-lg px-4 py-3 text-sm ${n().tone === "green" ? "bg-emerald-50 text-emerald-800" : "bg-red-50 text-red-700"}`}>
            {n().text}
          </div>
        )}
      </Show>
      <Show when={data.error}>
        <ErrorBox error={data.error} retry={refetch} />
      </Show>
      <Card padded={false}>
        <Show when={data.latest} fallback={<Show when={!data.error}><Spinner /></Show>}>
          {(rows) => (
            <DataTable
              rows={rows()}
              empty={<EmptyState title="אין משימות שנכשלו" hint="כל משימות הרקע הסתיימו בהצלחה" />}
              columns={[
                { key: "queue", header: "סוג", cell: (j) => <Badge tone="red">{j.queueLabel}</Badge> },
                { key: "reason", header: "סיבת הכישלון", cell: (j) => <bdi dir="ltr" class="block max-w-md break-words font-mono text-xs text-ink">{j.reason}</bdi> },
                { key: "attempts", header: "ניסיונות", cell: (j) => <span class="tabular">{j.attempts}</span> },
                { key: "failedAt", header: "נכשלה", cell: (j) => <span class="tabular">{j.failedAt ? formatDateTime(j.failedAt) : "—"}</span> },
                { key: "key", header: "מפתח", cell: (j) => <bdi dir="ltr" class="font-mono text-xs text-muted">{j.key ?? "—"}</bdi> },
                {
                  key: "actions",
                  header: "",
                  cell: (j) => (
                    <Button size="sm" variant="secondary" busy={busy() === j.id} onClick={() => void retry(j)}>
                      ניסיון חוזר
                    </Button>
                  ),
                },
              ]}
            />
          )}
        </Show>
      </Card>
    </div>
  );
}
