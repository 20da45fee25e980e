/** Tiny inline-SVG charts (no chart library: keeps the dashboard bundle small). */
import { For, Show } from "solid-js";

export interface TSeries {
  key: string;
  label: string;
  color: string;
}

/** Stacked bars per day. Drawn left to right (time axis), labels in Hebrew. */
export function StackedBars(props: { days: { day: string; values: Record<string, number> }[]; series: TSeries[]; height?: number; label: string }) {
  const h = () => props.height ?? 180;
  const max = () => Math.max(1, ...props.days.map((d) => props.series.reduce((a, s) => a + (d.values[s.key] ?? 0), 0)));
  const w = () => Math.max(1, props.days.length);
  return (
    <figure>
      <div dir="ltr">
        <svg viewBox={`0 0 ${w() * 10} ${h()}`} preserveAspectRatio="none" class="h-44 w-full" role="img" aria-label={props.label}>
          <For each={props.days}>
            {(d, i) => {
              let y = h();
              return (
                <g>
                  <title>{`${d.day}: ${props.series.map((s) => `${s.label} ${d.values[s.key] ?? 0}`).join(", ")}`}</title>
                  <For each={props.series}>
                    {(s) => {
                      const bh = ((d.values[s.key] ?? 0) / max()) * (h() - 4);
                      y -= bh;
                      return <rect x={i() * 10 + 1.5} y={y} width={7} height={bh} fill={s.color} />;
                    }}
                  </For>
                </g>
              );
            }}
          </For>
        </svg>
        <div class="flex justify-between text-xs text-muted tabular">
          <span>{props.days[0]?.day.slice(5).split("-").reverse().join("/")}</span>
          <span>{props.days[props.days.length - 1]?.day.slice(5).split("-").reverse().join("/")}</span>
        </div>
      </div>
      <figcaption class="mt-2 flex flex-wrap gap-3 text-sm">
        <For each={props.series}>
          {(s) => (
            <span class="inline-flex items-center gap-1.5">
              <span class="inline-block size-3 rounded-sm" style={{ background: s.color }} />
              {s.label}
            </span>
          )}
        </For>
        <span class="text-muted">מקסימום ביום: {max()}</span>
      </figcaption>
    </figure>
  );
}

/** Horizontal bars with a label and a value (funnel, sources). */
export function HBars(props: { rows: { label: string; value: number; hint?: string }[]; color?: string }) {
  const max = () => Math.max(1, ...props.rows.map((r) => r.value));
  return (
    <ul class="grid gap-2">
      <For each={props.rows}>
        {(r) => (
          <li class="grid grid-cols-[7rem_1fr_3.5rem] items-center gap-2 text-sm">
            <span class="truncate">{r.label}</span>
            <span class="h-3 rounded-full bg-slate-100">
              <span class="block h-3 rounded-full" style={{ width: `${(r.value / max()) * 100}%`, background: props.color ?? "var(--color-brand-600, #2563eb)" }} />
            </span>
            <span class="text-end tabular">
              {r.value}
              <Show when={r.hint}>
                <span class="text-muted"> {r.hint}</span>
              </Show>
            </span>
          </li>
        )}
      </For>
    </ul>
  );
}
