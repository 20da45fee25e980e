/** Viewings: a week calendar (Sunday first, Israeli week) or the shared table (bulk assign, export); "הצפיות שלי"; confirm / cancel / mark done. */
import { A } from "@solidjs/router";
import { createMemo, createResource, createSignal, For, Show } from "solid-js";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { PageHeader } from "../../components/ui/card";
import { ErrorBox, errorMessage, Spinner } from "../../components/ui/states";
import { onLiveEvent } from "../../context/live";
import { toast } from "../../context/toasts";
import { dayKey, formatDate, formatTime } from "../../lib/format";
import { APPOINTMENT_STATUS, labelOf, WEEKDAYS } from "../../lib/labels";
import { createNameLookups } from "../../lib/lookups";
import { trpc, type TRouterOutputs } from "../../lib/trpc";
import { BookViewingDialog } from "./book-viewing";
import { CalendarFeedButton } from "./calendar-feed";
import { ViewingsTable } from "./viewings-table";

type TAppointment = TRouterOutputs["appointments"]["list"][number];

/** Sunday 00:00 (local) of the week containing `d`. */
function weekStart(d: Date): Date {
  const s = new Date(d);
  s.setHours(0, 0, 0, 0);
  s.setDate(s.getDate() - s.getDay());
  return s;
}

export default function ViewingsPage() {
  const names = createNameLookups();
  const [mode, setMode] = createSignal<"week" | "list">("week");
  const [start, setStart] = createSignal(weekStart(new Date()));
  const range = () => (mode() === "week" ? { from: start(), to: new Date(start().getTime() + 7 * 86_400_000) } : { from: new Date(Date.now() - 86_400_000), to: new Date(Date.now() + 60 * 86_400_000) });
  const [mine, setMine] = createSignal(false);
  const [data, { refetch, mutate }] = createResource(
    () => ({ from: range().from.toISOString(), to: range().to.toISOString(), mine: mine() || undefined }),
    (i) => trpc.appointments.list.query(i),
  );
  onLiveEvent((e) => e.type === "appointment.booked" && void refetch());
  const [booking, setBooking] = createSignal(false);

  const days = createMemo(() => Array.from({ length: 7 }, (_, i) => new Date(start().getTime() + i * 86_400_000)));
  const byDay = createMemo(() => {
    const m = new Map<string, TAppointment[]>();
    for (const a of data.latest ?? []) m.set(dayKey(a.startsAt), [...(m.get(dayKey(a.startsAt)) ?? []), a]);
    return m;
  });

  const setStatus = async (a: TAppointment, status: TAppointment["status"]) => {
    try {
      const updated = await trpc.appointments.update.mutate({ id: a.id, status });
      mutate((list) => list?.map((x) => (x.id === a.id ? { ...x, ...updated } : x)));
      toast({ kind: "success", title: `הפגישה ${labelOf(APPOINTMENT_STATUS, status)}` });
    } catch (err) {
      toast({ kind: "error", title: "העדכון נכשל", body: errorMessage(err) });
    }
  };

  const Actions = (p: { a: TAppointment }) => (
    <div class="mt-2 flex flex-wrap gap-1">
      <Show when={p.a.status === "requested"}>
        <Button size="sm" onClick={() => setStatus(p.a, "confirmed")}>
          אישור
        </Button>
      </Show>
      <Show when={p.a.status === "requested" || p.a.status === "confirmed"}>
        <Button size="sm" variant="secondary" onClick={() => setStatus(p.a, "done")}>
          התקיימה
        </Button>
        <Button size="sm" variant="ghost" onClick={() => setStatus(p.a, "cancelled")}>
          ביטול
        </Button>
      </Show>
    </div>
  );

  return (
    <div>
      <PageHeader
        title="פגישות צפייה"
        actions={
          <>
            <Button variant={mine() ? "primary" : "secondary"} aria-pressed={mine()} onClick={() => setMine(!mine())}>
              הצפיות שלי
            </Button>
            <Button onClick={() => setBooking(true)}>קביעת צפייה</Button>
            <CalendarFeedButton />
            <div class="inline-flex rounded-lg border border-line bg-white p-0.5">
              <button type="button" class={`rounded-md px-3 py-1.5 text-sm font-semibold ${mode() === "week" ? "bg-brand-50 text-brand-800" : "text-muted"}`} onClick={() => setMode("week")}>
                שבוע
              </button>
              <button type="button" class={`rounded-md px-3 py-1.5 text-sm font-semibold ${mode() === "list" ? "bg-brand-50 text-brand-800" : "text-muted"}`} onClick={() => setMode("list")}>
                רשימה
              </button>
            </div>
            <Show when={mode() === "week"}>
              <Button variant="secondary" onClick={() => setStart(new Date(start().getTime() - 7 * 86_400_000))}>
                השבוע הקודם
              </Button>
              <Button variant="secondary" onClick={() => setStart(weekStart(new Date()))}>
                היום
              </Button>
              <Button variant="secondary" onClick={() => setStart(new Date(start().getTime() + 7 * 86_400_000))}>
                השבוע הבא
              </Button>
            </Show>
          </>
        }
      />
      <BookViewingDialog
        open={booking()}
        onClose={() => setBooking(false)}
        onBooked={(a, c) => {
          setBooking(false);
          names.rememberCustomer(c.id, c.fullName);
          if (mode() === "week") setStart(weekStart(new Date(a.startsAt)));
          void refetch();
        }}
      />
      <Show when={data.error}>
        <ErrorBox error={data.error} retry={refetch} />
      </Show>
      <Show when={data.latest} fallback={<Show when={!data.error}><Spinner /></Show>}>
        <Show
          when={mode() === "week"}
          fallback={
            <ViewingsTable
              rows={data.latest!}
              customerName={names.customerName}
              propertyTitle={names.propertyTitle}
              actions={(a) => <Actions a={a} />}
              onChanged={() => void refetch()}
            />
          }
        >
          <div class="grid gap-2 md:grid-cols-7" data-testid="week">
            <For each={days()}>
              {(d) => (
                <div class={`min-h-40 rounded-xl border bg-white p-2 ${dayKey(d) === dayKey(new Date()) ? "border-brand-500" : "border-line"}`}>
                  <div class="mb-2 flex items-baseline justify-between text-sm">
                    <span class="font-bold">{WEEKDAYS[d.getDay()]}</span>
                    <span class="tabular text-muted">{formatDate(d).slice(0, 5)}</span>
                  </div>
                  <div class="space-y-2">
                    <For each={byDay().get(dayKey(d)) ?? []}>
                      {(a) => (
                        <div class="rounded-lg border border-line bg-slate-50 p-2 text-sm">
                          <div class="flex items-center justify-between">
                            <span class="tabular font-semibold">{formatTime(a.startsAt)}</span>
                            <Badge tone={APPOINTMENT_STATUS[a.status]?.tone}>{labelOf(APPOINTMENT_STATUS, a.status)}</Badge>
                          </div>
                          <div class="mt-1">
                            <Show when={a.customerId} fallback="לקוח">
                              <A href={`/customers/${a.customerId}`} class="hover:text-brand-700 hover:underline">
                                {names.customerName(a.customerId) ?? "לקוח"}
                              </A>
                            </Show>
                          </div>
                          <Show when={names.propertyTitle(a.propertyId)}>
                            <div class="text-xs text-muted">{names.propertyTitle(a.propertyId)}</div>
                          </Show>
                          <Actions a={a} />
                        </div>
                      )}
                    </For>
                  </div>
                </div>
              )}
            </For>
          </div>
        </Show>
      </Show>
    </div>
  );
}
