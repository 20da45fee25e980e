/** One customer: details, what they look for, sentiment, timeline (customer-timeline.tsx) and matching listings. */
import { A, useNavigate, useParams } from "@solidjs/router";
import { createResource, createSignal, For, Match, Show, Switch } from "solid-js";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { Card, PageHeader } from "../../components/ui/card";
import { optionsOf, Select } from "../../components/ui/field";
import { Money, Phone } from "../../components/ui/ltr";
import { EmptyState, ErrorBox, errorMessage, Spinner } from "../../components/ui/states";
import { onLiveEvent } from "../../context/live";
import { toast } from "../../context/toasts";
import { formatMoney } from "../../lib/format";
import { CUSTOMER_SOURCE, CUSTOMER_STATUS, DEAL_TYPE, labelOf, PROPERTY_TYPE, SENTIMENT } from "../../lib/labels";
import { trpc, type TRouterOutputs } from "../../lib/trpc";
import { CustomerActions } from "./customer-actions";
import { AssigneeSelect } from "../../components/grid/assignee-select";
import { CustomerForm } from "./customer-form";
import { CustomerTimeline } from "./customer-timeline";

type TDetail = TRouterOutputs["customers"]["get"];
type TItem = TDetail["timeline"][number];

export default function CustomerPage() {
  const params = useParams();
  const navigate = useNavigate();
  const [detail, { refetch, mutate }] = createResource(() => params.id, (id) => trpc.customers.get.query({ id }));
  const [matches] = createResource(() => params.id, (id) => trpc.properties.match.query({ customerId: id }));
  const [editing, setEditing] = createSignal(false);
  onLiveEvent((e) => {
    if ("customerId" in e && e.customerId === params.id) void refetch();
  });

  const setStatus = async (status: TDetail["customer"]["status"]) => {
    try {
      const customer = await trpc.customers.setStatus.mutate({ id: params.id!, status });
      const d = detail.latest;
      if (d) mutate({ ...d, customer });
      toast({ kind: "success", title: "הסטטוס עודכן" });
    } catch (err) {
      toast({ kind: "error", title: "העדכון נכשל", body: errorMessage(err) });
    }
  };
  const remove = async () => {
    if (!confirm("למחוק את הלקוח? הפעולה אינה הפיכה.")) return;
    try {
      await trpc.customers.delete.mutate({ id: params.id! });
      toast({ kind: "success", title: "הלקוח נמחק" });
      navigate("/customers");
    } catch (err) {
      toast({ kind: "error", title: "המחיקה נכשלה", body: errorMessage(err) });
    }
  };

  return (
    <Switch>
      <Match when={detail.error}>
        <ErrorBox error={detail.error} retry={refetch} />
      </Match>
      <Match when={!detail.latest}>
        <Spinner />
      </Match>
      <Match when={detail.latest}>
        {(d) => {
          const c = () => d().customer;
          return (
            <div>
              <PageHeader
                title={c().fullName || "לקוח ללא שם"}
                subtitle={
                  <span class="flex flex-wrap items-center gap-2">
                    <Phone value={c().phone} />
                    <Badge tone={CUSTOMER_STATUS[c().status]?.tone}>{labelOf(CUSTOMER_STATUS, c().status)}</Badge>
                    <span>מקור: {labelOf(CUSTOMER_SOURCE, c().source)}</span>
                    <Show when={c().sentiment}>
                      {(s) => (
                        <Badge tone={SENTIMENT[s()]?.tone}>
                          <span data-testid="customer-sentiment">סנטימנט: {labelOf(SENTIMENT, s())}</span>
                        </Badge>
                      )}
                    </Show>
                  </span>
                }
                actions={
                  <>
                    <AssigneeSelect entity="customer" id={c().id} value={c().assignedUserId} class="h-10! w-40" onSaved={() => void refetch()} />
                    <Select aria-label="שינוי סטטוס" class="w-40" options={optionsOf(CUSTOMER_STATUS)} value={c().status} onChange={(e) => void setStatus(e.currentTarget.value as TDetail["customer"]["status"])} />
                    <Button variant="secondary" onClick={() => setEditing(true)}>
                      עריכה
                    </Button>
                    <Button variant="danger" onClick={remove}>
                      מחיקה
                    </Button>
                  </>
                }
              />
              <div class="grid gap-5 lg:grid-cols-3">
                <div class="space-y-5 lg:col-span-1">
                  <Card title="מה הלקוח מחפש">
                    <dl class="grid grid-cols-2 gap-y-2 text-[15px]">
                      <dt class="text-muted">עסקה</dt>
                      <dd>{labelOf(DEAL_TYPE, c().requirements.dealType)}</dd>
                      <dt class="text-muted">סוג נכס</dt>
                      <dd>{labelOf(PROPERTY_TYPE, c().requirements.propertyType)}</dd>
                      <dt class="text-muted">ערים</dt>
                      <dd>{c().requirements.cities?.join(", ") || "—"}</dd>
                      <dt class="text-muted">חדרים</dt>
                      <dd class="tabular">
                        {c().requirements.roomsMin ?? "—"}
                        {c().requirements.roomsMax ? `–${c().requirements.roomsMax}` : ""}
                      </dd>
                      <dt class="text-muted">תקציב</dt>
                      <dd>
                        <bdi dir="ltr" class="tabular">
                          {c().requirements.budgetMax ? formatMoney(c().requirements.budgetMax) : "—"}
                        </bdi>
                      </dd>
                      <dt class="text-muted">דוא״ל</dt>
                      <dd>
                        <bdi dir="ltr">{c().email ?? "—"}</bdi>
                      </dd>
                      <dt class="text-muted">ציון ליד</dt>
                      <dd class="tabular">{c().leadScore ?? "—"}</dd>
                    </dl>
                    <Show when={c().tags.length}>
                      <div class="mt-3 flex flex-wrap gap-1">{c().tags.map((t) => <Badge>{t}</Badge>)}</div>
                    </Show>
                  </Card>
                  <Card title="נכסים מתאימים" padded={false}>
                    <Show when={!matches.error} fallback={<div class="p-4"><ErrorBox error={matches.error} /></div>}>
                      <Show when={matches.latest} fallback={<Spinner />}>
                        {(list) => (
                          <Show when={list().length} fallback={<EmptyState title="אין כרגע נכסים מתאימים" />}>
                            <ul class="divide-y divide-line">
                              <For each={list().slice(0, 6)}>
                                {(m) => (
                                  <li class="px-5 py-3">
                                    <A href={`/properties/${m.property.id}`} class="font-semibold hover:text-brand-700">
                                      {m.property.title}
                                    </A>
                                    <div class="mt-0.5 flex items-center justify-between text-sm text-muted">
                                      <span>{m.property.city}</span>
                                      <Money value={m.property.price} />
                                    </div>
                                    <div class="mt-1 text-xs text-brand-800">{m.reasons.join(" · ")}</div>
                                  </li>
                                )}
                              </For>
                            </ul>
                          </Show>
                        )}
                      </Show>
                    </Show>
                  </Card>
                </div>
                <div class="space-y-5 lg:col-span-2">
                  <CustomerActions customer={c()} matches={matches.latest ?? []} onChanged={() => void refetch()} />
                  <CustomerTimeline customerId={c().id} items={d().timeline} onChanged={() => void refetch()} />
                </div>
              </div>
              <CustomerForm
                open={editing()}
                customer={c()}
                onClose={() => setEditing(false)}
                onSaved={(customer) => {
                  setEditing(false);
                  mutate({ ...d(), customer });
                  toast({ kind: "success", title: "הפרטים נשמרו" });
                }}
              />
            </div>
          );
        }}
      </Match>
    </Switch>
  );
}
