/**
 * Issue a document as an Israeli business does: the customer picked from
 * the CRM (search by name or phone, the phone shown), their ת.ז. / ח.פ. and
 * address snapshotted on the document (filled from their last one), several
 * line items, and the type: חשבונית מס, קבלה or חשבונית מס/קבלה.
 */
import { createResource, createSignal, For, Index, Show } from "solid-js";
import { Button } from "../../components/ui/button";
import { Field, Input, optionsOf, Select } from "../../components/ui/field";
import { Modal } from "../../components/ui/modal";
import { errorMessage } from "../../components/ui/states";
import { toast } from "../../context/toasts";
import { formatAgorot, formatPhone } from "../../lib/format";
import { trpc, type TRouterOutputs } from "../../lib/trpc";
import { INVOICE_TYPE, parseShekels } from "./billing-ui";

type TOption = TRouterOutputs["invoices"]["customerOptions"][number];
interface TLineDraft {
  description: string;
  quantity: string;
  price: string;
}

const VAT_PREVIEW_BP = 1800;
const emptyLine = (): TLineDraft => ({ description: "", quantity: "1", price: "" });

export function InvoiceForm(props: { open: boolean; onClose: () => void; onIssued: () => void }) {
  const [q, setQ] = createSignal("");
  const [options] = createResource(q, (term) => trpc.invoices.customerOptions.query({ q: term }));
  const [customer, setCustomer] = createSignal<TOption | null>(null);
  const [type, setType] = createSignal("tax_invoice");
  const [name, setName] = createSignal("");
  const [idKind, setIdKind] = createSignal<"id" | "company">("id");
  const [taxId, setTaxId] = createSignal("");
  const [address, setAddress] = createSignal("");
  const [allocation, setAllocation] = createSignal("");
  const [lines, setLines] = createSignal<TLineDraft[]>([{ description: "דמי תיווך", quantity: "1", price: "" }]);
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | null>(null);

  const pick = (c: TOption) => {
    setCustomer(c);
    setName(c.fullName);
    setTaxId(c.taxId ?? "");
    setIdKind(c.idKind ?? "id");
    setAddress(c.address ?? "");
  };
  const setLine = (i: number, k: keyof TLineDraft, v: string) => setLines(lines().map((l, j) => (j === i ? { ...l, [k]: v } : l)));
  const parsed = () => lines().map((l) => ({ description: l.description.trim(), quantity: Number(l.quantity), unitPriceAgorot: parseShekels(l.price) }));
  const subtotal = () => parsed().reduce((s, l) => s + (l.unitPriceAgorot !== null && Number.isFinite(l.quantity) ? Math.round(l.quantity * l.unitPriceAgorot) : 0), 0);
  const vat = () => (type() === "receipt" ? 0 : Math.round((subtotal() * VAT_PREVIEW_BP) / 10000));

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setError(null);
    const items = parsed();
    const bad = items.findIndex((l) => !l.description || !(l.quantity > 0) || l.unitPriceAgorot === null);
    if (bad >= 0) return setError(`שורה ${bad + 1}: יש למלא תיאור, כמות ומחיר (למשל 12,500)`);
    if (!name().trim()) return setError("יש לבחור לקוח או להזין שם");
    setBusy(true);
    try {
      const inv = await trpc.invoices.create.mutate({
        type: type() as "tax_invoice",
        customerId: customer()?.id,
        customerName: name().trim(),
        customerTaxId: taxId().trim() || undefined,
        customerIdKind: taxId().trim() ? idKind() : undefined,
        customerAddress: address().trim() || undefined,
        allocationNumber: allocation().trim() || undefined,
        lines: items.map((l) => ({ description: l.description, quantity: l.quantity, unitPriceAgorot: l.unitPriceAgorot! })),
      });
      toast({ kind: "success", title: `${INVOICE_TYPE[inv.type]} ${inv.number} הונפקה` });
      props.onIssued();
      props.onClose();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open={props.open} title="מסמך חדש" onClose={props.onClose} wide>
      <form onSubmit={submit} class="grid gap-4" data-testid="invoice-form">
        <div class="grid gap-3 sm:grid-cols-2">
          <Field label="סוג מסמך">{(id) => <Select id={id} options={optionsOf({ tax_invoice: "חשבונית מס", tax_invoice_receipt: "חשבונית מס/קבלה", receipt: "קבלה" })} value={type()} onChange={(e) => setType(e.currentTarget.value)} />}</Field>
          <Field label="חיפוש לקוח ב-CRM (שם או טלפון)">
            {(id) => <Input id={id} type="search" value={q()} onInput={(e) => setQ(e.currentTarget.value)} placeholder="למשל דנה או 054-123" data-testid="customer-search" />}
          </Field>
        </div>
        <Show when={q().trim() && !customer()}>
          <ul class="max-h-40 overflow-y-auto rounded-lg border border-line" role="listbox" aria-label="לקוחות">
            <For each={options() ?? []} fallback={<li class="px-3 py-2 text-sm text-muted">לא נמצאו לקוחות</li>}>
              {(c) => (
                <li>
                  <button type="button" role="option" class="flex w-full justify-between px-3 py-2 text-start hover:bg-slate-50" onClick={() => pick(c)} data-testid="customer-option">
                    <span>{c.fullName || "ללא שם"}</span>
                    <bdi dir="ltr" class="text-muted tabular">
                      {formatPhone(c.phone)}
                    </bdi>
                  </button>
                </li>
              )}
            </For>
          </ul>
        </Show>
        <Show when={customer()}>
          {(c) => (
            <p class="text-sm">
              לקוח מה-CRM: <strong>{c().fullName}</strong> · <bdi dir="ltr">{formatPhone(c().phone)}</bdi>{" "}
              <button type="button" class="text-brand underline" onClick={() => setCustomer(null)}>
                החלפה
              </button>
            </p>
          )}
        </Show>
        <div class="grid gap-3 sm:grid-cols-2">
          <Field label="שם על המסמך">{(id) => <Input id={id} required value={name()} onInput={(e) => setName(e.currentTarget.value)} />}</Field>
          <Field label="כתובת">{(id) => <Input id={id} value={address()} onInput={(e) => setAddress(e.currentTarget.value)} />}</Field>
          <Field label="סוג מזהה">{(id) => <Select id={id} options={optionsOf({ id: "ת.ז. (לקוח פרטי)", company: "ח.פ. / ע.מ. (עסק)" })} value={idKind()} onChange={(e) => setIdKind(e.currentTarget.value as "id")} />}</Field>
          <Field label={idKind() === "id" ? "מספר ת.ז." : "מספר ח.פ. / ע.מ."}>{(id) => <Input id={id} dir="ltr" inputmode="numeric" maxLength={9} value={taxId()} onInput={(e) => setTaxId(e.currentTarget.value)} />}</Field>
          <Show when={idKind() === "company" && type() !== "receipt"}>
            <Field label="מספר הקצאה" hint="נדרש לחשבונית עסקית מעל הסף">{(id) => <Input id={id} dir="ltr" inputmode="numeric" value={allocation()} onInput={(e) => setAllocation(e.currentTarget.value)} />}</Field>
          </Show>
        </div>
        <fieldset class="grid gap-2">
          <legend class="mb-1 font-semibold">שורות</legend>
          <Index each={lines()}>
            {(l, i) => (
              <div class="grid grid-cols-[1fr_5rem_8rem_auto] items-end gap-2" data-testid="invoice-line">
                <Field label="תיאור">{(id) => <Input id={id} value={l().description} onInput={(e) => setLine(i, "description", e.currentTarget.value)} />}</Field>
                <Field label="כמות">{(id) => <Input id={id} dir="ltr" inputmode="decimal" value={l().quantity} onInput={(e) => setLine(i, "quantity", e.currentTarget.value)} />}</Field>
                <Field label="מחיר ליחידה (₪)">{(id) => <Input id={id} dir="ltr" inputmode="decimal" value={l().price} onInput={(e) => setLine(i, "price", e.currentTarget.value)} />}</Field>
                <Button type="button" size="sm" variant="ghost" disabled={lines().length === 1} onClick={() => setLines(lines().filter((_, j) => j !== i))} aria-label={`הסרת שורה ${i + 1}`}>
                  ✕
                </Button>
              </div>
            )}
          </Index>
          <div>
            <Button type="button" size="sm" variant="secondary" onClick={() => setLines([...lines(), emptyLine()])}>
              הוספת שורה
            </Button>
          </div>
        </fieldset>
        <p class="text-sm text-muted">
          לפני מע״מ <bdi dir="ltr">{formatAgorot(subtotal())}</bdi>
          <Show when={type() !== "receipt"}>
            {" "}
            · מע״מ (הערכה) <bdi dir="ltr">{formatAgorot(vat())}</bdi> · סה״כ <bdi dir="ltr">{formatAgorot(subtotal() + vat())}</bdi>
          </Show>
        </p>
        <Show when={error()}>
          <p class="text-sm text-red-700" role="alert">
            {error()}
          </p>
        </Show>
        <div class="flex justify-end gap-2">
          <Button type="button" variant="secondary" onClick={props.onClose}>
            ביטול
          </Button>
          <Button type="submit" busy={busy()}>
            הנפקה
          </Button>
        </div>
      </form>
    </Modal>
  );
}
