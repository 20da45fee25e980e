import { describe, expect, test } from "bun:test";
import { createVirtualClock, sleepOn, systemClock } from "./clock";

describe("virtual clock", () => {
  test("advance runs due timers in time order and moves now() exactly", async () => {
    const clock = createVirtualClock();
    const seen: string[] = [];
    clock.setTimeout(() => seen.push(`b@${clock.now()}`), 30);
    clock.setTimeout(() => seen.push(`a@${clock.now()}`), 10);
    const late = clock.setTimeout(() => seen.push("cancelled"), 20);
    clock.clearTimeout(late);
    clock.setTimeout(() => seen.push("later"), 100);
    await clock.advance(50);
    expect(seen).toEqual(["a@10", "b@30"]);
    expect(clock.now()).toBe(50);
    expect(clock.pending).toBe(1);
  });

  test("promise work started by a timer settles before the next timer runs", async () => {
    const clock = createVirtualClock();
    const seen: string[] = [];
    clock.setTimeout(() => void Promise.resolve().then(() => seen.push("continuation")), 5);
    clock.setTimeout(() => seen.push("next timer"), 6);
    await clock.advance(10);
    expect(seen).toEqual(["continuation", "next timer"]);
  });

  test("auto mode: an hour of sleeps takes milliseconds of real time", async () => {
    const clock = createVirtualClock({ auto: true });
    const t0 = performance.now();
    for (let i = 0; i < 60; i++) await clock.sleep(60_000);
    expect(clock.now()).toBe(3_600_000);
    expect(performance.now() - t0).toBeLessThan(2000);
    clock.stop();
  });

  test("auto mode with a speed bound keeps virtual time within speed × real time", async () => {
    const clock = createVirtualClock({ auto: true, speed: 10 });
    const t0 = performance.now();
    await clock.sleep(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(15);
    clock.stop();
  });

  test("waitFor rejects after its virtual timeout; sleepOn honours an abort signal", async () => {
    const clock = createVirtualClock({ auto: true });
    // Awaited here, not inside expect(): bun's `expect(pending).rejects` drives the event loop itself and ran this
    // clock's setImmediate turns only when something else woke the loop: 13–34 s at the end of a busy test worker.
    const err = await clock.waitFor(() => false, 500, "never").then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain("waiting for never");
    expect(clock.now()).toBeGreaterThanOrEqual(500);
    const ac = new AbortController();
    const p = sleepOn(clock, 10_000, ac.signal);
    ac.abort(new Error("stop"));
    await expect(p).rejects.toThrow("stop");
    expect(clock.pending).toBe(0);
    clock.stop();
  });

  test("the system clock sleeps on real timers", async () => {
    const t0 = systemClock.now();
    await sleepOn(systemClock, 5);
    expect(systemClock.now() - t0).toBeGreaterThanOrEqual(4);
  });
});
