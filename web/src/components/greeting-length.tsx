import { createEffect, createSignal, on, onCleanup, Show, type Accessor } from "solid-js";
import { trpc } from "../lib/trpc";

/**
 * Warns under the greeting field when it takes more than ~4 s to say in the
 * chosen voice (measured by the server on the real synthesis, which also
 * prepares the phone prompt). Checked 0.8 s after typing stops.
 */
export function GreetingLengthWarning(props: { text: Accessor<string>; voice: Accessor<string> }) {
  const [warning, setWarning] = createSignal<string | null>(null);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let seq = 0;
  createEffect(
    on([props.text, props.voice], ([text, voice]) => {
      clearTimeout(timer);
      if (!text.trim()) return setWarning(null);
      const mine = ++seq;
      timer = setTimeout(() => {
        trpc.voice.greetingCheck
          .mutate({ text, voice })
          .then((r) => mine === seq && setWarning(r.warning))
          .catch(() => mine === seq && setWarning(null));
      }, 800);
    }),
  );
  onCleanup(() => clearTimeout(timer));
  return (
    <Show when={warning()}>
      {(w) => (
        <p role="status" data-testid="greeting-length-warning" class="mt-1 text-sm font-semibold text-amber-700">
          {w()}
        </p>
      )}
    </Show>
  );
}
