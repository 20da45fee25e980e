import type { JSX } from "solid-js";

/** A white rounded surface; `title` adds a header row with optional actions. */
export function Card(props: { title?: JSX.Element; actions?: JSX.Element; class?: string; children: JSX.Element; padded?: boolean }) {
  return (
    <section class={`rounded-[var(--radius-card)] border border-line bg-surface shadow-[var(--shadow-card)] ${props.class ?? ""}`}>
      {(props.title || props.actions) && (
        <header class="flex items-center justify-between gap-3 border-b border-line px-5 py-3">
          <h2 class="text-base font-bold">{props.title}</h2>
          <div class="flex items-center gap-2">{props.actions}</div>
        </header>
      )}
      <div class={props.padded === false ? "" : "p-5"}>{props.children}</div>
    </section>
  );
}

/** A figure on the overview page. */
export function StatCard(props: { label: string; value: JSX.Element; hint?: JSX.Element; icon?: JSX.Element }) {
  return (
    <div class="rounded-[var(--radius-card)] border border-line bg-surface p-5 shadow-[var(--shadow-card)]">
      <div class="flex items-center justify-between text-sm text-muted">
        <span>{props.label}</span>
        <span class="text-brand-700">{props.icon}</span>
      </div>
      <div class="mt-2 text-3xl font-bold tabular">{props.value}</div>
      {props.hint && <div class="mt-1 text-sm text-muted">{props.hint}</div>}
    </div>
  );
}

/** Title row of a page with actions on the left (the end side in RTL). */
export function PageHeader(props: { title: string; subtitle?: JSX.Element; actions?: JSX.Element }) {
  return (
    <div class="mb-5 flex flex-wrap items-end justify-between gap-3">
      <div>
        <h1 class="text-2xl font-bold">{props.title}</h1>
        {props.subtitle && <p class="mt-1 text-muted">{props.subtitle}</p>}
      </div>
      {props.actions && <div class="flex flex-wrap items-center gap-2">{props.actions}</div>}
    </div>
  );
}
