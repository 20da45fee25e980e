import { Show, type JSX } from "solid-js";
import { Button } from "./button";

export function Spinner(props: { label?: string }) {
  return (
    <div class="flex items-center justify-center gap-3 py-10 text-muted" role="status">
      <span class="size-5 animate-spin rounded-full border-2 border-brand-600 border-t-transparent" aria-hidden="true" />
      <span>{props.label ?? "טוען…"}</span>
    </div>
  );
}

export function EmptyState(props: { title: string; hint?: string; action?: JSX.Element }) {
  return (
    <div class="flex flex-col items-center justify-center gap-2 px-6 py-12 text-center">
      <div class="grid size-12 place-items-center rounded-full bg-brand-50 text-2xl text-brand-700" aria-hidden="true">
        ∅
      </div>
      <p class="font-semibold">{props.title}</p>
      {props.hint && <p class="max-w-sm text-sm text-muted">{props.hint}</p>}
      {props.action}
    </div>
  );
}

export function ErrorBox(props: { error: unknown; retry?: () => void }) {
  return (
    <div class="flex flex-wrap items-center justify-between gap-3 rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-red-800" role="alert">
      <span>{errorMessage(props.error)}</span>
      <Show when={props.retry}>
        <Button size="sm" variant="secondary" onClick={() => props.retry?.()}>
          נסו שוב
        </Button>
      </Show>
    </div>
  );
}

/**
 * The Hebrew message to show for any failure: the server's AppError message
 * (tRPC error `message`), a network hint, or a generic fallback.
 */
export function errorMessage(err: unknown): string {
  if (!err) return "אירעה שגיאה";
  const e = err as { message?: string; data?: { fieldErrors?: Record<string, string[] | undefined> | null } };
  if (e.message === "Failed to fetch" || e.message?.includes("NetworkError")) return "אין חיבור לשרת. בדקו את החיבור ונסו שוב";
  const fields = e.data?.fieldErrors;
  if (fields) {
    const first = Object.values(fields).flat().find((m): m is string => typeof m === "string" && /[\u0590-\u05ff]/.test(m));
    if (first) return first;
  }
  if (e.message && /[\u0590-\u05ff]/.test(e.message)) return e.message;
  return "אירעה שגיאה, נסו שוב";
}
