/** Tasks: open/done lists, "המשימות שלי", add a task, assign it, complete with one click. */
import { A } from "@solidjs/router";
import { createResource, createSignal, For, Show } from "solid-js";
import { AssigneeSelect } from "../../components/grid/assignee-select";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { Card, PageHeader } from "../../components/ui/card";
import { Field, Input, optionsOf, Select } from "../../components/ui/field";
import { EmptyState, ErrorBox, errorMessage, Spinner } from "../../components/ui/states";
import { toast } from "../../context/toasts";
import { formatDateTime } from "../../lib/format";
import { labelOf, TASK_PRIORITY, TASK_STATUS } from "../../lib/labels";
import { trpc, type TRouterOutputs } from "../../lib/trpc";

type TTask = TRouterOutputs["tasks"]["list"][number];

export default function TasksPage() {
  const [status, setStatus] = createSignal<TTask["status"]>("open");
  const [mine, setMine] = createSignal(false);
  const [data, { refetch }] = createResource(
    () => ({ status: status(), mine: mine() || undefined }),
    (input) => trpc.tasks.list.query(input),
  );
  const [title, setTitle] = createSignal("");
  const [due, setDue] = createSignal("");
  const [priority, setPriority] = createSignal<TTask["priority"]>("normal");
  const [busy, setBusy] = createSignal(false);

  const add = async (e: SubmitEvent) => {
    e.preventDefault();
    if (!title().trim()) return toast({ kind: "error", title: "יש לכתוב את המשימה" });
    setBusy(true);
    try {
      await trpc.tasks.create.mutate({ title: title().trim(), priority: priority(), dueAt: due() ? new Date(due()).toISOString() : undefined });
      setTitle("");
      setDue("");
      toast({ kind: "success", title: "המשימה נוספה" });
      void refetch();
    } catch (err) {
      toast({ kind: "error", title: "ההוספה נכשלה", body: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };
  const complete = async (t: TTask) => {
    try {
      await trpc.tasks.complete.mutate({ id: t.id });
      toast({ kind: "success", title: "כל הכבוד! המשימה בוצעה" });
      void refetch();
    } catch (err) {
      toast({ kind: "error", title: "העדכון נכשל", body: errorMessage(err) });
    }
  };

  return (
    <div>
      <PageHeader
        title="משימות"
        actions={
          <>
            <Button variant={mine() ? "primary" : "secondary"} aria-pressed={mine()} onClick={() => setMine(!mine())}>
              המשימות שלי
            </Button>
            <Select aria-label="סטטוס משימות" class="w-36" options={optionsOf(TASK_STATUS)} value={status()} onChange={(e) => setStatus(e.currentTarget.value as TTask["status"])} />
          </>
        }
      />
      <Card class="mb-5">
        <form onSubmit={add} class="flex flex-wrap items-end gap-3">
          <Field label="משימה חדשה" class="min-w-[240px] flex-1">
            {(id) => <Input id={id} value={title()} placeholder="למשל: לחזור לדני לגבי הדירה ברמת גן" onInput={(e) => setTitle(e.currentTarget.value)} />}
          </Field>
          <Field label="מועד">{(id) => <Input id={id} type="datetime-local" value={due()} onInput={(e) => setDue(e.currentTarget.value)} />}</Field>
          <Field label="עדיפות">
            {(id) => <Select id={id} class="w-28" options={optionsOf(TASK_PRIORITY)} value={priority()} onChange={(e) => setPriority(e.currentTarget.value as TTask["priority"])} />}
          </Field>
          <Button type="submit" busy={busy()}>
            הוספה
          </Button>
        </form>
      </Card>
      <Show when={data.error}>
        <ErrorBox error={data.error} retry={refetch} />
      </Show>
      <Card padded={false}>
        <Show when={data.latest} fallback={<Show when={!data.error}><Spinner /></Show>}>
          {(list) => (
            <Show when={list().length} fallback={<EmptyState title={status() === "open" ? "אין משימות פתוחות" : "אין משימות"} />}>
              <ul class="divide-y divide-line">
                <For each={list()}>
                  {(t) => (
                    <li class="flex flex-wrap items-center justify-between gap-3 px-5 py-3">
                      <div class="flex items-start gap-3">
                        <Show when={t.status === "open"}>
                          <input type="checkbox" class="mt-1.5 size-4 accent-brand-700" aria-label={`סימון "${t.title}" כבוצעה`} onChange={() => complete(t)} />
                        </Show>
                        <div>
                          <div class={`font-semibold ${t.status === "done" ? "text-muted line-through" : ""}`}>{t.title}</div>
                          <div class="text-sm text-muted">
                            {t.dueAt ? <span class="tabular">{formatDateTime(t.dueAt)}</span> : "ללא מועד"}
                            <Show when={t.customerId}>
                              {" · "}
                              <A href={`/customers/${t.customerId}`} class="text-brand-700 hover:underline" data-testid="task-customer">
                                {t.customerName ?? "ללקוח"}
                              </A>
                            </Show>
                          </div>
                        </div>
                      </div>
                      <div class="flex items-center gap-2">
                        <AssigneeSelect entity="task" id={t.id} value={t.assignedUserId} onSaved={() => mine() && void refetch()} />
                        <Badge tone={TASK_PRIORITY[t.priority]?.tone}>עדיפות {labelOf(TASK_PRIORITY, t.priority)}</Badge>
                        <Badge tone={TASK_STATUS[t.status]?.tone}>{labelOf(TASK_STATUS, t.status)}</Badge>
                      </div>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          )}
        </Show>
      </Card>
    </div>
  );
}
