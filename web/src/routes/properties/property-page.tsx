/** One listing: photos, details, owner, status, viewings (book one here), matching customers; edit, archive. */
import { A, useParams } from "@solidjs/router";
import { createResource, createSignal, For, Match, Show, Switch } from "solid-js";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { Card, PageHeader } from "../../components/ui/card";
import { Money, Phone } from "../../components/ui/ltr";
import { EmptyState, ErrorBox, errorMessage, Spinner } from "../../components/ui/states";
import { toast } from "../../context/toasts";
import { formatDateTime } from "../../lib/format";
import { APPOINTMENT_STATUS, CUSTOMER_STATUS, DEAL_TYPE, labelOf, PROPERTY_STATUS, PROPERTY_TYPE } from "../../lib/labels";
import { createNameLookups } from "../../lib/lookups";
import { trpc, type TRouterOutputs } from "../../lib/trpc";
import { BookViewingDialog } from "../viewings/book-viewing";
import { PropertyForm } from "./property-form";
import { PropertyPhotos } from "./property-photos";

type TStatus = TRouterOutputs["properties"]["get"]["status"];
/** The statuses staff move a listing through here (archive has its own button). */
const MARKET_STATUSES: TStatus[] = ["available", "under_offer", "sold", "rented"];

export default function PropertyPage() {
  const params = useParams();
  const [property, { refetch, mutate }] = createResource(() => params.id, (id) => trpc.properties.get.query({ id }));
  const [matches] = createResource(() => params.id, (id) => trpc.properties.matchCustomers.query({ propertyId: id }));
  const [viewings, { refetch: refetchViewings }] = createResource(
    () => params.id,
    (id) => trpc.appointments.list.query({ propertyId: id, from: new Date(Date.now() - 86_400_000).toISOString() }),
  );
  const names = createNameLookups();
  const [editing, setEditing] = createSignal(false);
  const [booking, setBooking] = createSignal(false);

  const setStatus = async (status: TStatus) => {
    try {
      mutate(await trpc.properties.update.mutate({ id: params.id!, status }));
      toast({ kind: "success", title: `סטטוס הנכס: ${labelOf(PROPERTY_STATUS, status)}` });
    } catch (err) {
      toast({ kind: "error", title: "העדכון נכשל", body: errorMessage(err) });
    }
  };

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
                  <Show when={p().status === "available" || p().status === "under_offer"}>
                    <Button onClick={() => setBooking(true)}>קביעת צפייה</Button>
                  </Show>
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
            <div class="mb-4 flex flex-wrap items-center gap-2" role="group" aria-label="סטטוס הנכס">
              <span class="text-sm font-semibold text-muted">סטטוס:</span>
              <For each={MARKET_STATUSES}>
                {(st) => (
                  <button
                    type="button"
                    aria-pressed={p().status === st}
                    class={`rounded-full border px-3 py-1 text-sm font-semibold ${p().status === st ? "border-brand-600 bg-brand-700 text-white" : "border-line bg-white text-ink hover:bg-slate-50"}`}
                    onClick={() => p().status !== st && void setStatus(st)}
                  >
                    {labelOf(PROPERTY_STATUS, st)}
                  </button>
                )}
              </For>
              <Show when={p().status === "inactive"}>
                <Badge tone="gray">{labelOf(PROPERTY_STATUS, "inactive")}</Badge>
              </Show>
            </div>
            <div class="grid gap-5 lg:grid-cols-3">
              <div class="lg:col-span-2">
                <PropertyPhotos propertyId={p().id} />
              </div>
              <div class="flex flex-col gap-5">
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
              <Card title={p().dealType === "rent" ? "בעל הנכס (משכיר)" : "בעל הנכס"}>
                <Show when={p().ownerName || p().ownerPhone || p().ownerNotes} fallback={<p class="text-sm text-muted">לא נרשמו פרטי בעלים. אפשר להוסיף ב״עריכה״.</p>}>
                  <div class="font-semibold">{p().ownerName ?? "—"}</div>
                  <Show when={p().ownerPhone}>
                    <div class="mt-1">
                      <Phone value={p().ownerPhone} />
                    </div>
                  </Show>
                  <Show when={p().ownerNotes}>
                    <p class="mt-2 whitespace-pre-line text-sm text-slate-700">{p().ownerNotes}</p>
                  </Show>
                </Show>
              </Card>
              </div>
              <Card title="צפיות בנכס" class="lg:col-span-1" padded={false}>
                <Show when={!viewings.error} fallback={<div class="p-4"><ErrorBox error={viewings.error} /></div>}>
                  <Show when={viewings.latest} fallback={<Spinner />}>
                    {(list) => (
                      <Show when={list().length} fallback={<EmptyState title="אין צפיות קרובות" />}>
                        <ul class="divide-y divide-line" data-testid="property-viewings">
                          <For each={list()}>
                            {(a) => (
                              <li class="flex items-center justify-between gap-2 px-5 py-3">
                                <div>
                                  <div class="tabular font-semibold">{formatDateTime(a.startsAt)}</div>
                                  <Show when={a.customerId}>
                                    <A href={`/customers/${a.customerId}`} class="text-sm hover:text-brand-700">
                                      {names.customerName(a.customerId) ?? "לקוח"}
                                    </A>
                                  </Show>
                                </div>
                                <Badge tone={APPOINTMENT_STATUS[a.status]?.tone}>{labelOf(APPOINTMENT_STATUS, a.status)}</Badge>
                              </li>
                            )}
                          </For>
                        </ul>
                      </Show>
                    )}
                  </Show>
                </Show>
              </Card>
              <Card title="לקוחות מתאימים" class="lg:col-span-2" padded={false}>
                <Show when={p().status !== "available"}>
                  <p class="border-b border-line bg-amber-50 px-5 py-2 text-sm text-amber-900">
                    הנכס {labelOf(PROPERTY_STATUS, p().status)}: {p().status === "under_offer" ? "עדיין מוצג כאן, אך הסוכן הקולי לא מציע אותו למתקשרים." : "אינו מוצע ללקוחות ולמתקשרים."}
                  </p>
                </Show>
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
            <BookViewingDialog
              open={booking()}
              propertyId={p().id}
              propertyTitle={p().title}
              onClose={() => setBooking(false)}
              onBooked={(_, c) => {
                setBooking(false);
                names.rememberCustomer(c.id, c.fullName);
                void refetchViewings();
              }}
            />
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
