/**
 * The customer's timeline: calls (with sentiment), WhatsApp/SMS, viewings
 * (with the listing), tasks, contracts, invoices, payments and notes, newest
 * first; notes are written here, each its own entry with author and time.
 */
import { A } from "@solidjs/router";
import { createSignal, For, Show } from "solid-js";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { Card } from "../../components/ui/card";
import { Money } from "../../components/ui/ltr";
import { EmptyState, errorMessage } from "../../components/ui/states";
import { toast } from "../../context/toasts";
import { formatDateTime, formatDuration } from "../../lib/format";
import { APPOINTMENT_STATUS, CALL_STATUS, labelOf, SENTIMENT, TASK_STATUS } from "../../lib/labels";
import { trpc, type TRouterOutputs } from "../../lib/trpc";

type TItem = TRouterOutputs["customers"]["get"]["timeline"][number];

const KIND_LABEL: Record<TItem["kind"], string> = {
  call: "שיחה",
  whatsapp: "וואטסאפ",
  task: "משימה",
  appointment: "פגישת צפייה",
  contract: "חוזה",
  invoice: "חשבונית",
  payment: "תשלום",
  note: "הערה",
};
const KIND_DOT: Record<TItem["kind"], string> = {
  call: "bg-brand-600",
  whatsapp: "bg-emerald-500",
  task: "bg-sky-500",
  appointment: "bg-amber-500",
  contract: "bg-violet-500",
  invoice: "bg-teal-500",
  payment: "bg-lime-500",
  note: "bg-slate-400",
};
const CONTRACT_STATUS: Record<string, string> = { draft: "טיוטה", sent: "נשלח לחתימה", signed: "נחתם", void: "בוטל" };
const PAYMENT_STATUS: Record<string, string> = { created: "נשלח קישור", paid: "שולם", failed: "נכשל", expired: "פג תוקף", cancelled: "בוטל" };

export function CustomerTimeline(props: { customerId: string; items: TItem[]; onChanged: () => void }) {
  const [text, setText] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const add = async (e: Event) => {
    e.preventDefault();
    if (!text().trim()) return;
    setBusy(true);
    try {
      await trpc.customers.addNote.mutate({ customerId: props.customerId, text: text() });
      setText("");
      props.onChanged();
    } catch (err) {
      toast({ kind: "error", title: "ההערה לא נשמרה", body: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title="ציר זמן">
      <form class="mb-5 flex flex-col gap-2" onSubmit={add} data-testid="note-form">
        <label class="text-sm font-semibold" for="new-note">
          הערה חדשה
        </label>
        <textarea
          id="new-note"
          rows={2}
          class="w-full rounded-lg border border-line px-3 py-2 focus:border-brand-500 focus:outline-none"
          placeholder="מה חשוב לזכור על הלקוח?"
          value={text()}
          onInput={(e) => setText(e.currentTarget.value)}
        />
        <div>
          <Button type="submit" size="sm" busy={busy()} disabled={!text().trim()}>
            הוספת הערה
          </Button>
        </div>
      </form>
      <Show when={props.items.length} fallback={<EmptyState title="עוד אין פעילות ללקוח" />}>
        <ol class="relative space-y-4 border-s border-line ps-5" data-testid="timeline">
          <For each={props.items}>{(item) => <TimelineEntry item={item} />}</For>
        </ol>
      </Show>
    </Card>
  );
}

function TimelineEntry(props: { item: TItem }) {
  const i = props.item;
  const kind = i.kind === "whatsapp" && i.channel === "sms" ? "SMS" : KIND_LABEL[i.kind];
  return (
    <li class="relative" data-kind={i.kind}>
      <span class={`absolute -start-[27px] top-1.5 size-3 rounded-full ring-4 ring-white ${KIND_DOT[i.kind]}`} aria-hidden="true" />
      <div class="flex flex-wrap items-center gap-2 text-sm text-muted">
        <span class="font-semibold text-ink">{kind}</span>
        <span class="tabular">{formatDateTime(i.at)}</span>
        {i.kind === "note" && i.author && <span data-testid="note-author">· {i.author}</span>}
        {i.kind === "call" && i.sentiment && <Badge tone={SENTIMENT[i.sentiment]?.tone}>{labelOf(SENTIMENT, i.sentiment)}</Badge>}
        {i.kind === "call" && i.isTest && <Badge tone="violet">שיחת ניסיון</Badge>}
      </div>
      <div class="mt-1 text-[15px]">
        {i.kind === "call" && (
          <A href={`/calls/${i.id}`} class="hover:text-brand-700">
            {labelOf(CALL_STATUS, i.status)} · <span class="tabular">{formatDuration(i.durationSec)}</span>
            {i.summary ? ` — ${i.summary}` : ""}
          </A>
        )}
        {i.kind === "whatsapp" && <p class={`inline-block rounded-xl px-3 py-1.5 ${i.direction === "in" ? "bg-slate-100" : "bg-emerald-50"}`}>{i.body ?? "(מדיה)"}</p>}
        {i.kind === "task" && (
          <span>
            {i.title} · {labelOf(TASK_STATUS, i.status)}
          </span>
        )}
        {i.kind === "appointment" && (
          <span>
            <span class="tabular">{formatDateTime(i.startsAt)}</span> · {labelOf(APPOINTMENT_STATUS, i.status)}
            {i.propertyId && (
              <>
                {" · "}
                <A href={`/properties/${i.propertyId}`} class="text-brand-700 hover:underline">
                  {i.propertyTitle ?? "נכס"}
                </A>
              </>
            )}
          </span>
        )}
        {i.kind === "contract" && (
          <A href="/contracts" class="hover:text-brand-700">
            {i.title} · {CONTRACT_STATUS[i.status] ?? i.status}
          </A>
        )}
        {i.kind === "invoice" && (
          <A href="/invoices" class="hover:text-brand-700">
            מס׳ <bdi dir="ltr">{i.number}</bdi> · <Money value={i.totalAgorot / 100} />
          </A>
        )}
        {i.kind === "payment" && (
          <span>
            <Money value={i.amountAgorot / 100} /> · {PAYMENT_STATUS[i.status] ?? i.status}
            {i.description ? ` — ${i.description}` : ""}
          </span>
        )}
        {i.kind === "note" && <p class="whitespace-pre-wrap text-slate-700">{i.text}</p>}
      </div>
    </li>
  );
}
