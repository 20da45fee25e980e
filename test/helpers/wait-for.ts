/**
 * Poll `check` until it returns a truthy value (bounded); throws with `what` on timeout.
 *
 * The budget counts time this process was awake, not wall time: a gap between two polls longer
 * than `maxStepMs` (the machine or the process stalled: a CI host under load, a long GC) counts as
 * `maxStepMs`, so a stall cannot use up the budget before the thing waited for had a turn to run.
 */
export async function waitFor<T>(
  check: () => T | Promise<T>,
  what: string,
  timeoutMs = 5_000,
  everyMs = 10,
  now: () => number = () => performance.now(),
): Promise<NonNullable<T>> {
  const maxStepMs = Math.max(250, everyMs * 5);
  let spent = 0;
  let last = now();
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    const t = now();
    spent += Math.min(t - last, maxStepMs);
    last = t;
    if (spent > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
