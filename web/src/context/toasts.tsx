/** Toast notifications: a tiny global store and the stack that renders it. */
import { createSignal, For } from "solid-js";

export type TToastKind = "info" | "success" | "error";

export interface TToast {
  id: number;
  kind: TToastKind;
  title: string;
  body?: string;
  href?: string;
}

const [toasts, setToasts] = createSignal<TToast[]>([]);
let nextId = 1;

/** Show a toast for `ms` (errors stay longer). Returns its id. */
export function toast(t: Omit<TToast, "id">, ms = t.kind === "error" ? 8000 : 5000): number {
  const id = nextId++;
  setToasts((list) => [...list.slice(-4), { ...t, id }]);
  setTimeout(() => dismiss(id), ms);
  return id;
}

export function dismiss(id: number) {
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
                <p class="font-semibold">{t.title}</p>
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
