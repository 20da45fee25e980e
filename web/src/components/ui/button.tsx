import { splitProps, type JSX } from "solid-js";

type TVariant = "primary" | "secondary" | "ghost" | "danger";
type TSize = "sm" | "md";

const VARIANTS: Record<TVariant, string> = {
  primary: "bg-brand-700 text-white hover:bg-brand-800 shadow-sm disabled:bg-brand-700/50",
  secondary: "bg-white text-ink border border-line hover:bg-slate-50 disabled:text-muted",
  ghost: "text-ink hover:bg-slate-100 disabled:text-muted",
  danger: "bg-red-600 text-white hover:bg-red-700 disabled:bg-red-600/50",
};
const SIZES: Record<TSize, string> = { sm: "h-8 px-3 text-sm gap-1.5", md: "h-10 px-4 text-[15px] gap-2" };

export interface TButtonProps extends JSX.ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: TVariant;
  size?: TSize;
  /** Shows a spinner and disables the button while an action runs. */
  busy?: boolean;
}

/** The one button of the app. Defaults to type="button" so it never submits a form by accident. */
export function Button(props: TButtonProps) {
  const [own, rest] = splitProps(props, ["variant", "size", "busy", "class", "children", "disabled", "type"]);
  return (
    <button
      type={own.type ?? "button"}
      disabled={own.disabled || own.busy}
      aria-busy={own.busy ? "true" : undefined}
      class={`inline-flex items-center justify-center rounded-lg font-semibold transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 disabled:cursor-not-allowed ${VARIANTS[own.variant ?? "primary"]} ${SIZES[own.size ?? "md"]} ${own.class ?? ""}`}
      {...rest}
    >
      {own.busy && <span class="size-4 animate-spin rounded-full border-2 border-current border-t-transparent" aria-hidden="true" />}
      {own.children}
    </button>
  );
}
