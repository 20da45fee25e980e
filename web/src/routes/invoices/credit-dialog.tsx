/**
 * The credit-note dialog (חשבונית זיכוי): full or partial amount, a reason,
 * then a confirmation step that shows what will happen (from the server's
 * preview, so the numbers are the ones that will be issued).
 */
import { createSignal, Match, Show, Switch } from "solid-js";
import { Button } from "../../components/ui/button";
import { Field, Input, Textarea } from "../../components/ui/field";
import { Modal } from "../../components/ui/modal";
import { errorMessage } from "../../components/ui/states";
import { toast } from "../../context/toasts";
import { trpc, type TRouterOutputs } from "../../lib/trpc";
import { Agorot, INVOICE_STATUS, INVOICE_TYPE, parseShekels } from "./billing-ui";

type TInvoice = TRouterOutputs["invoices"]["list"][number];
type TPreview = TRouterOutputs["invoices"]["creditPreview"];

export function CreditDialog(props: { invoice: TInvoice | null; onClose: () => void; onDone: () => void }) {
  const [mode, setMode] = createSignal<"full" | "partial">("full");
  const [amount, setAmount] = createSignal("");
  const [reason, setReason] = createSignal("");
  const [preview, setPreview] = createSignal<TPreview | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);

  const close = () => {
    setMode("full");
    setAmount("");
    setReason("");
    setPreview(null);
    setError(null);
    props.onClose();
  };

  const amountAgorot = (): number | undefined | null => {
    if (mode() === "full") return undefined;
    const a = parseShekels(amount());
    return a && a > 0 ? a : null;
  };

  /** Step 1 → 2: validate, ask the server what would be issued. */
  const review = async (e: SubmitEvent) => {
    e.preventDefault();
    setError(null);
    const a = amountAgorot();
    if (a === null) return setError("יש להזין סכום זיכוי לפני מע״מ, למשל 1,500");
    if (reason().trim().length < 2) return setError("יש לציין סיבה לזיכוי");
    setBusy(true);
    try {
      setPreview(await trpc.invoices.creditPreview.query({ invoiceId: props.invoice!.id, amountAgorot: a }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const issue = async () => {
    setBusy(true);
    try {
      const r = await trpc.invoices.creditNote.mutate({ invoiceId: props.invoice!.id, amountAgorot: amountAgorot() ?? undefined, reason: reason().trim() });
      toast({ kind: "success", title: `חשבונית זיכוי ${r.creditNote.number} הונפקה` });
      props.onDone();
      close();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const title = () => (props.invoice ? `זיכוי ל${INVOICE_TYPE[props.invoice.type]} ${props.invoice.number}` : "זיכוי");

  return (
    <Modal open={props.invoice !== null} title={title()} onClose={close}>
      <Switch>
        <Match when={!preview()}>
          <form onSubmit={review} class="grid gap-3" data-testid="credit-form">
            <fieldset class="grid gap-2">
              <legend class="mb-1 text-sm font-semibold">סכום הזיכוי</legend>
              <label class="flex items-center gap-2">
                <input type="radio" name="credit-mode" checked={mode() === "full"} onChange={() => setMode("full")} />
                זיכוי מלא של יתרת החשבונית
              </label>
              <label class="flex items-center gap-2">
                <input type="radio" name="credit-mode" value="partial" checked={mode() === "partial"} onChange={() => setMode("partial")} />
                זיכוי חלקי
              </label>
            </fieldset>
            <Show when={mode() === "partial"}>
              <Field label="סכום לזיכוי לפני מע״מ (₪)">
                {(id) => <Input id={id} dir="ltr" inputmode="decimal" value={amount()} onInput={(e) => setAmount(e.currentTarget.value)} data-testid="credit-amount" />}
              </Field>
            </Show>
            <Field label="סיבת הזיכוי">{(id) => <Textarea id={id} rows={2} value={reason()} onInput={(e) => setReason(e.currentTarget.value)} data-testid="credit-reason" />}</Field>
            <Show when={error()}>
              <p class="text-sm text-red-700" role="alert">
                {error()}
              </p>
            </Show>
            <div class="flex justify-end gap-2">
              <Button type="button" variant="secondary" onClick={close}>
                ביטול
              </Button>
              <Button type="submit" busy={busy()}>
                המשך לאישור
              </Button>
            </div>
          </form>
        </Match>
        <Match when={preview()}>
          {(p) => (
            <div class="grid gap-3" data-testid="credit-confirm">
              <p>תונפק חשבונית זיכוי ל{p().invoiceLabel}:</p>
              <dl class="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 rounded-lg bg-slate-50 p-3">
                <dt class="text-muted">לפני מע״מ</dt>
                <dd>
                  <Agorot value={-p().subtotalAgorot} />
                </dd>
                <dt class="text-muted">מע״מ</dt>
                <dd>
                  <Agorot value={-p().vatAgorot} />
                </dd>
                <dt class="font-semibold">סה״כ זיכוי</dt>
                <dd class="font-semibold" data-testid="credit-total">
                  <Agorot value={-p().totalAgorot} />
                </dd>
                <dt class="text-muted">יתרה בחשבונית אחרי הזיכוי</dt>
                <dd>
                  <Agorot value={p().remainingAfterAgorot} />
                </dd>
              </dl>
              <p>
                סטטוס החשבונית ישתנה ל־<strong data-testid="credit-status-after">{INVOICE_STATUS[p().statusAfter]?.label}</strong>. חשבונית זיכוי אינה ניתנת לביטול או לעריכה.
              </p>
              <Show when={error()}>
                <p class="text-sm text-red-700" role="alert">
                  {error()}
                </p>
              </Show>
              <div class="flex justify-end gap-2">
                <Button type="button" variant="secondary" onClick={() => setPreview(null)}>
                  חזרה
                </Button>
                <Button type="button" busy={busy()} onClick={issue} data-testid="credit-issue">
                  הנפקת חשבונית זיכוי
                </Button>
              </div>
            </div>
          )}
        </Match>
      </Switch>
    </Modal>
  );
}
