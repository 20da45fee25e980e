import type { JSX } from "solid-js";
import type { TTone } from "../../lib/labels";

const TONES: Record<TTone, string> = {
  gray: "bg-slate-100 text-slate-700",
  brand: "bg-brand-100 text-brand-800",
  blue: "bg-sky-100 text-sky-800",
  amber: "bg-amber-100 text-amber-800",
  green: "bg-emerald-100 text-emerald-800",
  red: "bg-red-100 text-red-700",
  violet: "bg-violet-100 text-violet-800",
};

export function Badge(props: { tone?: TTone; children: JSX.Element; class?: string }) {
  return (
    <span class={`inline-flex items-center rounded-full px-2.5 py-0.5 text-xs font-semibold whitespace-nowrap ${TONES[props.tone ?? "gray"]} ${props.class ?? ""}`}>
      {props.children}
    </span>
  );
}
