/** Create / edit a listing. */
import { createSignal } from "solid-js";
import { Field, Input, optionsOf, Select, Textarea } from "../../components/ui/field";
import { FormActions } from "../../components/ui/form-actions";
import { Modal } from "../../components/ui/modal";
import { errorMessage } from "../../components/ui/states";
import { DEAL_TYPE, PROPERTY_STATUS, PROPERTY_TYPE } from "../../lib/labels";
import { trpc, type TRouterOutputs } from "../../lib/trpc";

type TProperty = TRouterOutputs["properties"]["get"];

const numOrNull = (s: string) => {
  const t = s.replace(/[,\s₪]/g, "");
  return t === "" ? null : Number(t);
};

export function PropertyForm(props: { open: boolean; property?: TProperty | null; onClose: () => void; onSaved: (p: TProperty) => void }) {
  const p = () => props.property ?? null;
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const s = (k: string) => String(f.get(k) ?? "").trim();
    const price = numOrNull(s("price"));
    if (!s("title") || !s("city")) return setError("יש למלא כותרת ועיר");
    if (price === null || !Number.isFinite(price)) return setError("יש להזין מחיר במספרים");
    const fields = {
      title: s("title"),
      description: s("description") || null,
      dealType: s("dealType") as TProperty["dealType"],
      propertyType: s("propertyType") as TProperty["propertyType"],
      status: s("status") as TProperty["status"],
      city: s("city"),
      neighborhood: s("neighborhood") || null,
      street: s("street") || null,
      rooms: numOrNull(s("rooms")),
      sizeSqm: numOrNull(s("sizeSqm")),
      floor: numOrNull(s("floor")),
      totalFloors: numOrNull(s("totalFloors")),
      price,
      ownerName: s("ownerName") || null,
      ownerPhone: s("ownerPhone") || null,
      ownerNotes: s("ownerNotes") || null,
      features: s("features")
        .split(/[,،]/)
        .map((x) => x.trim())
        .filter(Boolean),
    };
    setBusy(true);
    setError(null);
    try {
      const existing = p();
      props.onSaved(existing ? await trpc.properties.update.mutate({ id: existing.id, ...fields }) : await trpc.properties.create.mutate(fields));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open={props.open} title={p() ? "עריכת נכס" : "נכס חדש"} onClose={props.onClose} wide>
      <form onSubmit={submit} class="grid gap-4 sm:grid-cols-2" novalidate>
        <Field label="כותרת" class="sm:col-span-2">{(id) => <Input id={id} name="title" value={p()?.title ?? ""} />}</Field>
        <Field label="סוג עסקה">{(id) => <Select id={id} name="dealType" options={optionsOf(DEAL_TYPE)} value={p()?.dealType ?? "sale"} />}</Field>
        <Field label="סוג נכס">{(id) => <Select id={id} name="propertyType" options={optionsOf(PROPERTY_TYPE)} value={p()?.propertyType ?? "apartment"} />}</Field>
        <Field label="עיר">{(id) => <Input id={id} name="city" value={p()?.city ?? ""} />}</Field>
        <Field label="שכונה">{(id) => <Input id={id} name="neighborhood" value={p()?.neighborhood ?? ""} />}</Field>
        <Field label="רחוב">{(id) => <Input id={id} name="street" value={p()?.street ?? ""} />}</Field>
        <Field label="מחיר (₪)" hint="בהשכרה: לחודש">{(id) => <Input id={id} name="price" dir="ltr" inputmode="numeric" value={p()?.price?.toString() ?? ""} />}</Field>
        <Field label="חדרים">{(id) => <Input id={id} name="rooms" dir="ltr" inputmode="decimal" value={p()?.rooms?.toString() ?? ""} />}</Field>
        <Field label="שטח (מ״ר)">{(id) => <Input id={id} name="sizeSqm" dir="ltr" inputmode="numeric" value={p()?.sizeSqm?.toString() ?? ""} />}</Field>
        <Field label="קומה">{(id) => <Input id={id} name="floor" dir="ltr" inputmode="numeric" value={p()?.floor?.toString() ?? ""} />}</Field>
        <Field label="מתוך קומות">{(id) => <Input id={id} name="totalFloors" dir="ltr" inputmode="numeric" value={p()?.totalFloors?.toString() ?? ""} />}</Field>
        <Field label="סטטוס">{(id) => <Select id={id} name="status" options={optionsOf(PROPERTY_STATUS)} value={p()?.status ?? "available"} />}</Field>
        <Field label="מאפיינים" hint="מופרדים בפסיק: מעלית, חניה, ממ״ד">{(id) => <Input id={id} name="features" value={p()?.features.join(", ") ?? ""} />}</Field>
        <Field label="תיאור" class="sm:col-span-2">{(id) => <Textarea id={id} name="description" rows={3} value={p()?.description ?? ""} />}</Field>
        <Field label="שם בעל הנכס / המשכיר">{(id) => <Input id={id} name="ownerName" value={p()?.ownerName ?? ""} />}</Field>
        <Field label="טלפון בעל הנכס">{(id) => <Input id={id} name="ownerPhone" type="tel" dir="ltr" inputmode="tel" placeholder="050-000-0000" value={p()?.ownerPhone ?? ""} />}</Field>
        <Field label="הערות על בעל הנכס" class="sm:col-span-2">{(id) => <Textarea id={id} name="ownerNotes" rows={2} value={p()?.ownerNotes ?? ""} />}</Field>
        <FormActions error={error()} busy={busy()} onCancel={() => props.onClose()} class="sm:col-span-2" />
      </form>
    </Modal>
  );
}
