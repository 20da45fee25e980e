import { createEffect, createUniqueId, splitProps, type JSX } from "solid-js";

const CONTROL =
  "rounded-lg border border-line bg-white px-3 text-[15px] text-ink placeholder:text-slate-400 focus:border-brand-600 focus:outline-none focus:ring-2 focus:ring-brand-200 disabled:bg-slate-50";

/** Full width unless the caller sets a width (two width utilities would fight). */
function sized(cls: string | undefined): string {
  return /(^|\s)(w-|min-w-|flex-1)/.test(cls ?? "") ? (cls ?? "") : `w-full ${cls ?? ""}`;
}

/** Label + control + Hebrew error/hint under it. */
export function Field(props: { label: string; error?: string | null; hint?: string; children: (id: string) => JSX.Element; class?: string }) {
  const id = createUniqueId();
  return (
    <div class={props.class}>
      <label for={id} class="mb-1 block text-sm font-semibold text-slate-700">
        {props.label}
      </label>
      {props.children(id)}
      {props.error ? (
        <p class="mt-1 text-sm text-red-600" role="alert">
          {props.error}
        </p>
      ) : (
        props.hint && <p class="mt-1 text-sm text-muted">{props.hint}</p>
      )}
    </div>
  );
}

export function Input(props: JSX.InputHTMLAttributes<HTMLInputElement>) {
  const [own, rest] = splitProps(props, ["class"]);
  return <input class={`${CONTROL} h-10 ${sized(own.class)}`} {...rest} />;
}

export function Textarea(props: JSX.TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const [own, rest] = splitProps(props, ["class"]);
  return <textarea class={`${CONTROL} py-2 leading-relaxed ${sized(own.class)}`} {...rest} />;
}

export interface TOption {
  value: string;
  label: string;
}

/**
 * A native select. `value` is applied after the options render: setting it on
 * an empty <select> (what a plain `value` prop does) silently picks the first option.
 */
export function Select(props: Omit<JSX.SelectHTMLAttributes<HTMLSelectElement>, "value"> & { options: TOption[]; placeholder?: string; value?: string }) {
  const [own, rest] = splitProps(props, ["class", "options", "placeholder", "value"]);
  let el: HTMLSelectElement | undefined;
  createEffect(() => {
    const v = own.value ?? "";
    void own.options;
    if (el) el.value = v;
  });
  return (
    <select ref={el} class={`${CONTROL} h-10 ${sized(own.class)}`} {...rest}>
      {own.placeholder !== undefined && <option value="">{own.placeholder}</option>}
      {own.options.map((o) => (
        <option value={o.value}>{o.label}</option>
      ))}
    </select>
  );
}

/** Options from a Hebrew label map (enum → label). */
export function optionsOf(map: Record<string, string | { label: string }>): TOption[] {
  return Object.entries(map).map(([value, v]) => ({ value, label: typeof v === "string" ? v : v.label }));
}
