/** One listing: details, edit, archive, matching customers. */
import { A, useParams } from "@solidjs/router";
import { createResource, createSignal, For, Match, Show, Switch } from "solid-js";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { Card, PageHeader } from "../../components/ui/card";
import { Money, Phone } from "../../components/ui/ltr";
import { EmptyState, ErrorBox, errorMessage, Spinner } from "../../components/ui/states";
import { toast } from "../../context/toasts";
import { CUSTOMER_STATUS, DEAL_TYPE, labelOf, PROPERTY_STATUS, PROPERTY_TYPE } from "../../lib/labels";
import { trpc } from "../../lib/trpc";
import { PropertyForm } from "./property-form";

export default function PropertyPage() {
  const params = useParams();
  const [property, { refetch, mutate }] = createResource(() => params.id, (id) => trpc.properties.get.query({ id }));
  const [matches] = createResource(() => params.id, (id) => trpc.properties.matchCustomers.query({ propertyId: id }));
  const [editing, setEditing] = createSignal(false);

  const archive = async () => {
    if (!confirm("להעביר את הנכס לארכיון?")) return;
    try {
      mutate(await trpc.properties.archive.mutate({ id: params.id! }));
      toast({ kind: "success", title: "הנכס הועבר לארכיון" });
    } catch (err) {
      toast({ kind: "error", title: "הפעולה נכשלה", body: errorMessage(err) });
    }
  };

  return (
    <Switch>
      <Match when={property.error}>
        <ErrorBox error={property.error} retry={refetch} />
      </Match>
      <Match when={!property.latest}>
        <Spinner />
      </Match>
      <Match when={property.latest}>
        {(p) => (
          <div>
            <PageHeader
              title={p().title}
              subtitle={[p().city, p().neighborhood, p().street].filter(Boolean).join(" · ")}
              actions={
                <>
                  <Button variant="secondary" onClick={() => setEditing(true)}>
                    עריכה
                  </Button>
                  <Show when={p().status !== "inactive"}>
                    <Button variant="danger" onClick={archive}>
                      העברה לארכיון
                    </Button>
                  </Show>
                </>
              }
            />
            <div class="grid gap-5 lg:grid-cols-3">
              <Card title="פרטי הנכס">
                <dl class="grid grid-cols-2 gap-y-2 text-[15px]">
                  <dt class="text-muted">מחיר</dt>
                  <dd class="font-bold text-brand-800">
                    <Money value={p().price} />
                  </dd>
                  <dt class="text-muted">עסקה</dt>
                  <dd>{labelOf(DEAL_TYPE, p().dealType)}</dd>
                  <dt class="text-muted">סוג</dt>
                  <dd>{labelOf(PROPERTY_TYPE, p().propertyType)}</dd>
                  <dt class="text-muted">סטטוס</dt>
                  <dd>
                    <Badge tone={PROPERTY_STATUS[p().status]?.tone}>{labelOf(PROPERTY_STATUS, p().status)}</Badge>
                  </dd>
                  <dt class="text-muted">חדרים</dt>
                  <dd class="tabular">{p().rooms ?? "—"}</dd>
                  <dt class="text-muted">שטח</dt>
                  <dd class="tabular">{p().sizeSqm ? `${p().sizeSqm} מ״ר` : "—"}</dd>
                  <dt class="text-muted">קומה</dt>
                  <dd class="tabular">{p().floor !== null ? `${p().floor} מתוך ${p().totalFloors ?? "?"}` : "—"}</dd>
                </dl>
                <div class="mt-3 flex flex-wrap gap-1">{p().features.map((f) => <Badge tone="brand">{f}</Badge>)}</div>
                <Show when={p().description}>
                  <p class="mt-3 text-slate-700">{p().description}</p>
                </Show>
              </Card>
              <Card title="לקוחות מתאימים" class="lg:col-span-2" padded={false}>
                <Show when={!matches.error} fallback={<div class="p-4"><ErrorBox error={matches.error} /></div>}>
                  <Show when={matches.latest} fallback={<Spinner />}>
                    {(list) => (
                      <Show when={list().length} fallback={<EmptyState title="אין כרגע לקוחות מתאימים" />}>
                        <ul class="divide-y divide-line">
                          <For each={list()}>
                            {(m) => (
                              <li class="flex flex-wrap items-center justify-between gap-2 px-5 py-3">
                                <div>
                                  <A href={`/customers/${m.customer.id}`} class="font-semibold hover:text-brand-700">
                                    {m.customer.fullName ?? "ללא שם"}
                                  </A>
                                  <div class="text-sm text-muted">
                                    <Phone value={m.customer.phone} /> · {m.reasons.join(" · ")}
                                  </div>
                                </div>
                                <Badge tone={CUSTOMER_STATUS[m.customer.status]?.tone}>{labelOf(CUSTOMER_STATUS, m.customer.status)}</Badge>
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
            <PropertyForm
              open={editing()}
              property={p()}
              onClose={() => setEditing(false)}
              onSaved={(np) => {
                setEditing(false);
                mutate(np);
                toast({ kind: "success", title: "הנכס עודכן" });
              }}
            />
          </div>
        )}
      </Match>
    </Switch>
  );
}
