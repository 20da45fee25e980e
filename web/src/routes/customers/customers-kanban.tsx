/**
 * Kanban by status. Cards are dragged between columns (HTML5 drag and drop);
 * each card also has a status menu so moving works by keyboard and on phones.
 * Columns that run off-screen are announced by a fade and an arrow (ScrollHint).
 */
import { createSignal, For } from "solid-js";
import { ScrollHint } from "../../components/scroll-hint";
import { Phone } from "../../components/ui/ltr";
import { CUSTOMER_STATUS, CUSTOMER_STATUS_ORDER, DEAL_TYPE } from "../../lib/labels";
import type { TRouterOutputs } from "../../lib/trpc";

type TCustomer = TRouterOutputs["customers"]["list"]["items"][number];
type TStatus = TCustomer["status"];

export function CustomersKanban(props: { customers: TCustomer[]; onMove: (id: string, to: TStatus) => void; onOpen: (id: string) => void }) {
  const [over, setOver] = createSignal<string | null>(null);
  const column = (s: TStatus) => props.customers.filter((c) => c.status === s);

  return (
    <ScrollHint class="flex gap-3 overflow-x-auto pb-3" data-testid="kanban" label="לוח סטטוסים">
      <For each={[...CUSTOMER_STATUS_ORDER]}>
        {(status) => (
          <section
            data-status={status}
            aria-label={CUSTOMER_STATUS[status]!.label}
            class={`flex w-56 shrink-0 flex-col rounded-xl border bg-slate-50 transition-colors ${over() === status ? "border-brand-500 bg-brand-50" : "border-line"}`}
            onDragOver={(e) => {
              e.preventDefault();
              setOver(status);
            }}
            onDragLeave={() => setOver(null)}
            onDrop={(e) => {
              e.preventDefault();
              setOver(null);
              const id = e.dataTransfer?.getData("text/plain");
              const card = props.customers.find((c) => c.id === id);
              if (card && card.status !== status) props.onMove(card.id, status);
            }}
          >
            <header class="flex items-center justify-between px-3 py-2">
              <h3 class="font-bold">{CUSTOMER_STATUS[status]!.label}</h3>
              <span class="rounded-full bg-white px-2 text-sm text-muted tabular">{column(status).length}</span>
            </header>
            <div class="flex min-h-24 flex-1 flex-col gap-2 px-2 pb-2">
              <For each={column(status)}>
                {(c) => (
                  <article
                    draggable="true"
                    data-customer-id={c.id}
                    class="cursor-grab rounded-lg border border-line bg-white p-3 shadow-sm active:cursor-grabbing"
                    onDragStart={(e) => {
                      e.dataTransfer?.setData("text/plain", c.id);
                      if (e.dataTransfer) e.dataTransfer.effectAllowed = "move";
                    }}
                  >
                    <button type="button" class="text-start font-semibold hover:text-brand-700" onClick={() => props.onOpen(c.id)}>
                      {c.fullName || "ללא שם"}
                    </button>
                    <div class="mt-0.5 text-sm text-muted">
                      <Phone value={c.phone} />
                    </div>
                    <div class="mt-1 text-xs text-slate-500">
                      {[c.requirements.dealType && DEAL_TYPE[c.requirements.dealType], c.requirements.cities?.[0]].filter(Boolean).join(" · ")}
                    </div>
                    <select
                      aria-label={`העברת ${c.fullName ?? "לקוח"} לסטטוס`}
                      class="mt-2 w-full rounded-md border border-line bg-white px-2 py-1 text-xs text-muted"
                      onChange={(e) => props.onMove(c.id, e.currentTarget.value as TStatus)}
                    >
                      <For each={[...CUSTOMER_STATUS_ORDER]}>
                        {(s) => (
                          <option value={s} selected={s === c.status}>
                            {CUSTOMER_STATUS[s]!.label}
                          </option>
                        )}
                      </For>
                    </select>
                  </article>
                )}
              </For>
            </div>
          </section>
        )}
      </For>
    </ScrollHint>
  );
}
