/** Contracts: create from a template (customer + property), send a signing link, void, signed PDF. */
import { createResource, createSignal, For, Show } from "solid-js";
import { SendToCustomer } from "../invoices/send-to-customer";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { Card, PageHeader } from "../../components/ui/card";
import { Field, Input, optionsOf, Select } from "../../components/ui/field";
import { Modal } from "../../components/ui/modal";
import { EmptyState, ErrorBox, errorMessage, Spinner } from "../../components/ui/states";
import { toast } from "../../context/toasts";
import { formatDateTime } from "../../lib/format";
import { trpc, type TRouterOutputs } from "../../lib/trpc";
import { CONTRACT_STATUS, downloadBase64 } from "../invoices/billing-ui";

type TContract = TRouterOutputs["contracts"]["list"][number];

export default function ContractsPage() {
  const [contracts, { refetch }] = createResource(() => trpc.contracts.list.query({}));
  const [templates] = createResource(() => trpc.contracts.templates.query());
  const [customers] = createResource(() => trpc.customers.list.query({ limit: 200 }));
  const [properties] = createResource(() => trpc.properties.list.query({}));
  const [open, setOpen] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [link, setLink] = createSignal<{ url: string; expiresAt: string } | null>(null);
  const [form, setForm] = createSignal({ template: "viewing_order", customerId: "", propertyId: "", brokerLicense: "", fee: "", feeVat: "" });
  const set = (k: keyof ReturnType<typeof form>) => (e: { currentTarget: { value: string } }) => setForm({ ...form(), [k]: e.currentTarget.value });

  const create = async (e: SubmitEvent) => {
    e.preventDefault();
    const f = form();
    setBusy(true);
    try {
      await trpc.contracts.create.mutate({
        template: f.template as "viewing_order",
        customerId: f.customerId || undefined,
        propertyId: f.propertyId || undefined,
        fields: { brokerLicense: f.brokerLicense, fee: f.fee, feeVat: f.feeVat },
      });
      toast({ kind: "success", title: "החוזה נוצר כטיוטה" });
      setOpen(false);
      void refetch();
    } catch (err) {
      toast({ kind: "error", title: "יצירת החוזה נכשלה", body: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };
  const send = async (c: TContract) => {
    try {
      const r = await trpc.contracts.send.mutate({ id: c.id });
      setLink(r);
      await navigator.clipboard?.writeText(r.url).catch(() => undefined);
      void refetch();
    } catch (err) {
      toast({ kind: "error", title: "השליחה נכשלה", body: errorMessage(err) });
    }
  };
  const voidIt = async (c: TContract) => {
    const reason = window.prompt("סיבת הביטול:");
    if (!reason) return;
    try {
      await trpc.contracts.void.mutate({ id: c.id, reason });
      toast({ kind: "success", title: "החוזה בוטל" });
      void refetch();
    } catch (err) {
      toast({ kind: "error", title: "הביטול נכשל", body: errorMessage(err) });
    }
  };
  const pdf = async (c: TContract) => {
    try {
      const f = await trpc.contracts.pdf.query({ id: c.id });
      downloadBase64(f.filename, f.base64);
    } catch (err) {
      toast({ kind: "error", title: "ההורדה נכשלה", body: errorMessage(err) });
    }
  };

  return (
    <div>
      <PageHeader title="חוזים וחתימות" subtitle="הזמנת שירותי תיווך והסכמי תיווך · חתימה דיגיטלית בקישור חד-פעמי" actions={<Button onClick={() => setOpen(true)}>חוזה חדש</Button>} />
      <Show when={contracts.error}>
        <ErrorBox error={contracts.error} retry={refetch} />
      </Show>
      <Card padded={false}>
        <Show when={contracts.latest} fallback={<Show when={!contracts.error}><Spinner /></Show>}>
          {(list) => (
            <Show when={list().length} fallback={<EmptyState title="עדיין אין חוזים" hint="צרו הזמנת שירותי תיווך ללקוח ושלחו לו קישור לחתימה." />}>
              <ul class="divide-y divide-line" data-testid="contracts-list">
                <For each={list()}>
                  {(c) => (
                    <li class="flex flex-wrap items-center justify-between gap-3 px-5 py-3" data-contract-id={c.id}>
                      <div>
                        <div class="font-semibold">
                          {c.title} · {c.customerName ?? "ללא לקוח"}
                        </div>
                        <div class="text-sm text-muted">
                          נוצר <span class="tabular">{formatDateTime(c.createdAt)}</span>
                          <Show when={c.signedAt}>
                            {" · "}נחתם ע״י {c.signerName} <span class="tabular">{formatDateTime(c.signedAt)}</span>
                          </Show>
                          <Show when={c.pdfSha256}>
                            {" · "}SHA-256 <bdi dir="ltr" class="font-mono text-xs">{c.pdfSha256!.slice(0, 16)}…</bdi>
                          </Show>
                        </div>
                      </div>
                      <div class="flex flex-wrap items-center gap-1.5">
                        <Badge tone={CONTRACT_STATUS[c.status]?.tone}>
                          <span data-testid="contract-status">{CONTRACT_STATUS[c.status]?.label ?? c.status}</span>
                        </Badge>
                        <Show when={c.status === "draft" || c.status === "sent"}>
                          <Button size="sm" onClick={() => send(c)}>
                            {c.status === "draft" ? "שליחה לחתימה" : "קישור חדש"}
                          </Button>
                          <SendToCustomer
                            disabled={!c.customerId}
                            label="שליחת קישור ללקוח"
                            send={(channel) => trpc.contracts.sendToCustomer.mutate({ id: c.id, channel })}
                            onSent={() => void refetch()}
                          />
                        </Show>
                        <Show when={c.status === "signed"}>
                          <Button size="sm" variant="secondary" onClick={() => pdf(c)}>
                            PDF חתום
                          </Button>
                        </Show>
                        <Show when={c.status !== "void"}>
                          <Button size="sm" variant="ghost" onClick={() => voidIt(c)}>
                            ביטול
                          </Button>
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

      <Modal open={link() !== null} title="קישור לחתימה" onClose={() => setLink(null)}>
        <p class="mb-2">הקישור הועתק ללוח (או שלחו אותו ללקוח מהטבלה ב-WhatsApp / SMS). הוא תקף לשימוש אחד עד {formatDateTime(link()?.expiresAt)}.</p>
        <Input readOnly dir="ltr" value={link()?.url ?? ""} data-testid="sign-link" onFocus={(e) => e.currentTarget.select()} />
      </Modal>

      <Modal open={open()} title="חוזה חדש" onClose={() => setOpen(false)}>
        <form onSubmit={create} class="grid gap-3">
          <Field label="תבנית">
            {(id) => <Select id={id} options={(templates() ?? []).map((t) => ({ value: t.id, label: t.title }))} value={form().template} onChange={set("template")} />}
          </Field>
          <Field label="לקוח">
            {(id) => (
              <Select id={id} placeholder="בחרו לקוח" options={(customers()?.items ?? []).map((c) => ({ value: c.id, label: c.fullName ?? c.phone ?? c.id }))} value={form().customerId} onChange={set("customerId")} />
            )}
          </Field>
          <Field label="נכס">
            {(id) => <Select id={id} placeholder="בחרו נכס" options={(properties() ?? []).map((p) => ({ value: p.id, label: p.title }))} value={form().propertyId} onChange={set("propertyId")} />}
          </Field>
          <Field label="מספר רישיון תיווך">{(id) => <Input id={id} dir="ltr" required value={form().brokerLicense} onInput={set("brokerLicense")} />}</Field>
          <Field label="דמי התיווך" hint="למשל: 2% ממחיר העסקה">
            {(id) => <Input id={id} required value={form().fee} onInput={set("fee")} />}
          </Field>
          <Field label="מע״מ על דמי התיווך" hint="כך יודפס בחוזה: מע״מ לא יתווסף פעמיים">
            {(id) => <Select id={id} required placeholder="בחרו" options={optionsOf({ plus: "בתוספת מע״מ", included: "הסכום כולל מע״מ" })} value={form().feeVat} onChange={set("feeVat")} />}
          </Field>
          <div class="flex justify-end">
            <Button type="submit" busy={busy()}>
              יצירה
            </Button>
          </div>
        </form>
      </Modal>
    </div>
  );
}
