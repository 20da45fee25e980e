import { describe, expect, test } from "bun:test";
import { createLogger } from "../core/kernel/logger";
import { createAdmission } from "./admission";
import type { TClock, TTimer } from "./clock";

const log = createLogger("silent");

/** A clock whose time jumps: timers due in a jump run after it, late by what the jump overshot (an event-loop stall). */
function jumpClock() {
  let t = 0;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let seq = 0;
  const clock: TClock & { jump(ms: number): void } = {
    now: () => t,
    setTimeout(fn, ms) {
      const id = ++seq;
      timers.push({ at: t + ms, fn, id });
      return { __timer: true, id } as unknown as TTimer;
    },
    clearTimeout(timer) {
      const id = (timer as unknown as { id?: number } | undefined)?.id;
      timers = timers.filter((x) => x.id !== id);
    },
    jump(ms) {
      t += ms;
      for (;;) {
        const due = timers.filter((x) => x.at <= t).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((x) => x !== due);
        due.fn();
      }
    },
  };
  return clock;
}

describe("admission control", () => {
  test("counts live streams and answered calls whose stream has not started; over MAX_CALLS → refused, counted", () => {
    const clock = jumpClock();
    const a = createAdmission({ maxCalls: 2, maxLagMs: 0, log, clock });
    expect(a.reserve("CA1").ok).toBe(true);
    expect(a.reserve("CA2").ok).toBe(true);
    expect(a.reserve("CA3")).toEqual({ ok: false, reason: "capacity", active: 2, lagMs: 0 });
    a.started("CA1");
    a.ended("CA1");
    expect(a.reserve("CA3").ok).toBe(true);
    expect(a.stats()).toMatchObject({ maxCalls: 2, active: 0, reserved: 2, admitted: 3, refused: { capacity: 1, lag: 0 } });
  });

  test("a reservation whose stream never starts frees its place after the TTL", () => {
    const clock = jumpClock();
    const a = createAdmission({ maxCalls: 1, maxLagMs: 0, reserveTtlMs: 15_000, log, clock });
    expect(a.reserve("CA1").ok).toBe(true);
    expect(a.reserve("CA2").ok).toBe(false);
    clock.jump(15_001);
    expect(a.reserve("CA2").ok).toBe(true);
    // A stream started elsewhere (no reservation here) still takes a place.
    a.started("CA9");
    expect(a.reserve("CA3").ok).toBe(false);
  });

  test("measured capacity: event-loop lag over the limit refuses new calls until the window is calm again", () => {
    const clock = jumpClock();
    const a = createAdmission({ maxLagMs: 150, sampleMs: 100, windowMs: 1000, log, clock });
    for (let i = 0; i < 10; i++) clock.jump(100);
    expect(a.reserve("CA1").ok).toBe(true);
    // The loop is blocked for 400 ms: the sampler's timer fires 300 ms late.
    clock.jump(400);
    const v = a.reserve("CA2");
    expect(v.ok).toBe(false);
    expect(v.ok ? 0 : v.lagMs).toBe(300);
    expect(a.stats().refused.lag).toBe(1);
    // A second of on-time samples pushes the stall out of the window.
    for (let i = 0; i < 11; i++) clock.jump(100);
    expect(a.reserve("CA2").ok).toBe(true);
    a.close();
  });
});
