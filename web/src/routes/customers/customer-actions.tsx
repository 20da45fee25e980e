/** Quick actions on a customer: book a viewing (conflicts come back in Hebrew), add a task, add a note. */
import { createSignal, For, Show } from "solid-js";
import { Button } from "../../components/ui/button";
import { Card } from "../../components/ui/card";
import { Field, Input, Textarea } from "../../components/ui/field";
import { errorMessage } from "../../components/ui/states";
import { toast } from "../../context/toasts";
import { formatDateTime } from "../../lib/format";
import { trpc, type TRouterOutputs } from "../../lib/trpc";

type TCustomer = TRouterOutputs["customers"]["get"]["customer"];
type TMatch = TRouterOutputs["properties"]["match"][number];

/** A datetime-local value (browser local time) as an ISO string with offset. */
function isoOf(local: string): string | null {
  if (!local) return null;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export function CustomerActions(props: { customer: TCustomer; matches: TMatch[]; onChanged: () => void }) {
  const [tab, setTab] = createSignal<"viewing" | "task" | "note">("viewing");
  const [busy, setBusy] = createSignal(false);
  const [propertyId, setPropertyId] = createSignal("");
  const [when, setWhen] = createSignal("");
  const [title, setTitle] = createSignal("");
  const [due, setDue] = createSignal("");
  const [note, setNote] = createSignal("");

  const run = async (fn: () => Promise<unknown>, ok: string, fail: string) => {
    setBusy(true);
    try {
      await fn();
      toast({ kind: "success", title: ok });
      props.onChanged();
      return true;
    } catch (err) {
      toast({ kind: "error", title: fail, body: errorMessage(err) });
      return false;
    } finally {
      setBusy(false);
    }
  };

  const book = async (e: SubmitEvent) => {
    e.preventDefault();
    const startsAt = isoOf(when());
    if (!startsAt) return toast({ kind: "error", title: "יש לבחור מועד לצפייה" });
    const endsAt = new Date(Date.parse(startsAt) + 45 * 60_000).toISOString();
    const done = await run(
      () => trpc.appointments.create.mutate({ customerId: props.customer.id, propertyId: propertyId() || null, startsAt, endsAt, status: "confirmed" }),
      `נקבעה צפייה ל-${formatDateTime(startsAt)}`,
      "לא ניתן לקבוע את הצפייה",
    );
    if (done) setWhen("");
  };
  const addTask = async (e: SubmitEvent) => {
    e.preventDefault();
    if (!title().trim()) return toast({ kind: "error", title: "יש לכתוב את המשימה" });
    const done = await run(() => trpc.tasks.create.mutate({ customerId: props.customer.id, title: title().trim(), dueAt: isoOf(due()) }), "המשימה נוספה", "ההוספה נכשלה");
    if (done) {
      setTitle("");
      setDue("");
    }
  };
  const addNote = async (e: SubmitEvent) => {
    e.preventDefault();
    const text = note().trim();
    if (!text) return toast({ kind: "error", title: "ההערה ריקה" });
    const stamped = `[${formatDateTime(new Date())}] ${text}`;
    const notes = props.customer.notes ? `${props.customer.notes}\n${stamped}` : stamped;
    const done = await run(() => trpc.customers.update.mutate({ id: props.customer.id, notes }), "ההערה נשמרה", "השמירה נכשלה");
    if (done) setNote("");
  };

  const tabClass = (t: string) => `rounded-md px-3 py-1.5 text-sm font-semibold ${tab() === t ? "bg-brand-50 text-brand-800" : "text-muted hover:text-ink"}`;
  return (
    <Card
      title="פעולות"
      actions={
        <div class="inline-flex rounded-lg border border-line bg-white p-0.5" role="tablist">
          <button type="button" role="tab" aria-selected={tab() === "viewing"} class={tabClass("viewing")} onClick={() => setTab("viewing")}>
            צפייה
          </button>
          <button type="button" role="tab" aria-selected={tab() === "task"} class={tabClass("task")} onClick={() => setTab("task")}>
            משימה
          </button>
          <button type="button" role="tab" aria-selected={tab() === "note"} class={tabClass("note")} onClick={() => setTab("note")}>
            הערה
          </button>
        </div>
      }
    >
      <Show when={tab() === "viewing"}>
        <form onSubmit={book} class="flex flex-wrap items-end gap-3">
          <Field label="נכס" class="min-w-[200px] flex-1">
            {(id) => (
              <select id={id} class="h-10 w-full rounded-lg border border-line bg-white px-3" onChange={(e) => setPropertyId(e.currentTarget.value)}>
                <option value="">ללא נכס מסוים</option>
                <For each={props.matches.slice(0, 15)}>{(m) => <option value={m.property.id}>{m.property.title}</option>}</For>
              </select>
            )}
          </Field>
          <Field label="מועד">{(id) => <Input id={id} type="datetime-local" class="w-56" value={when()} onInput={(e) => setWhen(e.currentTarget.value)} />}</Field>
          <Button type="submit" busy={busy()}>
            קביעת צפייה
          </Button>
        </form>
      </Show>
      <Show when={tab() === "task"}>
        <form onSubmit={addTask} class="flex flex-wrap items-end gap-3">
          <Field label="משימה" class="min-w-[200px] flex-1">{(id) => <Input id={id} value={title()} placeholder="למשל: לשלוח הצעות נוספות" onInput={(e) => setTitle(e.currentTarget.value)} />}</Field>
          <Field label="מועד">{(id) => <Input id={id} type="datetime-local" class="w-56" value={due()} onInput={(e) => setDue(e.currentTarget.value)} />}</Field>
          <Button type="submit" busy={busy()}>
            הוספה
          </Button>
        </form>
      </Show>
      <Show when={tab() === "note"}>
        <form onSubmit={addNote} class="flex flex-col gap-3">
          <Field label="הערה">{(id) => <Textarea id={id} rows={2} value={note()} onInput={(e) => setNote(e.currentTarget.value)} />}</Field>
          <div>
            <Button type="submit" busy={busy()}>
              שמירת הערה
            </Button>
          </div>
        </form>
      </Show>
    </Card>
  );
}
