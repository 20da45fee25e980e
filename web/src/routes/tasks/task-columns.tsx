/** The tasks table's columns: the done box, title with the customer, due, priority, status, agent. */
import { A } from "@solidjs/router";
import { Show } from "solid-js";
import { AssigneeSelect } from "../../components/grid/assignee-select";
import { Badge } from "../../components/ui/badge";
import type { TGridColumn } from "../../components/ui/data-grid";
import { assigneeName } from "../../lib/assignees";
import { formatDateTime } from "../../lib/format";
import { labelOf, TASK_PRIORITY, TASK_STATUS } from "../../lib/labels";
import type { TRouterOutputs } from "../../lib/trpc";

export type TTask = TRouterOutputs["tasks"]["list"][number];

const PRIORITY_RANK = { high: 0, normal: 1, low: 2 } as const;

/** Client-side order (the list holds every task of the status): by due date, title or priority. */
export function sortTasks(list: TTask[], sort: { id: string; desc: boolean } | null): TTask[] {
  if (!sort) return list;
  const key = (t: TTask): string | number =>
    sort.id === "title" ? t.title : sort.id === "priority" ? PRIORITY_RANK[t.priority] : sort.id === "created" ? t.createdAt : (t.dueAt ?? "9999");
  const out = [...list].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    return typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), "he");
  });
  return sort.desc ? out.reverse() : out;
}

export function taskColumns(opts: { onComplete: (t: TTask) => void; onAssigned: () => void }): TGridColumn<TTask>[] {
  return [
    {
      id: "title",
      header: "משימה",
      sortable: true,
      freeText: true,
      text: (t) => t.title,
      cell: (t) => (
        <div class="flex items-start gap-3">
          <Show when={t.status === "open"}>
            <input type="checkbox" class="mt-1.5 size-4 accent-brand-700" aria-label={`סימון "${t.title}" כבוצעה`} onChange={() => opts.onComplete(t)} />
          </Show>
          <div>
            <div class={`font-semibold ${t.status === "done" ? "text-muted line-through" : ""}`}>{t.title}</div>
            <Show when={t.customerId}>
              <A href={`/customers/${t.customerId}`} class="text-sm text-brand-700 hover:underline" data-testid="task-customer">
                {t.customerName ?? "ללקוח"}
              </A>
            </Show>
          </div>
        </div>
      ),
    },
    { id: "customer", header: "לקוח", freeText: true, text: (t) => t.customerName ?? "", cell: (t) => t.customerName ?? <span class="text-muted">—</span> },
    {
      id: "due",
      header: "מועד",
      sortable: true,
      text: (t) => (t.dueAt ? formatDateTime(t.dueAt) : ""),
      cell: (t) => (
        <span class={`tabular whitespace-nowrap ${t.overdue ? "font-semibold text-red-700" : ""}`}>{t.dueAt ? formatDateTime(t.dueAt) : <span class="text-muted">ללא מועד</span>}</span>
      ),
    },
    {
      id: "priority",
      header: "עדיפות",
      sortable: true,
      text: (t) => labelOf(TASK_PRIORITY, t.priority),
      cell: (t) => <Badge tone={TASK_PRIORITY[t.priority]?.tone}>{labelOf(TASK_PRIORITY, t.priority)}</Badge>,
    },
    { id: "status", header: "סטטוס", text: (t) => labelOf(TASK_STATUS, t.status), cell: (t) => <Badge tone={TASK_STATUS[t.status]?.tone}>{labelOf(TASK_STATUS, t.status)}</Badge> },
    {
      id: "assignee",
      header: "נציג",
      text: (t) => assigneeName(t.assignedUserId) ?? "",
      cell: (t) => <AssigneeSelect entity="task" id={t.id} value={t.assignedUserId} onSaved={opts.onAssigned} />,
    },
    { id: "created", header: "נוצרה", sortable: true, descFirst: true, text: (t) => formatDateTime(t.createdAt), cell: (t) => <span class="tabular whitespace-nowrap">{formatDateTime(t.createdAt)}</span> },
  ];
}
export const DEFAULT_TASK_COLUMNS = ["title", "due", "priority", "status", "assignee"];
