/** Invoices: issue (CRM customer, lines, VAT, allocation number), list, PDF, credit-note dialog, one-click payment link. */
import { createResource, createSignal, For, Show } from "solid-js";
import { Badge } from "../../components/ui/badge";
import { Button } from "../../components/ui/button";
import { Card, PageHeader } from "../../components/ui/card";
import { EmptyState, ErrorBox, errorMessage, Spinner } from "../../components/ui/states";
import { toast } from "../../context/toasts";
import { formatIsoDate } from "../../lib/format";
import { trpc, type TRouterOutputs } from "../../lib/trpc";
import { Agorot, downloadBase64, INVOICE_TYPE, invoiceStatus, LINK_STATUS, PROVIDER } from "./billing-ui";
import { CreditDialog } from "./credit-dialog";
import { InvoiceForm } from "./invoice-form";
import { SendToCustomer } from "./send-to-customer";

type TInvoice = TRouterOutputs["invoices"]["list"][number];
type TLink = TRouterOutputs["payments"]["list"][number];

export default function InvoicesPage() {
  const [invoices, { refetch }] = createResource(() => trpc.invoices.list.query({}));
  const [links, linksRes] = createResource(() => trpc.payments.list.query({}));
  const [providers] = createResource(() => trpc.payments.providers.query());
  const [open, setOpen] = createSignal(false);
  const [crediting, setCrediting] = createSignal<TInvoice | null>(null);
  const linkOf = (inv: TInvoice): TLink | undefined => links()?.find((l) => l.invoiceId === inv.id && l.status !== "failed");

  const pdf = async (inv: TInvoice) => {
    try {
      const f = await trpc.invoices.pdf.query({ id: inv.id });
      downloadBase64(f.filename, f.base64);
    } catch (err) {
      toast({ kind: "error", title: "ההורדה נכשלה", body: errorMessage(err) });
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
      <PageHeader title="חשבוניות" subtitle="מספור רציף לכל סוג מסמך · מע״מ לפי תאריך · ביטול בחשבונית זיכוי בלבד" actions={<Button onClick={() => setOpen(true)}>מסמך חדש</Button>} />
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
                          <td class="px-4 py-2.5 tabular">{formatIsoDate(inv.issueDate)}</td>
                          <td class="px-4 py-2.5">{inv.customerName}</td>
                          <td class="px-4 py-2.5">
                            <Agorot value={inv.type === "credit_note" ? -inv.totalAgorot : inv.totalAgorot} />
                          </td>
                          <td class="px-4 py-2.5">
                            <Badge tone={invoiceStatus(inv).tone}>
                              <span data-testid="invoice-status">{invoiceStatus(inv).label}</span>
                            </Badge>
                            <Show when={linkOf(inv)}>{(l) => <span class="ms-2 text-sm text-muted">קישור {PROVIDER[l().provider]}: {LINK_STATUS[l().status]?.label}</span>}</Show>
                          </td>
                          <td class="px-4 py-2.5">
                            <div class="flex flex-wrap gap-1.5">
                              <Button size="sm" variant="secondary" onClick={() => pdf(inv)}>
                                PDF
                              </Button>
                              <SendToCustomer disabled={!inv.customerId} send={(channel) => trpc.invoices.send.mutate({ id: inv.id, channel })} />
                              <Show when={inv.type === "tax_invoice" && (inv.status === "issued" || inv.status === "partially_credited") && !linkOf(inv)}>
                                <For each={providers()?.configured ?? []}>
                                  {(p) => (
                                    <Button size="sm" variant="secondary" onClick={() => payLink(inv, p)}>
                                      קישור תשלום {PROVIDER[p]}
                                    </Button>
                                  )}
                                </For>
                              </Show>
                              <Show when={(inv.type === "tax_invoice" || inv.type === "tax_invoice_receipt") && inv.status !== "cancelled" && inv.status !== "credited"}>
                                <Button size="sm" variant="ghost" onClick={() => setCrediting(inv)}>
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

      <InvoiceForm open={open()} onClose={() => setOpen(false)} onIssued={() => void refetch()} />
      <CreditDialog invoice={crediting()} onClose={() => setCrediting(null)} onDone={() => void refetch()} />
    </div>
  );
}
