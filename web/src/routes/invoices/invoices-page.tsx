/**
 * Invoices on the shared table: server-side sorting and filters (customer or
 * number, type, status, dates), column choice, bulk select (export the
 * selected), saved views per user and CSV of exactly what is shown; per row:
 * PDF, send to the customer, a one-click payment link and the credit-note
 * dialog (the only way to cancel). Issue a new document.
 *
 * No bulk status action: a document's status changes only through a verified
 * payment or a credit note (legal documents, numbered and audited).
 */
import { createEffect, createResource, createSignal, For, on, Show } from "solid-js";
import { BulkBar } from "../../components/grid/bulk-bar";
import { SavedViews, type TViewState } from "../../components/grid/saved-views";
import { Icon } from "../../components/icons";
import { Button } from "../../components/ui/button";
import { Card, PageHeader } from "../../components/ui/card";
import { ColumnChooser, createGridState, DataGrid, downloadGridCsv, type TGridSort } from "../../components/ui/data-grid";
import { EmptyState, ErrorBox, errorMessage, Spinner } from "../../components/ui/states";
import { toast } from "../../context/toasts";
import { loadPref, savePref } from "../../lib/download";
import { byCount } from "../../lib/plural";
import { trpc, type TRouterInputs } from "../../lib/trpc";
import { downloadBase64, INVOICE_TYPE, PROVIDER } from "./billing-ui";
import { CreditDialog } from "./credit-dialog";
import { DEFAULT_INVOICE_COLUMNS, invoiceColumns, NOT_EXPORTED, type TInvoice, type TLink } from "./invoice-columns";
import { InvoiceFilters, invoiceFiltersFromSaved, NO_INVOICE_FILTERS, toInvoiceQuery, type TInvoiceFilterState } from "./invoice-filters";
import { InvoiceForm } from "./invoice-form";
import { SendToCustomer } from "./send-to-customer";

type TSort = NonNullable<NonNullable<Exclude<TRouterInputs["invoices"]["list"], void>>["sort"]>;
const docsNoun: [string, string] = ["מסמך אחד", "מסמכים"];

/** The table's sort as the server's sort key. */
function serverSort(s: TGridSort): TSort {
  if (!s) return "newest";
  if (s.id === "document") return s.desc ? "number_desc" : "number";
  if (s.id === "customer") return s.desc ? "customer_desc" : "customer";
  if (s.id === "total") return s.desc ? "total_desc" : "total";
  return s.desc ? "newest" : "oldest";
}

export default function InvoicesPage() {
  const [filters, setFilters] = createSignal<TInvoiceFilterState>({ ...NO_INVOICE_FILTERS });
  const grid = createGridState({ sort: { id: "date", desc: true }, visible: loadPref("invoices.columns", DEFAULT_INVOICE_COLUMNS) });
  const query = () => ({ ...toInvoiceQuery(filters()), sort: serverSort(grid.sort()) });
  const [invoices, { refetch }] = createResource(query, (input) => trpc.invoices.list.query(input));
  const [links, linksRes] = createResource(() => trpc.payments.list.query({}));
  const [providers] = createResource(() => trpc.payments.providers.query());
  const [open, setOpen] = createSignal(false);
  const [crediting, setCrediting] = createSignal<TInvoice | null>(null);
  createEffect(on(query, () => grid.setSelected([]), { defer: true }));
  createEffect(on(grid.visible, (v) => savePref("invoices.columns", v), { defer: true }));
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

  const actions = (inv: TInvoice) => (
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
  );
  const columns = invoiceColumns({ linkOf, actions });

  const rows = (): TInvoice[] => invoices.latest ?? [];
  const exportRows = (which: TInvoice[]) => {
    const visible = grid.visible().filter((c) => !NOT_EXPORTED.includes(c));
    downloadGridCsv(`invoices-${new Date().toISOString().slice(0, 10)}.csv`, columns, visible, which);
    toast({ kind: "success", title: byCount(which.length, "יוצא מסמך אחד", (n) => `יוצאו ${n} מסמכים`) });
  };
  const currentView = (): TViewState => ({ filters: { ...filters() }, sort: grid.sort(), columns: grid.visible() });
  const applyView = (s: TViewState) => {
    setFilters(invoiceFiltersFromSaved(s.filters));
    grid.setSort(s.sort ?? null);
    if (s.columns?.length) grid.setVisible(s.columns.filter((c) => columns.some((x) => x.id === c)));
  };

  return (
    <div>
      <PageHeader
        title="חשבוניות"
        subtitle="מספור רציף לכל סוג מסמך · מע״מ לפי תאריך · ביטול בחשבונית זיכוי בלבד"
        actions={
          <>
            <Button variant="secondary" onClick={() => exportRows(rows())} disabled={rows().length === 0} title="העמודות והשורות שבטבלה, כפי שהן מוצגות">
              <Icon name="download" class="size-4" />
              ייצוא המוצג
            </Button>
            <Button onClick={() => setOpen(true)}>מסמך חדש</Button>
          </>
        }
      />
      <div class="mb-3 flex flex-wrap items-center justify-between gap-2">
        <SavedViews page="invoices" current={currentView} onApply={applyView} />
        <ColumnChooser columns={columns} state={grid} />
      </div>
      <InvoiceFilters value={filters} onChange={(patch) => setFilters({ ...filters(), ...patch })} />
      <Show when={invoices.error}>
        <ErrorBox error={invoices.error} retry={refetch} />
      </Show>
      <Show when={invoices.latest} fallback={<Show when={!invoices.error}><Spinner /></Show>}>
        <BulkBar count={grid.selected().length} noun={docsNoun} onClear={() => grid.setSelected([])}>
          <Button size="sm" variant="secondary" onClick={() => exportRows(rows().filter((r) => grid.selected().includes(r.id)))}>
            ייצוא הנבחרים
          </Button>
        </BulkBar>
        <Card padded={false}>
          <DataGrid
            columns={columns}
            rows={rows()}
            rowId={(inv) => inv.id}
            rowLabel={(inv) => `${INVOICE_TYPE[inv.type] ?? ""} ${inv.number}`}
            rowData={(inv) => ({ "data-invoice-number": inv.number, "data-invoice-type": inv.type })}
            state={grid}
            empty={
              Object.values(filters()).some(Boolean) ? (
                <EmptyState title="לא נמצאו מסמכים" hint="שנו את הסינון." />
              ) : (
                <EmptyState title="עדיין אין חשבוניות" hint="הנפיקו חשבונית ראשונה בכפתור למעלה." />
              )
            }
          />
        </Card>
        <div class="mt-3 text-sm text-muted" data-testid="invoices-shown">
          {byCount(rows().length, "מוצג מסמך אחד", (n) => `מוצגים ${n} מסמכים`, "אין מסמכים להצגה")}
          <Show when={rows().length >= 500}> · מוצגים 500 האחרונים, צמצמו בסינון</Show>
        </div>
      </Show>

      <InvoiceForm open={open()} onClose={() => setOpen(false)} onIssued={() => void refetch()} />
      <CreditDialog invoice={crediting()} onClose={() => setCrediting(null)} onDone={() => void refetch()} />
    </div>
  );
}
