/**
 * A business clock for tests: it reads `start` when created and then moves
 * on with the monotonic clock, so consecutive stamps still order (a frozen
 * clock would tie them) while no test ever depends on today's date.
 *
 * @example
 *   const now = clockFrom(new Date("2026-11-25T08:00:00Z")); // a Wednesday morning in Israel
 *   createWhatsAppHub({ ..., now });
 */
export function clockFrom(start: Date): () => Date {
  const t0 = performance.now();
  return () => new Date(start.getTime() + Math.round(performance.now() - t0));
}
