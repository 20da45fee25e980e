/**
 * Book a viewing from anywhere (the viewings page, a property page): pick the
 * customer and the listing (either may be fixed by the page), a day and a time
 * in Israel time (a customer page fixes the customer and offers its matches
 * first). Before booking the server says whether the business is
 * closed then (Saturday, outside opening hours) and whether the slot is taken;
 * the booking itself is appointments.create, the one booking service, whose
 * Hebrew conflict message is shown if someone got there first.
 */
import { createMemo, createResource, createSignal, For, Show } from "solid-js";
import { Button } from "../../components/ui/button";
import { Field, Input, Select } from "../../components/ui/field";
import { Modal } from "../../components/ui/modal";
import { Phone } from "../../components/ui/ltr";
import { errorMessage } from "../../components/ui/states";
import { toast } from "../../context/toasts";
import { dayKey, formatDate, formatDateTime, formatWeekday } from "../../lib/format";
import { trpc, type TRouterOutputs } from "../../lib/trpc";

type TAppointment = TRouterOutputs["appointments"]["create"];
export type TPickedCustomer = { id: string; fullName: string | null; phone: string | null };

const TZ = "Asia/Jerusalem";
const DURATION_MIN = 45;
const tzParts = new Intl.DateTimeFormat("en-US", { timeZone: TZ, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });

/** "2030-01-06" + "10:30" in Israel time → the instant. */
export function israelInstant(day: string, hhmm: string): Date {
  const [y, m, d] = day.split("-").map(Number);
  const [h, mi] = hhmm.split(":").map(Number);
  const wall = Date.UTC(y!, m! - 1, d!, h!, mi!);
  const offset = (t: number) => {
    const p = Object.fromEntries(tzParts.formatToParts(new Date(t)).map((x) => [x.type, Number(x.value)]));
    return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour! % 24, p.minute!) - t;
  };
  const first = wall - offset(wall);
  return new Date(wall - offset(first));
}

/** The next four weeks as select options, labelled the Israeli way ("יום שני 07/01"). */
function dayOptions(now: Date) {
  const seen = new Set<string>();
  const out: { value: string; label: string }[] = [];
  for (let i = 0; i < 30; i++) {
    const d = new Date(now.getTime() + i * 86_400_000);
    const key = dayKey(d);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ value: key, label: `${i === 0 ? "היום, " : i === 1 ? "מחר, " : ""}${formatWeekday(d)} ${formatDate(d).slice(0, 5)}` });
  }
  return out;
}

