/**
 * The bar above a table while rows are selected: how many, and the actions
 * (assign to an agent, and whatever the page adds: status, tag, export).
 */
import { For, Show, type JSX } from "solid-js";
import { assignees } from "../../lib/assignees";
import { Button } from "../ui/button";

export function BulkBar(props: {
  count: number;
  noun: [one: string, many: string];
  /** The noun's gender decides the singular verb: "נבחר לקוח אחד" / "נבחרה משימה אחת". */
  feminine?: boolean;
  onClear: () => void;
  onAssign?: (userId: string | null) => void;
  children?: JSX.Element;
}) {
  return (
    <Show when={props.count > 0}>
      <div class="mb-3 flex flex-wrap items-center gap-2 rounded-lg border border-brand-200 bg-brand-50 px-3 py-2" role="region" aria-label="פעולות על השורות שנבחרו" data-testid="bulk-bar">
        <span class="font-semibold text-brand-800">{props.count === 1 ? `${props.feminine ? "נבחרה" : "נבחר"} ${props.noun[0]}` : `נבחרו ${props.count} ${props.noun[1]}`}</span>
        <Show when={props.onAssign}>
          <BulkSelect
            label="שיוך לנציג"
            options={[...assignees().map((a) => ({ value: a.id, label: a.fullName })), { value: "none", label: "ללא נציג" }]}
            onPick={(v) => props.onAssign?.(v === "none" ? null : v)}
          />
        </Show>
        {props.children}
        <Button size="sm" variant="ghost" onClick={props.onClear}>
          ניקוי הבחירה
        </Button>
      </div>
    </Show>
  );
}

/**
 * A one-shot action picker for the bulk bar: choosing an option runs the
 * action and the select returns to its prompt ("שינוי סטטוס…").
 */
export function BulkSelect(props: { label: string; options: { value: string; label: string }[]; onPick: (value: string) => void }) {
  return (
    <select
      aria-label={props.label}
      class="h-8 w-40 rounded-lg border border-line bg-white ps-2 pe-7 text-sm"
      value=""
      onChange={(e) => {
        const v = e.currentTarget.value;
        e.currentTarget.value = "";
        if (v) props.onPick(v);
      }}
    >
      <option value="">{props.label}…</option>
      <For each={props.options}>{(o) => <option value={o.value}>{o.label}</option>}</For>
    </select>
  );
}
