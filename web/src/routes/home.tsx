/** Overview: today's figures, latest calls, upcoming viewings, voice latency. Refreshes on live events. */
import { A, useNavigate } from "@solidjs/router";
import { createResource, For, Show } from "solid-js";
import { Icon } from "../components/icons";
import { Badge } from "../components/ui/badge";
import { Button } from "../components/ui/button";
import { Card, PageHeader, StatCard } from "../components/ui/card";
import { Phone } from "../components/ui/ltr";
import { EmptyState, ErrorBox, Spinner } from "../components/ui/states";
import { useAuth } from "../context/auth";
import { onLiveEvent } from "../context/live";
import { formatDateTime, formatMs, formatRelative, formatWeekday } from "../lib/format";
import { APPOINTMENT_STATUS, CALL_STATUS, labelOf } from "../lib/labels";
import { countOf } from "../lib/plural";
import { createNameLookups } from "../lib/lookups";
import { trpc } from "../lib/trpc";

function greeting(): string {
  const h = Number(new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Jerusalem", hour: "numeric", hourCycle: "h23" }).format(new Date()));
  if (h < 5) return "לילה טוב";
  if (h < 12) return "בוקר טוב";
  if (h < 17) return "צהריים טובים";
  return "ערב טוב";
}

export default function HomePage() {
  const auth = useAuth();
  const navigate = useNavigate();
  const names = createNameLookups();
  const [overview, { refetch: refetchOverview }] = createResource(() => trpc.analytics.overview.query({}));
  const [calls, { refetch: refetchCalls }] = createResource(() => trpc.calls.list.query({ limit: 6 }));
  const [viewings, { refetch: refetchViewings }] = createResource(() =>
    trpc.appointments.list.query({ from: new Date().toISOString(), to: new Date(Date.now() + 14 * 86_400_000).toISOString() }),
  );
  onLiveEvent((e) => {
    if (e.type === "call.started" || e.type === "call.ended") {
      void refetchCalls();
      void refetchOverview();
    }
    if (e.type === "lead.created") void refetchOverview();
    if (e.type === "appointment.booked") {
      void refetchViewings();
      void refetchOverview();
    }
  });

  return (
    <div>
      <PageHeader
        title={`${greeting()}, ${auth.user()?.fullName.split(" ")[0] ?? ""}`}
        subtitle={`${formatWeekday(new Date())} · מה קורה היום במוקד`}
        actions={
          <Button onClick={() => navigate("/test-call")}>
            <Icon name="mic" class="size-4" />
            שיחת ניסיון
          </Button>
        }
      />
      <Show when={overview.error}>
        <ErrorBox error={overview.error} retry={refetchOverview} />
      </Show>
      <div class="grid gap-4 sm:grid-cols-2 xl:grid-cols-4">
        <StatCard label="שיחות היום" icon={<Icon name="phone" />} value={overview.latest?.callsToday ?? "…"} hint={overview.latest ? `${countOf(overview.latest.callsInRange, "שיחה אחת", "שיחות")} ב־30 הימים האחרונים` : undefined} />
        <StatCard label="לידים חדשים" icon={<Icon name="users" />} value={overview.latest?.newLeads ?? "…"} hint="ב-30 הימים האחרונים" />
        <StatCard label="צפיות קרובות" icon={<Icon name="calendar" />} value={overview.latest?.upcomingViewings ?? "…"} hint="מהיום והלאה" />
        <StatCard
          label="זמן תגובה של קשר"
          icon={<Icon name="chart" />}
          value={<bdi dir="ltr">{formatMs(overview.latest?.avgTurnLatencyMs)}</bdi>}
          hint={
            <span>
              ממוצע · p95 <bdi dir="ltr">{formatMs(overview.latest?.p95TurnLatencyMs)}</bdi>
            </span>
          }
        />
      </div>

      <div class="mt-5 grid gap-5 lg:grid-cols-2">
        <Card
          title="שיחות אחרונות"
          padded={false}
          actions={
            <A href="/calls" class="text-sm font-semibold text-brand-700 hover:underline">
              לכל השיחות
            </A>
          }
        >
          <Show when={calls.latest} fallback={calls.error ? <div class="p-4"><ErrorBox error={calls.error} retry={refetchCalls} /></div> : <Spinner />}>
            {(page) => (
              <Show when={page().items.length} fallback={<EmptyState title="עוד אין שיחות" hint="נסו שיחת ניסיון כדי לראות את קשר בפעולה." />}>
                <ul class="divide-y divide-line">
                  <For each={page().items}>
                    {(c) => (
                      <li>
                        <A href={`/calls/${c.id}`} class="flex items-center justify-between gap-3 px-5 py-3 hover:bg-slate-50">
                          <div class="min-w-0">
                            <div class="truncate font-semibold">{c.customerName ?? (c.callSid.startsWith("TEST-") ? "שיחת ניסיון" : "מתקשר לא מזוהה")}</div>
                            <div class="text-sm text-muted">
                              <Phone value={c.fromNumber} /> · {formatRelative(c.startedAt)}
                            </div>
                          </div>
                          <Badge tone={CALL_STATUS[c.status]?.tone}>{labelOf(CALL_STATUS, c.status)}</Badge>
                        </A>
                      </li>
                    )}
                  </For>
                </ul>
              </Show>
            )}
          </Show>
        </Card>
        <Card
          title="פגישות צפייה קרובות"
          padded={false}
          actions={
            <A href="/viewings" class="text-sm font-semibold text-brand-700 hover:underline">
              ללוח הפגישות
            </A>
          }
        >
          <Show when={viewings.latest} fallback={viewings.error ? <div class="p-4"><ErrorBox error={viewings.error} retry={refetchViewings} /></div> : <Spinner />}>
            {(list) => (
              <Show when={list().length} fallback={<EmptyState title="אין פגישות בשבועיים הקרובים" />}>
                <ul class="divide-y divide-line">
                  <For each={list().slice(0, 6)}>
                    {(a) => (
                      <li class="flex items-center justify-between gap-3 px-5 py-3">
                        <div>
                          <div class="font-semibold">{names.customerName(a.customerId) ?? "לקוח"}</div>
                          <div class="text-sm text-muted">
                            <span class="tabular">{formatDateTime(a.startsAt)}</span>
                            {names.propertyTitle(a.propertyId) ? ` · ${names.propertyTitle(a.propertyId)}` : ""}
                          </div>
                        </div>
                        <Badge tone={APPOINTMENT_STATUS[a.status]?.tone}>{labelOf(APPOINTMENT_STATUS, a.status)}</Badge>
                      </li>
                    )}
                  </For>
                </ul>
              </Show>
            )}
          </Show>
        </Card>
      </div>
    </div>
  );
}
