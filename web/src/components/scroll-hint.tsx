/**
 * A horizontal scroller that shows there is more: a fade on each side that
 * hides content and, on it, an arrow button that scrolls one step that way.
 * RTL-aware (the end is on the left in Hebrew). Used by the leads kanban,
 * whose columns run off-screen on a laptop.
 */
import { createSignal, onCleanup, onMount, Show, type JSX } from "solid-js";
import { overflowSides, stepToward } from "../lib/scroll-sides";

/** Points toward the inline end in RTL (left) — flipped for the start side. */
const CHEVRON = "M15 18l-6-6 6-6";

/** Opaque at the outer edge, fading inward (class names spelled out for Tailwind's scanner). */
const EDGE = {
  end: "end-0 justify-end bg-gradient-to-r ltr:bg-gradient-to-l",
  start: "start-0 justify-start bg-gradient-to-l ltr:bg-gradient-to-r",
} as const;

export function ScrollHint(props: { children: JSX.Element; class?: string; "data-testid"?: string; label?: string }) {
  let el: HTMLDivElement | undefined;
  const [sides, setSides] = createSignal({ start: false, end: false });
  const measure = () => el && setSides(overflowSides(el.scrollLeft, el.scrollWidth, el.clientWidth));
  const rtl = () => (el ? getComputedStyle(el).direction === "rtl" : true);
  const scroll = (side: "start" | "end") => el?.scrollBy({ left: stepToward(side, rtl(), Math.round(el.clientWidth * 0.7)), behavior: "smooth" });

  onMount(() => {
    measure();
    // Columns fill as data arrives and the window resizes: measure on both.
    const ro = new ResizeObserver(measure);
    ro.observe(el!);
    const mo = new MutationObserver(measure);
    mo.observe(el!, { childList: true, subtree: true });
    onCleanup(() => {
      ro.disconnect();
      mo.disconnect();
    });
  });

  const edge = (side: "start" | "end") => (
    <Show when={sides()[side]}>
      <div class={`pointer-events-none absolute inset-y-0 z-10 flex w-20 items-center from-canvas via-canvas/80 to-transparent ${EDGE[side]}`} data-testid={`scroll-hint-${side}`}>
        <button
          type="button"
          class="pointer-events-auto grid size-9 place-items-center rounded-full border border-line bg-white text-ink shadow-md hover:bg-brand-50"
          aria-label={side === "end" ? "גלילה לעמודות הבאות" : "גלילה לעמודות הקודמות"}
          onClick={() => scroll(side)}
        >
          <svg viewBox="0 0 24 24" class={`size-5 ${side === "start" ? "rotate-180 ltr:rotate-0" : "ltr:rotate-180"}`} fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">
            <path d={CHEVRON} />
          </svg>
        </button>
      </div>
    </Show>
  );

  return (
    <div class="relative">
      <div ref={el} class={props.class} data-testid={props["data-testid"]} role="region" aria-label={props.label} tabindex="0" onScroll={measure}>
        {props.children}
      </div>
      {edge("start")}
      {edge("end")}
    </div>
  );
}
