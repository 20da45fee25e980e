/** Invoices: issue (VAT, allocation number), list, PDF, credit note, one-click payment link. */
import { createResource, createSignal, For, Show } from "solid-js";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { Card, PageHeader } from "../../components/ui/card";
import { Field, Input, optionsOf, Select } from "../../components/ui/field";
import { Modal } from "../../components/ui/modal";
import { EmptyState, ErrorBox, errorMessage, Spinner } from "../../components/ui/states";
import { toast } from "../../context/toasts";
import { formatDate } from "../../lib/format";
import { trpc, type TRouterOutputs } from "../../lib/trpc";
import { Agorot, downloadBase64, INVOICE_STATUS, INVOICE_TYPE, LINK_STATUS, parseShekels, PROVIDER } from "./billing-ui";

type TInvoice = TRouterOutputs["invoices"]["list"][number];
type TLink = TRouterOutputs["payments"]["list"][number];

export default function InvoicesPage() {
  const [invoices, { refetch }] = createResource(() => trpc.invoices.list.query({}));
  const [links, linksRes] = createResource(() => trpc.payments.list.query({}));
  const [providers] = createResource(() => trpc.payments.providers.query());
  const [open, setOpen] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [form, setForm] = createSignal({ type: "tax_invoice", customerName: "", customerTaxId: "", description: "דמי תיווך", amount: "", allocationNumber: "" });
  const set = (k: keyof ReturnType<typeof form>) => (e: { currentTarget: { value: string } }) => setForm({ ...form(), [k]: e.currentTarget.value });
  const linkOf = (inv: TInvoice): TLink | undefined => links()?.find((l) => l.invoiceId === inv.id && l.status !== "failed");

  const create = async (e: SubmitEvent) => {
    e.preventDefault();
    const f = form();
    const agorot = parseShekels(f.amount);
    if (agorot === null || agorot <= 0) return toast({ kind: "error", title: "סכום לא תקין", body: "יש להזין סכום לפני מע״מ, למשל 12,500" });
    setBusy(true);
    try {
      const inv = await trpc.invoices.create.mutate({
        type: f.type as "tax_invoice",
        customerName: f.customerName.trim(),
        customerTaxId: f.customerTaxId.trim() || undefined,
        allocationNumber: f.allocationNumber.trim() || undefined,
        lines: [{ description: f.description.trim() || "שירות", quantity: 1, unitPriceAgorot: agorot }],
      });
      toast({ kind: "success", title: `${INVOICE_TYPE[inv.type]} ${inv.number} הונפקה` });
      setOpen(false);
      void refetch();
    } catch (err) {
      toast({ kind: "error", title: "ההנפקה נכשלה", body: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };
  const pdf = async (inv: TInvoice) => {
    try {
      const f = await trpc.invoices.pdf.query({ id: inv.id });
      downloadBase64(f.filename, f.base64);
    } catch (err) {
      toast({ kind: "error", title: "ההורדה נכשלה", body: errorMessage(err) });
    }
  };
  const credit = async (inv: TInvoice) => {
    const reason = window.prompt(`סיבת הזיכוי ל${INVOICE_TYPE[inv.type]} ${inv.number}:`);
    if (!reason) return;
    try {
      const r = await trpc.invoices.creditNote.mutate({ invoiceId: inv.id, reason });
      toast({ kind: "success", title: `חשבונית זיכוי ${r.creditNote.number} הונפקה` });
      void refetch();
    } catch (err) {
      toast({ kind: "error", title: "הזיכוי נכשל", body: errorMessage(err) });
    }
  };
  const payLink = async (inv: TInvoice, provider: "paypal" | "tranzila") => {
    try {
      const l = await trpc.payments.create.mutate({ provider, invoiceId: inv.id });
      if (l.url) await navigator.clipboard?.writeText(l.url).catch(() => undefined);
      toast({ kind: "success", title: "קישור התשלום נוצר והועתק", body: l.url ?? "" });
      void linksRes.refetch();
    } catch (err) {
      toast({ kind: "error", title: "יצירת הקישור נכשלה", body: errorMessage(err) });
    }
  };

  return (
    <div>
      <PageHeader title="חשבוניות" subtitle="מספור רציף לכל סוג מסמך · מע״מ לפי תאריך · ביטול בחשבונית זיכוי בלבד" actions={<Button onClick={() => setOpen(true)}>חשבונית חדשה</Button>} />
      <Show when={invoices.error}>
        <ErrorBox error={invoices.error} retry={refetch} />
      </Show>
      <Card padded={false}>
        <Show when={invoices.latest} fallback={<Show when={!invoices.error}><Spinner /></Show>}>
          {(list) => (
            <Show when={list().length} fallback={<EmptyState title="עדיין אין חשבוניות" hint="הנפיקו חשבונית ראשונה בכפתור למעלה." />}>
              <div class="overflow-x-auto">
                <table class="w-full text-start text-[15px]" data-testid="invoices-table">
                  <thead>
                    <tr class="border-b border-line bg-slate-50 text-sm text-muted">
                      <th class="px-4 py-2.5 text-start">מסמך</th>
                      <th class="px-4 py-2.5 text-start">תאריך</th>
                      <th class="px-4 py-2.5 text-start">לקוח</th>
                      <th class="px-4 py-2.5 text-start">סה״כ</th>
                      <th class="px-4 py-2.5 text-start">סטטוס</th>
                      <th class="px-4 py-2.5 text-start">פעולות</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={list()}>
                      {(inv) => (
                        <tr class="border-b border-line" data-invoice-number={inv.number} data-invoice-type={inv.type}>
                          <td class="px-4 py-2.5 font-semibold">
                            {INVOICE_TYPE[inv.type]} <bdi dir="ltr">{inv.number}</bdi>
                          </td>
                          <td class="px-4 py-2.5 tabular">{formatDate(inv.issueDate)}</td>
                          <td class="px-4 py-2.5">{inv.customerName}</td>
                          <td class="px-4 py-2.5">
                            <Agorot value={inv.totalAgorot} />
                          </td>
                          <td class="px-4 py-2.5">
                            <Badge tone={INVOICE_STATUS[inv.status]?.tone}>
                              <span data-testid="invoice-status">{INVOICE_STATUS[inv.status]?.label ?? inv.status}</span>
                            </Badge>
                            <Show when={linkOf(inv)}>{(l) => <span class="ms-2 text-sm text-muted">קישור {PROVIDER[l().provider]}: {LINK_STATUS[l().status]?.label}</span>}</Show>
                          </td>
                          <td class="px-4 py-2.5">
                            <div class="flex flex-wrap gap-1.5">
                              <Button size="sm" variant="secondary" onClick={() => pdf(inv)}>
                                PDF
                              </Button>
                              <Show when={inv.type === "tax_invoice" && inv.status === "issued" && !linkOf(inv)}>
                                <For each={providers()?.configured ?? []}>
                                  {(p) => (
                                    <Button size="sm" variant="secondary" onClick={() => payLink(inv, p)}>
                                      קישור תשלום {PROVIDER[p]}
                                    </Button>
                                  )}
                                </For>
                              </Show>
                              <Show when={(inv.type === "tax_invoice" || inv.type === "tax_invoice_receipt") && inv.status !== "cancelled"}>
                                <Button size="sm" variant="ghost" onClick={() => credit(inv)}>
                                  זיכוי
                                </Button>
                              </Show>
                            </div>
                          </td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </div>
            </Show>
          )}
        </Show>
      </Card>

      <Modal open={open()} title="חשבונית חדשה" onClose={() => setOpen(false)}>
        <form onSubmit={create} class="grid gap-3 sm:grid-cols-2">
          <Field label="סוג מסמך">{(id) => <Select id={id} options={optionsOf({ tax_invoice: "חשבונית מס", tax_invoice_receipt: "חשבונית מס/קבלה", receipt: "קבלה" })} value={form().type} onChange={set("type")} />}</Field>
          <Field label="שם הלקוח">{(id) => <Input id={id} required value={form().customerName} onInput={set("customerName")} />}</Field>
          <Field label="ח.פ. / ע.מ. (ללקוח עסקי)">{(id) => <Input id={id} dir="ltr" inputmode="numeric" value={form().customerTaxId} onInput={set("customerTaxId")} />}</Field>
          <Field label="מספר הקצאה" hint="נדרש לחשבונית עסקית מעל הסף">
            {(id) => <Input id={id} dir="ltr" inputmode="numeric" value={form().allocationNumber} onInput={set("allocationNumber")} />}
          </Field>
          <Field label="תיאור">{(id) => <Input id={id} value={form().description} onInput={set("description")} />}</Field>
          <Field label="סכום לפני מע״מ (₪)">{(id) => <Input id={id} dir="ltr" inputmode="decimal" required value={form().amount} onInput={set("amount")} />}</Field>
          <div class="sm:col-span-2 flex justify-end">
            <Button type="submit" busy={busy()}>
              הנפקה
            </Button>
          </div>
        </form>
      </Modal>
    </div>
  );
}
