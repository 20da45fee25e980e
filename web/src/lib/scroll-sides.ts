/**
 * Which sides of a horizontal scroller hide content. Direction-neutral: RTL
 * scrollers start at 0 and go negative in today's browsers (positive in old
 * ones), so the distance from the start is |scrollLeft| either way.
 *
 * @example overflowSides(0, 1200, 800) // { start: false, end: true }
 */
export function overflowSides(scrollLeft: number, scrollWidth: number, clientWidth: number): { start: boolean; end: boolean } {
  const max = scrollWidth - clientWidth;
  const pos = Math.abs(scrollLeft);
  // Sub-pixel widths at browser zoom leave a pixel or two of "scroll" that is not content.
  return { start: max > 2 && pos > 2, end: max > 2 && pos < max - 2 };
}

/** The scrollLeft step that moves toward the inline end (left in RTL). */
export function stepToward(side: "start" | "end", rtl: boolean, width: number): number {
  const toEnd = rtl ? -width : width;
  return side === "end" ? toEnd : -toEnd;
}
