/** One call: caller, status, recording, extracted lead fields, viewings and the live transcript. */
import { A, useParams } from "@solidjs/router";
import { createMemo, createResource, createSignal, For, Match, Show, Switch } from "solid-js";
import { Badge } from "../../components/ui/badge";
import { Card, PageHeader } from "../../components/ui/card";
import { Ltr, Phone } from "../../components/ui/ltr";
import { EmptyState, ErrorBox, Spinner } from "../../components/ui/states";
import { onLiveEvent } from "../../context/live";
import { formatDateTime, formatDuration, formatMoney, formatMs } from "../../lib/format";
import { APPOINTMENT_STATUS, CALL_STATUS, DEAL_TYPE, labelOf, PROPERTY_TYPE } from "../../lib/labels";
import { trpc } from "../../lib/trpc";
import { Transcript, turnLatency, type TTranscriptTurn } from "./transcript";

export default function CallPage() {
  const params = useParams();
  const [data, { refetch }] = createResource(() => params.id, (id) => trpc.calls.get.query({ id }));
  // Turns that arrived live since the last fetch (merged by seq).
  const [live, setLive] = createSignal<TTranscriptTurn[]>([]);
  onLiveEvent((e) => {
    if (e.type === "call.turn" && e.callId === params.id) {
      setLive((l) => [...l, { seq: e.seq, speaker: e.speaker, text: e.text, startedAt: new Date().toISOString(), interrupted: false }]);
    } else if ((e.type === "call.ended" || e.type === "call.updated") && e.callId === params.id) {
      void refetch();
    } else if (e.type === "lead.created" && data.latest?.call.customerId == null) {
      void refetch();
    }
  });
  const turns = createMemo(() => {
    const stored = data.latest?.turns ?? [];
    const seen = new Set(stored.map((t) => t.seq));
    return [...stored, ...live().filter((t) => !seen.has(t.seq))].sort((a, b) => a.seq - b.seq);
  });
  const latencies = createMemo(() => turns().map((t) => (t.speaker === "assistant" ? turnLatency(t.metrics) : undefined)).filter((v): v is number => v !== undefined));

  return (
    <Switch>
      <Match when={data.error}>
        <ErrorBox error={data.error} retry={refetch} />
      </Match>
      <Match when={!data.latest}>
        <Spinner />
      </Match>
      <Match when={data.latest}>
        {(d) => {
          const call = () => d().call;
          const running = () => call().status === "in_progress" || call().status === "ringing";
          return (
            <div>
              <PageHeader
                title={call().callSid.startsWith("TEST-") ? "שיחת ניסיון" : d().customer?.fullName ? `שיחה עם ${d().customer!.fullName}` : "שיחה נכנסת"}
                subtitle={
                  <span class="flex flex-wrap items-center gap-2">
                    <Phone value={call().fromNumber} />
                    <span class="tabular">{formatDateTime(call().startedAt)}</span>
                    <Badge tone={CALL_STATUS[call().status]?.tone}>{labelOf(CALL_STATUS, call().status)}</Badge>
                    <Show when={running()}>
                      <span class="flex items-center gap-1 text-sm text-emerald-700">
                        <span class="size-2 animate-pulse rounded-full bg-emerald-500" /> תמלול חי
                      </span>
                    </Show>
                  </span>
                }
              />
              <div class="grid gap-5 lg:grid-cols-3">
                <Card title="תמלול" class="lg:col-span-2">
                  <Show when={turns().length} fallback={<EmptyState title={running() ? "ממתין לדברי המתקשר…" : "אין תמלול לשיחה זו"} />}>
                    <Transcript turns={turns()} />
                  </Show>
                </Card>
                <div class="space-y-5">
                  <Card title="פרטי השיחה">
                    <dl class="grid grid-cols-2 gap-y-2 text-[15px]">
                      <dt class="text-muted">משך</dt>
                      <dd class="tabular">{formatDuration(call().durationSec)}</dd>
                      <dt class="text-muted">מנוע</dt>
                      <dd>
                        <Ltr>{call().engine ?? "—"}</Ltr>
                      </dd>
                      <dt class="text-muted">זמן תגובה ממוצע</dt>
                      <dd>
                        <bdi dir="ltr" class="tabular">
                          {formatMs(call().metrics.avgTurnMs ?? (latencies().length ? latencies().reduce((a, b) => a + b, 0) / latencies().length : undefined))}
                        </bdi>
                      </dd>
                      <dt class="text-muted">פתיח ראשון</dt>
                      <dd>
                        <bdi dir="ltr" class="tabular">
                          {formatMs(call().metrics.greetingFirstFrameMs)}
                        </bdi>
                      </dd>
                      <dt class="text-muted">קטיעות</dt>
                      <dd class="tabular">{call().metrics.bargeIns ?? turns().filter((t) => t.interrupted).length}</dd>
                      <dt class="text-muted">מזהה</dt>
                      <dd>
                        <Ltr class="break-all text-xs">{call().callSid}</Ltr>
                      </dd>
                    </dl>
                    <Show when={call().recordingUrl}>
                      <div class="mt-4">
                        <div class="mb-1 text-sm font-semibold">הקלטה</div>
                        <audio controls preload="none" class="w-full" src={`/recordings/${call().id}`} data-testid="recording" />
                      </div>
                    </Show>
                  </Card>
                  <Card title="פרטי הליד">
                    <Show when={d().customer} fallback={<p class="text-muted">עדיין לא זוהה ליד בשיחה.</p>}>
                      {(c) => (
                        <div class="space-y-2 text-[15px]">
                          <A href={`/customers/${c().id}`} class="text-lg font-bold hover:text-brand-700">
                            {c().fullName ?? "ללא שם"}
                          </A>
                          <dl class="grid grid-cols-2 gap-y-1.5">
                            <dt class="text-muted">עסקה</dt>
                            <dd>{labelOf(DEAL_TYPE, c().requirements.dealType)}</dd>
                            <dt class="text-muted">סוג</dt>
                            <dd>{labelOf(PROPERTY_TYPE, c().requirements.propertyType)}</dd>
                            <dt class="text-muted">ערים</dt>
                            <dd>{c().requirements.cities?.join(", ") || "—"}</dd>
                            <dt class="text-muted">חדרים</dt>
                            <dd class="tabular">{c().requirements.roomsMin ?? "—"}</dd>
                            <dt class="text-muted">תקציב</dt>
                            <dd>
                              <bdi dir="ltr" class="tabular">
                                {c().requirements.budgetMax ? formatMoney(c().requirements.budgetMax) : "—"}
                              </bdi>
                            </dd>
                            <dt class="text-muted">ציון ליד</dt>
                            <dd class="tabular">{call().leadScore ?? c().leadScore ?? "—"}</dd>
                          </dl>
                          <Show when={call().leadReasons?.length}>
                            <ul class="list-disc ps-5 text-sm text-slate-600">
                              <For each={call().leadReasons ?? []}>{(r) => <li>{r}</li>}</For>
                            </ul>
                          </Show>
                        </div>
                      )}
                    </Show>
                    <Show when={call().summary}>
                      <p class="mt-3 rounded-lg bg-slate-50 p-3 text-sm text-slate-700">{call().summary}</p>
                    </Show>
                  </Card>
                  <Show when={d().appointments.length}>
                    <Card title="פגישות שנקבעו">
                      <ul class="space-y-2">
                        <For each={d().appointments}>
                          {(a) => (
                            <li class="flex items-center justify-between">
                              <span class="tabular">{formatDateTime(a.startsAt)}</span>
                              <Badge tone={APPOINTMENT_STATUS[a.status]?.tone}>{labelOf(APPOINTMENT_STATUS, a.status)}</Badge>
                            </li>
                          )}
                        </For>
                      </ul>
                    </Card>
                  </Show>
                </div>
              </div>
            </div>
          );
        }}
      </Match>
    </Switch>
  );
}
