/** CSV import (all-or-nothing): the button, and the list of bad rows when the file was refused. */
import { createSignal, For, Show } from "solid-js";
import { Portal } from "solid-js/web";
import { Button } from "../../components/ui/button";
import { errorMessage } from "../../components/ui/states";
import { toast } from "../../context/toasts";
import { byCount } from "../../lib/plural";
import { trpc } from "../../lib/trpc";

export function CustomersImport(props: { onImported: () => void }) {
  let fileInput: HTMLInputElement | undefined;
  const [importing, setImporting] = createSignal(false);
  const [errors, setErrors] = createSignal<{ row: number; message: string }[]>([]);
  const importCsv = async (file: File | undefined) => {
    if (!file) return;
    setImporting(true);
    setErrors([]);
    try {
      const res = await trpc.customers.importCsv.mutate({ csv: await file.text() });
      if (res.errors.length) {
        setErrors(res.errors);
        toast({ kind: "error", title: "הקובץ לא יובא", body: byCount(res.errors.length, "נמצאה שורה שגויה אחת; לא נשמר דבר", (k) => `נמצאו ${k} שורות שגויות; לא נשמר דבר`) });
      } else {
        toast({ kind: "success", title: byCount(res.imported, "יובא לקוח אחד", (k) => `יובאו ${k} לקוחות`, "לא נמצאו לקוחות לייבוא") });
        props.onImported();
      }
    } catch (err) {
      toast({ kind: "error", title: "הייבוא נכשל", body: errorMessage(err) });
    } finally {
      setImporting(false);
      if (fileInput) fileInput.value = "";
    }
  };
  return (
    <>
      <input ref={fileInput} type="file" accept=".csv,text/csv" class="hidden" aria-label="קובץ CSV לייבוא" onChange={(e) => void importCsv(e.currentTarget.files?.[0])} />
      <Button variant="secondary" onClick={() => fileInput?.click()} busy={importing()}>
        ייבוא CSV
      </Button>
      <Show when={errors().length}>
        <Portal>
          <div class="fixed inset-x-4 bottom-4 z-40 mx-auto max-w-xl rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-red-800 shadow-lg" role="alert" dir="rtl">
            <div class="flex items-center justify-between">
              <p class="font-semibold">הייבוא בוטל: תקנו את השורות הבאות ונסו שוב</p>
              <Button size="sm" variant="ghost" onClick={() => setErrors([])}>
                סגירה
              </Button>
            </div>
            <ul class="mt-2 max-h-60 list-disc overflow-y-auto ps-5 text-sm">
              <For each={errors().slice(0, 20)}>
                {(e) => (
                  <li>
                    שורה <span class="tabular">{e.row}</span>: {e.message}
                  </li>
                )}
              </For>
            </ul>
          </div>
        </Portal>
      </Show>
    </>
  );
}
