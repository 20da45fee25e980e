/** Assign one lead, task or viewing to an agent, in place (the select saves on change). */
import { createSignal, For } from "solid-js";
import { toast } from "../../context/toasts";
import { assigneeName, assignees } from "../../lib/assignees";
import { trpc } from "../../lib/trpc";
import { errorMessage } from "../ui/states";

export function AssigneeSelect(props: {
  entity: "customer" | "task" | "appointment";
  id: string;
  value: string | null;
  onSaved?: (userId: string | null) => void;
  class?: string;
}) {
  const [busy, setBusy] = createSignal(false);
  const change = async (raw: string) => {
    const userId = raw || null;
    setBusy(true);
    try {
      await trpc.assignments.assign.mutate({ entity: props.entity, ids: [props.id], userId });
      toast({ kind: "success", title: userId ? `שויך ל${assigneeName(userId) ?? "נציג"}` : "השיוך הוסר" });
      props.onSaved?.(userId);
    } catch (err) {
      toast({ kind: "error", title: "השיוך נכשל", body: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <select
      aria-label="נציג מטפל"
      disabled={busy()}
      class={`h-8 rounded-lg border border-line bg-white px-2 text-sm ${props.class ?? ""}`}
      onClick={(e) => e.stopPropagation()}
      onChange={(e) => void change(e.currentTarget.value)}
    >
      <option value="" selected={!props.value}>
        ללא נציג
      </option>
      <For each={assignees()}>
        {(a) => (
          <option value={a.id} selected={props.value === a.id}>
            {a.fullName}
          </option>
        )}
      </For>
    </select>
  );
}
