import { Show } from "solid-js";
import { Button } from "./button";

/**
 * The end of a modal form: the Hebrew error (if any) and the cancel / save
 * buttons. `class` is added to both rows (e.g. `sm:col-span-2` in a grid form).
 */
export function FormActions(props: { error: string | null | undefined; busy: boolean; onCancel: () => void; class?: string }) {
  return (
    <>
      <Show when={props.error}>
        <p class={`rounded-lg bg-red-50 px-3 py-2 text-sm text-red-700 ${props.class ?? ""}`} role="alert">
          {props.error}
        </p>
      </Show>
      <div class={`flex justify-end gap-2 ${props.class ?? ""}`}>
        <Button variant="secondary" onClick={() => props.onCancel()}>
          ביטול
        </Button>
        <Button type="submit" busy={props.busy}>
          שמירה
        </Button>
      </div>
    </>
  );
}
