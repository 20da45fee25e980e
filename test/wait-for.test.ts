/**
 * The tests' waitFor: its budget is time the process was awake. A stall (a busy CI host stopping
 * the process for longer than the whole budget) must not fail a wait whose condition comes true on
 * the next turn; a condition that never comes true still times out.
 */
import { describe, expect, test } from "bun:test";
import { waitFor } from "./helpers/wait-for";

describe("waitFor", () => {
  test("a stall longer than the budget between two polls does not time the wait out", async () => {
    let t = 0;
    let polls = 0;
    // The first poll sees 40 s go by (the process was stopped); the condition holds at the second.
    const now = () => t;
    const value = await waitFor(
      () => {
        polls++;
        if (polls === 1) t += 40_000;
        return polls >= 2 ? "open" : null;
      },
      "standby took over",
      30_000,
      1,
      now,
    );
    expect(value).toBe("open");
    expect(polls).toBe(2);
  });

  test("a condition that never holds times out once the awake time passes the budget, naming what it waited for", async () => {
    let t = 0;
    let polls = 0;
    const wait = waitFor(
      () => {
        polls++;
        t += 100; // each poll takes 100 ms of awake time
        return false;
      },
      "never",
      1_000,
      1,
      () => t,
    );
    await expect(wait).rejects.toThrow("timed out waiting for never");
    expect(polls).toBeGreaterThanOrEqual(10);
    expect(polls).toBeLessThanOrEqual(12);
  });
});
