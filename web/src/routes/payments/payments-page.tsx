/** Payment links (status per provider) and the business's PayPal / Tranzila credentials. */
import { createResource, createSignal, For, Show } from "solid-js";
import { SendToCustomer } from "../invoices/send-to-customer";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { Card, PageHeader } from "../../components/ui/card";
import { Field, Input, optionsOf, Select } from "../../components/ui/field";
import { EmptyState, ErrorBox, errorMessage, Spinner } from "../../components/ui/states";
import { toast } from "../../context/toasts";
import { formatDateTime } from "../../lib/format";
import { trpc } from "../../lib/trpc";
import { Agorot, LINK_STATUS, parseShekels, PROVIDER } from "../invoices/billing-ui";

export default function PaymentsPage() {
  const [links, { refetch }] = createResource(() => trpc.payments.list.query({}));
  const [providers, prov] = createResource(() => trpc.payments.providers.query());
  const [provider, setProvider] = createSignal<"tranzila" | "paypal">("tranzila");
  const [creds, setCreds] = createSignal<Record<string, string>>({});
  const [busy, setBusy] = createSignal(false);
  const set = (k: string) => (e: { currentTarget: { value: string } }) => setCreds({ ...creds(), [k]: e.currentTarget.value });

  const [customers] = createResource(() => trpc.customers.list.query({ limit: 200 }));
  const [req, setReq] = createSignal({ customerId: "", amount: "", description: "", provider: "" });
  const setR = (k: keyof ReturnType<typeof req>) => (e: { currentTarget: { value: string } }) => setReq({ ...req(), [k]: e.currentTarget.value });
  const [lastUrl, setLastUrl] = createSignal("");

  /** One click from a customer: an amount (e.g. a deposit) without an invoice. */
  const request = async (e: SubmitEvent) => {
    e.preventDefault();
    const r = req();
    const agorot = parseShekels(r.amount);
    const provider = (r.provider || providers()?.configured[0]) as "paypal" | "tranzila" | undefined;
    if (!r.customerId) return toast({ kind: "error", title: "יש לבחור לקוח" });
    if (agorot === null || agorot < 100) return toast({ kind: "error", title: "סכום לא תקין" });
    if (!provider) return toast({ kind: "error", title: "לא הוגדר ספק סליקה" });
    try {
      const l = await trpc.payments.create.mutate({ provider, customerId: r.customerId, amountAgorot: agorot, description: r.description.trim() || undefined });
      setLastUrl(l.url ?? "");
      await navigator.clipboard?.writeText(l.url ?? "").catch(() => undefined);
      toast({ kind: "success", title: "קישור התשלום נוצר" });
      void refetch();
    } catch (err) {
      toast({ kind: "error", title: "יצירת הקישור נכשלה", body: errorMessage(err) });
    }
  };

  const save = async (e: SubmitEvent) => {
    e.preventDefault();
    const c = creds();
    setBusy(true);
    try {
      if (provider() === "paypal") {
        await trpc.payments.saveCredentials.mutate({
          provider: "paypal",
          credentials: { clientId: c.clientId ?? "", clientSecret: c.clientSecret ?? "", webhookId: c.webhookId ?? "", mode: c.mode === "live" ? "live" : "sandbox", apiBaseUrl: c.apiBaseUrl?.trim() || undefined },
        });
      } else {
        await trpc.payments.saveCredentials.mutate({ provider: "tranzila", credentials: { terminalName: c.terminalName ?? "", appKey: c.appKey ?? "", secret: c.secret ?? "", apiBaseUrl: c.apiBaseUrl?.trim() || undefined } });
      }
      setCreds({});
      toast({ kind: "success", title: "פרטי הסליקה נשמרו (מוצפנים)" });
      void prov.refetch();
    } catch (err) {
      toast({ kind: "error", title: "השמירה נכשלה", body: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div>
      <PageHeader title="תשלומים" subtitle="קישורי תשלום ב-PayPal ובטרנזילה · מתעדכנים אוטומטית עם אישור הספק" />
      <Show when={links.error}>
        <ErrorBox error={links.error} retry={refetch} />
      </Show>
      <Card padded={false} class="mb-5">
        <Show when={links.latest} fallback={<Show when={!links.error}><Spinner /></Show>}>
          {(list) => (
            <Show when={list().length} fallback={<EmptyState title="עדיין אין קישורי תשלום" hint="צרו קישור מדף החשבוניות בלחיצה אחת." />}>
              <ul class="divide-y divide-line">
                <For each={list()}>
                  {(l) => (
                    <li class="flex flex-wrap items-center justify-between gap-3 px-5 py-3">
                      <div>
                        <div class="font-semibold">
                          {l.description} · <Agorot value={l.amountAgorot} />
                        </div>
                        <div class="text-sm text-muted">
                          {PROVIDER[l.provider]} · {l.customerName ?? "ללא לקוח"} · <span class="tabular">{formatDateTime(l.createdAt)}</span>
                          <Show when={l.paidAt}>
                            {" · "}שולם <span class="tabular">{formatDateTime(l.paidAt)}</span>
                          </Show>
                        </div>
                      </div>
                      <div class="flex items-center gap-2">
                        <Badge tone={LINK_STATUS[l.status]?.tone}>{LINK_STATUS[l.status]?.label ?? l.status}</Badge>
                        <Show when={l.status === "created" && l.url}>
                          <Button size="sm" variant="secondary" onClick={() => navigator.clipboard?.writeText(l.url!).then(() => toast({ kind: "success", title: "הקישור הועתק" }))}>
                            העתקת קישור
                          </Button>
                          <SendToCustomer disabled={!l.customerId} send={(channel) => trpc.payments.sendToCustomer.mutate({ id: l.id, channel })} />
                        </Show>
                      </div>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          )}
        </Show>
      </Card>

      <Card title="בקשת תשלום מלקוח" class="mb-5">
        <form onSubmit={request} class="grid gap-3 sm:grid-cols-4 items-end">
          <Field label="לקוח">
            {(id) => <Select id={id} placeholder="בחרו לקוח" options={(customers()?.items ?? []).map((c) => ({ value: c.id, label: c.fullName ?? c.phone ?? c.id }))} value={req().customerId} onChange={setR("customerId")} />}
          </Field>
          <Field label="סכום לתשלום (₪)">{(id) => <Input id={id} dir="ltr" inputmode="decimal" value={req().amount} onInput={setR("amount")} />}</Field>
          <Field label="עבור">{(id) => <Input id={id} placeholder="למשל: מקדמה" value={req().description} onInput={setR("description")} />}</Field>
          <Field label="ספק">
            {(id) => <Select id={id} options={(providers()?.configured ?? []).map((p) => ({ value: p, label: PROVIDER[p]! }))} value={req().provider || providers()?.configured[0] || ""} onChange={setR("provider")} />}
          </Field>
          <div class="sm:col-span-4 flex items-center justify-end gap-3">
            <Show when={lastUrl()}>
              <Input readOnly dir="ltr" class="flex-1" value={lastUrl()} data-testid="payment-link" onFocus={(e) => e.currentTarget.select()} />
            </Show>
            <Button type="submit">יצירת קישור</Button>
          </div>
        </form>
      </Card>

      <Card title="חיבור ספקי סליקה">
        <p class="mb-3 text-sm text-muted">
          מוגדרים: {(providers()?.configured ?? []).map((p) => PROVIDER[p]).join(", ") || "אין"}. כתובת webhook ל-PayPal:{" "}
          <bdi dir="ltr" class="font-mono text-xs">
            {providers()?.paypalWebhookUrl}
          </bdi>
        </p>
        <form onSubmit={save} class="grid gap-3 sm:grid-cols-2">
          <Field label="ספק">{(id) => <Select id={id} options={optionsOf(PROVIDER)} value={provider()} onChange={(e) => setProvider(e.currentTarget.value as "paypal")} />}</Field>
          <Show
            when={provider() === "paypal"}
            fallback={
              <>
                <Field label="שם מסוף">{(id) => <Input id={id} dir="ltr" required value={creds().terminalName ?? ""} onInput={set("terminalName")} />}</Field>
                <Field label="מפתח ציבורי (App key)">{(id) => <Input id={id} dir="ltr" required value={creds().appKey ?? ""} onInput={set("appKey")} />}</Field>
                <Field label="מפתח פרטי">{(id) => <Input id={id} dir="ltr" type="password" required value={creds().secret ?? ""} onInput={set("secret")} />}</Field>
              </>
            }
          >
            <Field label="Client ID">{(id) => <Input id={id} dir="ltr" required value={creds().clientId ?? ""} onInput={set("clientId")} />}</Field>
            <Field label="Client secret">{(id) => <Input id={id} dir="ltr" type="password" required value={creds().clientSecret ?? ""} onInput={set("clientSecret")} />}</Field>
            <Field label="Webhook ID">{(id) => <Input id={id} dir="ltr" required value={creds().webhookId ?? ""} onInput={set("webhookId")} />}</Field>
            <Field label="סביבה">{(id) => <Select id={id} options={optionsOf({ sandbox: "ניסיון (Sandbox)", live: "אמיתית" })} value={creds().mode ?? "sandbox"} onChange={set("mode")} />}</Field>
          </Show>
          <Field label="כתובת API (מתקדם)" hint="ריק = כתובת הספק הרגילה">
            {(id) => <Input id={id} dir="ltr" type="url" value={creds().apiBaseUrl ?? ""} onInput={set("apiBaseUrl")} />}
          </Field>
          <div class="sm:col-span-2 flex justify-end">
            <Button type="submit" busy={busy()}>
              שמירה
            </Button>
          </div>
        </form>
      </Card>
    </div>
  );
}
