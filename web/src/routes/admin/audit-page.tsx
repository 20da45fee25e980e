/** Audit log (admin): who did what and when, filterable, paged. */
import { createResource, createSignal, Show } from "solid-js";
import { Button } from "../../components/ui/button";
import { Card, PageHeader } from "../../components/ui/card";
import { Input } from "../../components/ui/field";
import { DataTable } from "../../components/ui/table";
import { EmptyState, ErrorBox, Spinner } from "../../components/ui/states";
import { formatDateTime } from "../../lib/format";
import { trpc, type TRouterOutputs } from "../../lib/trpc";

type TEntry = TRouterOutputs["audit"]["list"]["items"][number];

export default function AuditPage() {
  const [entityType, setEntityType] = createSignal("");
  const [action, setAction] = createSignal("");
  const [extra, setExtra] = createSignal<TEntry[]>([]);
  const [cursor, setCursor] = createSignal<string | null>(null);
  const input = () => ({ entityType: entityType().trim() || undefined, action: action().trim() || undefined });
  const [data, { refetch }] = createResource(input, async (i) => {
    const page = await trpc.audit.list.query(i);
    setExtra([]);
    setCursor(page.nextCursor);
    return page;
  });
  const more = async () => {
    const c = cursor();
    if (!c) return;
    const page = await trpc.audit.list.query({ ...input(), cursor: c });
    setExtra([...extra(), ...page.items]);
    setCursor(page.nextCursor);
  };
  return (
    <div>
      <PageHeader title="יומן פעולות" subtitle="כל שינוי במערכת נרשם כאן" />
      <div class="mb-4 flex flex-wrap gap-2">
        <Input class="w-48" aria-label="סוג ישות" placeholder="סוג ישות (customer…)" dir="ltr" onChange={(e) => setEntityType(e.currentTarget.value)} />
        <Input class="w-48" aria-label="פעולה" placeholder="פעולה (update…)" dir="ltr" onChange={(e) => setAction(e.currentTarget.value)} />
      </div>
      <Show when={data.error}>
        <ErrorBox error={data.error} retry={refetch} />
      </Show>
      <Card padded={false}>
        <Show when={data.latest} fallback={<Show when={!data.error}><Spinner /></Show>}>
          {(page) => (
            <>
              <DataTable
                rows={[...page().items, ...extra()]}
                empty={<EmptyState title="אין רשומות" />}
                columns={[
                  { key: "at", header: "מועד", cell: (e) => <span class="tabular">{formatDateTime(e.createdAt)}</span> },
                  { key: "user", header: "משתמש", cell: (e) => e.userName ?? "מערכת" },
                  { key: "action", header: "פעולה", cell: (e) => <bdi dir="ltr" class="font-mono text-sm">{e.action}</bdi> },
                  { key: "entity", header: "ישות", cell: (e) => <bdi dir="ltr" class="font-mono text-sm">{e.entityType}</bdi> },
                  { key: "ip", header: "IP", cell: (e) => <bdi dir="ltr" class="tabular text-sm">{e.ip ?? "—"}</bdi> },
                ]}
              />
              <Show when={cursor()}>
                <div class="border-t border-line p-3 text-center">
                  <Button variant="ghost" onClick={more}>
                    טעינת רשומות נוספות
                  </Button>
                </div>
              </Show>
            </>
          )}
        </Show>
      </Card>
    </div>
  );
}
