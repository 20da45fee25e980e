import { expect, test } from "bun:test";
import { createVirtualClock } from "../clock";
import type { TFrame } from "../frames";
import { createReplyGuard } from "./reply-guard";

const guardFrames = (out: TFrame[]) => out.flatMap((f) => (f.kind === "control" && f.type === "guard" ? [`${f.turnId}:${f.reason}@`] : []));

test("no reply audio: a filler frame at replyTimeoutMs, then a timeout frame at hardTimeoutMs", async () => {
  const clock = createVirtualClock();
  const out: TFrame[] = [];
  const guard = createReplyGuard({ clock, push: (f) => out.push(f), replyTimeoutMs: 800, hardTimeoutMs: 2500 });
  guard.arm(1);
  await clock.advance(799);
  expect(out).toEqual([]);
  await clock.advance(1);
  expect(guardFrames(out)).toEqual(["1:filler@"]);
  await clock.advance(1700);
  expect(out).toEqual([
    { kind: "control", type: "guard", turnId: 1, reason: "filler" },
    { kind: "control", type: "guard", turnId: 1, reason: "timeout" },
  ]);
});

test("the first audio disarms the turn: nothing fires afterwards", async () => {
  const clock = createVirtualClock();
  const out: TFrame[] = [];
  const guard = createReplyGuard({ clock, push: (f) => out.push(f), replyTimeoutMs: 800, hardTimeoutMs: 2500 });
  guard.arm(1);
  guard.arm(2);
  await clock.advance(900);
  guard.disarm(1);
  guard.close();
  await clock.advance(10_000);
  expect(guardFrames(out)).toEqual(["1:filler@", "2:filler@"]);
  expect(clock.pending).toBe(0);
});