const TIMES = Array.from({ length: (21 - 7) * 4 + 1 }, (_, i) => {
  const m = 7 * 60 + i * 15;
  const v = `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
  return { value: v, label: v };
});

export function BookViewingDialog(props: {
  open: boolean;
  onClose: () => void;
  /** The booked viewing and its customer (the page's name lookup may predate a new customer). */
  onBooked: (a: TAppointment, customer: TPickedCustomer) => void;
  /** Fixed listing (property page); otherwise chosen here. */
  propertyId?: string;
  propertyTitle?: string;
  /** Fixed customer (customer page): not searched, not replaceable. */
  customer?: TPickedCustomer;
  /** Listings offered first (the customer's matches), in this order. */
  suggestedPropertyIds?: string[];
}) {
  const days = dayOptions(new Date());
  const [picked, setCustomer] = createSignal<TPickedCustomer | null>(null);
  const customer = () => props.customer ?? picked();
  const [query, setQuery] = createSignal("");
  const [propertyId, setPropertyId] = createSignal(props.propertyId ?? "");
  const [day, setDay] = createSignal(days[1]?.value ?? days[0]!.value);
  const [time, setTime] = createSignal("10:00");
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);

  const [found] = createResource(
    () => (props.open && !customer() ? query().trim() : false) as string | false,
    async (q) => (await trpc.customers.list.query({ search: q || undefined, limit: 8, sort: "updated" })).items,
  );
  const [listings] = createResource(
    () => props.open && !props.propertyId,
    async () => (await trpc.properties.list.query({})).filter((p) => p.status === "available" || p.status === "under_offer"),
  );
  const listingOptions = createMemo(() => {
    const rank = (id: string) => {
      const i = props.suggestedPropertyIds?.indexOf(id) ?? -1;
      return i < 0 ? Number.MAX_SAFE_INTEGER : i;
    };
    return [...(listings.latest ?? [])].sort((a, b) => rank(a.id) - rank(b.id)).map((p) => ({ value: p.id, label: `${rank(p.id) < Number.MAX_SAFE_INTEGER ? "מתאים · " : ""}${p.title} · ${p.city}` }));
  });
  const slot = createMemo(() => {
    const startsAt = israelInstant(day(), time());
    return { startsAt: startsAt.toISOString(), endsAt: new Date(startsAt.getTime() + DURATION_MIN * 60_000).toISOString() };
  });
  const pid = () => props.propertyId ?? propertyId();
  const [check] = createResource(
    () => (props.open ? { ...slot(), propertyId: pid() || null } : false),
    (input) => trpc.appointments.checkSlot.query(input).catch(() => ({ hoursWarning: null, clash: null })),
  );

  const reset = () => {
    setCustomer(null);
    setQuery("");
    setError(null);
  };
  const close = () => {
    reset();
    props.onClose();
  };

  const book = async (e: SubmitEvent) => {
    e.preventDefault();
    const c = customer();
    if (!c) return setError("יש לבחור לקוח");
    setBusy(true);
    setError(null);
    try {
      const created = await trpc.appointments.create.mutate({ customerId: c.id, propertyId: pid() || null, ...slot(), status: "confirmed" });
      toast({ kind: "success", title: `נקבעה צפייה ל-${formatDateTime(created.startsAt)}`, body: c.fullName ?? undefined });
      reset();
      props.onBooked(created, c);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open={props.open} title="קביעת צפייה" onClose={close}>
      <form onSubmit={book} class="flex flex-col gap-4" novalidate data-testid="book-viewing">
        <Field label="לקוח">
          {(id) => (
            <Show
              when={customer()}
              fallback={
                <div>
                  <Input id={id} type="search" placeholder="חיפוש לפי שם או טלפון" value={query()} onInput={(e) => setQuery(e.currentTarget.value)} autocomplete="off" />
                  <ul class="mt-1 max-h-52 divide-y divide-line overflow-y-auto rounded-lg border border-line" role="listbox" aria-label="לקוחות">
                    <For each={found.latest ?? []} fallback={<li class="px-3 py-2 text-sm text-muted">{found.loading ? "מחפש…" : "לא נמצאו לקוחות"}</li>}>
                      {(c) => (
                        <li>
                          <button type="button" role="option" class="flex w-full items-center justify-between gap-2 px-3 py-2 text-start hover:bg-brand-50" onClick={() => setCustomer(c)}>
                            <span class="font-semibold">{c.fullName ?? "ללא שם"}</span>
                            <span class="text-sm text-muted">
                              <Phone value={c.phone} />
                            </span>
                          </button>
                        </li>
                      )}
                    </For>
                  </ul>
                </div>
              }
            >
              {(c) => (
                <div class="flex h-10 items-center justify-between rounded-lg border border-brand-200 bg-brand-50 px-3" data-testid="picked-customer">
                  <span>
                    <span class="font-semibold">{c().fullName ?? "ללא שם"}</span>{" "}
                    <span class="text-sm text-muted">
                      <Phone value={c().phone} />
                    </span>
                  </span>
                  <Show when={!props.customer}>
                    <button type="button" class="text-sm text-brand-700 hover:underline" onClick={() => setCustomer(null)}>
                      החלפה
                    </button>
                  </Show>
                </div>
              )}
            </Show>
          )}
        </Field>
        <Show when={!props.propertyId} fallback={<p class="text-sm text-muted">נכס: <span class="font-semibold text-ink">{props.propertyTitle}</span></p>}>
          <Field label="נכס">
            {(id) => (
              <Select
                id={id}
                placeholder="ללא נכס מסוים"
                options={listingOptions()}
                value={propertyId()}
                onChange={(e) => setPropertyId(e.currentTarget.value)}
              />
            )}
          </Field>
        </Show>
        <div class="grid grid-cols-2 gap-3">
          <Field label="יום">{(id) => <Select id={id} name="day" options={days} value={day()} onChange={(e) => setDay(e.currentTarget.value)} />}</Field>
          <Field label="שעה" hint={`${DURATION_MIN} דקות`}>
            {(id) => <Select id={id} name="time" dir="ltr" options={TIMES} value={time()} onChange={(e) => setTime(e.currentTarget.value)} />}
          </Field>
        </div>
        <Show when={check.latest?.hoursWarning}>
          {(w) => (
            <p class="rounded-lg border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900" role="status" data-testid="hours-warning">
              {w()}
            </p>
          )}
        </Show>
        {/* A refusal on submit says the same in an alert: the look before booking gives way to it. */}
        <Show when={!error() && check.latest?.clash}>
          {(c) => (
            <p class="rounded-lg border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800" role="status">
              {c()}
            </p>
          )}
        </Show>
        <Show when={error()}>
          <p class="text-sm text-red-600" role="alert">
            {error()}
          </p>
        </Show>
        <div class="flex justify-end gap-2">
          <Button variant="secondary" onClick={close}>
            ביטול
          </Button>
          <Button type="submit" busy={busy()}>
            {check.latest?.hoursWarning ? "קביעה בכל זאת" : "קביעת צפייה"}
          </Button>
        </div>
      </form>
    </Modal>
  );
}
