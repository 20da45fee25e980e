/**
 * Overlap the waiting halves of a suite that runs once per database kind.
 *
 * Suites that start a server process and drive a call in real time spend most
 * of their time waiting (the caller's speech is paced at 20 ms a frame), so
 * the PGlite and PostgreSQL halves can run at once instead of one after the
 * other. The first describe to ask starts every kind; each describe then
 * awaits only its own, and a kind that fails to start fails only its
 * describe.
 *
 * @example
 *   const sims = startEachKind(DB_KINDS, (kind) => runSimAgainstServer(kind));
 *   for (const kind of DB_KINDS) describe(kind, () => {
 *     beforeAll(async () => { run = await sims(kind); });
 *   });
 */
import type { TDbKind } from "./db";

export function startEachKind<T>(kinds: readonly TDbKind[], start: (kind: TDbKind) => Promise<T>): (kind: TDbKind) => Promise<T> {
  let started: Map<TDbKind, Promise<T>> | undefined;
  return (kind) => {
    started ??= new Map(
      kinds.map((k) => {
        const run = start(k);
        // Awaited by its own describe; until then a failure must not count as unhandled.
        run.catch(() => {});
        return [k, run] as const;
      }),
    );
    const run = started.get(kind);
    if (!run) throw new Error(`startEachKind: ${kind} is not one of ${kinds.join(", ")}`);
    return run;
  };
}
