import { describe, expect, test } from "bun:test";
import { createSendQueue } from "./send-queue";

describe("createSendQueue", () => {
  test("runs jobs one at a time, in order, waiting min gap + jitter between them", async () => {
    let clock = 1_000;
    const waits: number[] = [];
    const q = createSendQueue({
      minGapMs: 1000,
      jitterMs: 500,
      random: () => 0.5,
      now: () => clock,
      sleep: async (ms) => {
        waits.push(ms);
        clock += ms;
      },
    });
    let running = 0;
    let maxRunning = 0;
    const order: number[] = [];
    const job = (i: number) => async () => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      await Promise.resolve();
      order.push(i);
      running--;
      return i;
    };
    const results = await Promise.all([1, 2, 3].map((i) => q.run(job(i))));
    expect(results).toEqual([1, 2, 3]);
    expect(order).toEqual([1, 2, 3]);
    expect(maxRunning).toBe(1);
    // first send immediately, then gap 1000 + 0.5*500 each
    expect(waits).toEqual([1250, 1250]);
    expect(q.pending()).toBe(0);
  });

  test("a failed job rejects its caller but does not block the next", async () => {
    const q = createSendQueue({ minGapMs: 0, jitterMs: 0 });
    const failed = q.run(async () => {
      throw new Error("boom");
    });
    const next = q.run(async () => "ok");
    await expect(failed).rejects.toThrow("boom");
    expect(await next).toBe("ok");
  });
});
