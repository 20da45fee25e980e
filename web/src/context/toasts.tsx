/**
 * Toast notifications: a tiny global store and the stack that renders it.
 * Repeats merge ("×3") and at most three show at once (toast-queue.ts).
 */
import { createSignal, For, Show } from "solid-js";
import { pushToast, TOAST_MS, type TToast, type TToastInput, type TToastKind } from "./toast-queue";

export type { TToast, TToastKind };

const [toasts, setToasts] = createSignal<TToast[]>([]);
const timers = new Map<number, ReturnType<typeof setTimeout>>();
let nextId = 1;

/**
 * Show a toast for `ms` (errors stay longer). The same message again while it
 * shows counts up on that toast and restarts its timer. Returns its id.
 */
export function toast(t: TToastInput, ms = TOAST_MS[t.kind]): number {
  const r = pushToast(toasts(), t, nextId++);
  // Toasts pushed out by the cap lose their timers too.
  for (const id of timers.keys()) if (!r.list.some((x) => x.id === id)) clearTimer(id);
  setToasts(r.list);
  clearTimer(r.id);
  timers.set(r.id, setTimeout(() => dismiss(r.id), ms));
  return r.id;
}

function clearTimer(id: number) {
  clearTimeout(timers.get(id));
  timers.delete(id);
}

export function dismiss(id: number) {
  clearTimer(id);
  setToasts((list) => list.filter((t) => t.id !== id));
}

const KIND: Record<TToastKind, string> = {
  info: "border-brand-200 bg-white",
  success: "border-emerald-200 bg-emerald-50",
  error: "border-red-200 bg-red-50",
};

/** Stack at the bottom-left corner (the end side in RTL, away from the sidebar); a polite live region. */
export function ToastStack() {
  return (
    <div class="pointer-events-none fixed bottom-4 end-4 z-[60] flex w-[min(92vw,360px)] flex-col gap-2" aria-live="polite" data-testid="toasts">
      <For each={toasts()}>
        {(t) => (
          <div class={`toast-in pointer-events-auto rounded-xl border px-4 py-3 shadow-lg ${KIND[t.kind]}`} role={t.kind === "error" ? "alert" : "status"}>
            <div class="flex items-start justify-between gap-3">
              <div>
                <p class="font-semibold">
                  {t.title}
                  <Show when={t.count > 1}>
                    {" "}
                    <span class="ms-1 rounded-full bg-slate-900/10 px-1.5 text-xs font-bold tabular" data-testid="toast-count" aria-label={`${t.count} פעמים`}>
                      <bdi>×{t.count}</bdi>
                    </span>
                  </Show>
                </p>
                {t.body && <p class="mt-0.5 text-sm text-slate-600">{t.body}</p>}
                {t.href && (
                  <a href={t.href} class="mt-1 inline-block text-sm font-semibold text-brand-700 hover:underline">
                    לפתיחה
                  </a>
                )}
              </div>
              <button type="button" class="text-muted hover:text-ink" aria-label="סגירה" onClick={() => dismiss(t.id)}>
                ✕
              </button>
            </div>
          </div>
        )}
      </For>
    </div>
  );
}
