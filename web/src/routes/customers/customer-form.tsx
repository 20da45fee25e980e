/** Create / edit a customer in a dialog. Phone validation and errors come from the server in Hebrew. */
import { createSignal } from "solid-js";
import { Field, Input, optionsOf, Select, Textarea } from "../../components/ui/field";
import { FormActions } from "../../components/ui/form-actions";
import { Modal } from "../../components/ui/modal";
import { errorMessage } from "../../components/ui/states";
import { CUSTOMER_SOURCE, CUSTOMER_STATUS, DEAL_TYPE } from "../../lib/labels";
import { trpc, type TRouterOutputs } from "../../lib/trpc";

type TCustomer = TRouterOutputs["customers"]["create"];

const num = (s: string) => (s.trim() === "" ? undefined : Number(s.replace(/[^\d.]/g, "")));

export function CustomerForm(props: { open: boolean; customer?: TCustomer | null; onClose: () => void; onSaved: (c: TCustomer) => void }) {
  const c = () => props.customer ?? null;
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const s = (k: string) => String(f.get(k) ?? "").trim();
    const fullName = s("fullName");
    if (!fullName && !s("phone")) {
      setError("יש למלא שם או טלפון");
      return;
    }
    const cities = s("cities")
      .split(/[,،]/)
      .map((x) => x.trim())
      .filter(Boolean);
    const requirements = {
      ...(c()?.requirements ?? {}),
      dealType: (s("dealType") || undefined) as "sale" | "rent" | undefined,
      cities: cities.length ? cities : undefined,
      roomsMin: num(s("roomsMin")),
      budgetMax: num(s("budgetMax")),
    };
    const fields = {
      fullName: fullName || null,
      phone: s("phone") || null,
      email: s("email") || null,
      status: s("status") as TCustomer["status"],
      source: s("source") as TCustomer["source"],
      tags: s("tags")
        .split(/[,،]/)
        .map((x) => x.trim())
        .filter(Boolean),
      notes: s("notes") || null,
      requirements: JSON.parse(JSON.stringify(requirements)) as typeof requirements,
    };
    setBusy(true);
    setError(null);
    try {
      const existing = c();
      const saved = existing ? await trpc.customers.update.mutate({ id: existing.id, ...fields }) : await trpc.customers.create.mutate(fields);
      props.onSaved(saved);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open={props.open} title={c() ? "עריכת לקוח" : "לקוח חדש"} onClose={props.onClose} wide>
      <form id="customer-form" onSubmit={submit} class="grid gap-4 sm:grid-cols-2" novalidate>
        <Field label="שם מלא">{(id) => <Input id={id} name="fullName" value={c()?.fullName ?? ""} />}</Field>
        <Field label="טלפון" hint="למשל 054-123-4567">
          {(id) => <Input id={id} name="phone" dir="ltr" inputmode="tel" value={c()?.phone ?? ""} />}
        </Field>
        <Field label="דוא״ל">{(id) => <Input id={id} name="email" type="email" dir="ltr" value={c()?.email ?? ""} />}</Field>
        <Field label="סטטוס">{(id) => <Select id={id} name="status" options={optionsOf(CUSTOMER_STATUS)} value={c()?.status ?? "new"} />}</Field>
        <Field label="מקור">{(id) => <Select id={id} name="source" options={optionsOf(CUSTOMER_SOURCE)} value={c()?.source ?? "manual"} />}</Field>
        <Field label="תגיות" hint="מופרדות בפסיק">{(id) => <Input id={id} name="tags" value={c()?.tags.join(", ") ?? ""} />}</Field>
        <Field label="סוג עסקה">
          {(id) => <Select id={id} name="dealType" options={optionsOf(DEAL_TYPE)} placeholder="לא ידוע" value={c()?.requirements.dealType ?? ""} />}
        </Field>
        <Field label="ערים" hint="מופרדות בפסיק">{(id) => <Input id={id} name="cities" value={c()?.requirements.cities?.join(", ") ?? ""} />}</Field>
        <Field label="חדרים לפחות">
          {(id) => <Input id={id} name="roomsMin" inputmode="decimal" dir="ltr" value={c()?.requirements.roomsMin?.toString() ?? ""} />}
        </Field>
        <Field label="תקציב עד (₪)">
          {(id) => <Input id={id} name="budgetMax" inputmode="numeric" dir="ltr" value={c()?.requirements.budgetMax?.toString() ?? ""} />}
        </Field>
        <Field label="הערות" class="sm:col-span-2">{(id) => <Textarea id={id} name="notes" rows={3} value={c()?.notes ?? ""} />}</Field>
        <FormActions error={error()} busy={busy()} onCancel={() => props.onClose()} class="sm:col-span-2" />
      </form>
    </Modal>
  );
}
