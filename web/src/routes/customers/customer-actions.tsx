/**
 * Quick actions on a customer: book a viewing (the shared booking dialog: the
 * customer fixed, their matches first, a closed day or a taken slot warned
 * before booking), add a task (he-IL date field), add a note.
 */
import { createSignal, Show } from "solid-js";
import { Button } from "../../components/ui/button";
import { Card } from "../../components/ui/card";
import { DateField } from "../../components/ui/date-field";
import { Field, Input, Textarea } from "../../components/ui/field";
import { errorMessage } from "../../components/ui/states";
import { toast } from "../../context/toasts";
import { formatDateTime } from "../../lib/format";
import { trpc, type TRouterOutputs } from "../../lib/trpc";
import { BookViewingDialog } from "../viewings/book-viewing";

type TCustomer = TRouterOutputs["customers"]["get"]["customer"];
type TMatch = TRouterOutputs["properties"]["match"][number];

/** A date field value ("2030-01-06T10:30", browser local time) as an ISO string with offset. */
function isoOf(local: string): string | null {
  if (!local) return null;
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}

export function CustomerActions(props: { customer: TCustomer; matches: TMatch[]; onChanged: () => void }) {
  const [tab, setTab] = createSignal<"viewing" | "task" | "note">("viewing");
  const [busy, setBusy] = createSignal(false);
  const [booking, setBooking] = createSignal(false);
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
        <div class="flex flex-wrap items-center justify-between gap-3">
          <p class="text-sm text-muted">יום ושעה בשעון ישראל; יום סגור או מועד תפוס מוצגים לפני הקביעה.</p>
          <Button onClick={() => setBooking(true)} data-testid="customer-book-viewing">
            קביעת צפייה…
          </Button>
        </div>
        <BookViewingDialog
          open={booking()}
          customer={{ id: props.customer.id, fullName: props.customer.fullName, phone: props.customer.phone }}
          suggestedPropertyIds={props.matches.slice(0, 15).map((m) => m.property.id)}
          onClose={() => setBooking(false)}
          onBooked={() => {
            setBooking(false);
            props.onChanged();
          }}
        />
      </Show>
      <Show when={tab() === "task"}>
        <form onSubmit={addTask} class="flex flex-wrap items-end gap-3">
          <Field label="משימה" class="min-w-[200px] flex-1">{(id) => <Input id={id} value={title()} placeholder="למשל: לשלוח הצעות נוספות" onInput={(e) => setTitle(e.currentTarget.value)} />}</Field>
          <Field label="מועד">{(id) => <DateField id={id} label="מועד המשימה" withTime optional yearsBack={0} value={due()} onChange={setDue} />}</Field>
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
