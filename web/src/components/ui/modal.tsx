import { onCleanup, onMount, Show, type JSX } from "solid-js";
import { Portal } from "solid-js/web";

/** A centred dialog; Escape and the backdrop close it. */
export function Modal(props: { open: boolean; title: string; onClose: () => void; children: JSX.Element; footer?: JSX.Element; wide?: boolean }) {
  return (
    <Show when={props.open}>
      <Portal>
        <ModalBody {...props} />
      </Portal>
    </Show>
  );
}

function ModalBody(props: { title: string; onClose: () => void; children: JSX.Element; footer?: JSX.Element; wide?: boolean }) {
  const onKey = (e: KeyboardEvent) => e.key === "Escape" && props.onClose();
  onMount(() => document.addEventListener("keydown", onKey));
  onCleanup(() => document.removeEventListener("keydown", onKey));
  return (
    <div class="fixed inset-0 z-50 flex items-start justify-center overflow-y-auto bg-slate-900/40 p-4 sm:items-center" onClick={(e) => e.target === e.currentTarget && props.onClose()}>
      <div role="dialog" aria-modal="true" aria-label={props.title} class={`w-full ${props.wide ? "max-w-2xl" : "max-w-lg"} rounded-[var(--radius-card)] bg-white shadow-xl`}>
        <header class="flex items-center justify-between border-b border-line px-5 py-3">
          <h2 class="text-lg font-bold">{props.title}</h2>
          <button type="button" class="rounded-md p-1 text-muted hover:bg-slate-100" aria-label="סגירה" onClick={() => props.onClose()}>
            ✕
          </button>
        </header>
        <div class="max-h-[70vh] overflow-y-auto p-5">{props.children}</div>
        {props.footer && <footer class="flex justify-end gap-2 border-t border-line px-5 py-3">{props.footer}</footer>}
      </div>
    </div>
  );
}
