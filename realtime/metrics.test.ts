import { describe, expect, test } from "bun:test";
import { createFrameCounter, summarizeCall } from "./metrics";

describe("createFrameCounter", () => {
  test("counts frames and the gaps in chunk numbering; late or repeated chunks are not losses", () => {
    const stats = { framesIn: 0, framesLost: 0 };
    const count = createFrameCounter(stats);
    for (const chunk of [1, 2, 3, 6, 7, 5, 7, 10]) count(chunk);
    expect(stats.framesIn).toBe(8);
    // 4,5 missing after 3 (5 arrives late but was already counted), 8,9 missing after 7.
    expect(stats.framesLost).toBe(4);
  });
});

describe("summarizeCall", () => {
  test("stores playback underruns and the largest lead with the call's metrics", () => {
    const m = summarizeCall({ turnFirstFrameMs: [400, 600], bargeIns: 1, framesIn: 500, framesLost: 0, malformed: 0, underruns: 2, maxLeadMs: 680.4 });
    expect(m).toMatchObject({ turns: 2, avgTurnMs: 500, playbackUnderruns: 2, maxLeadMs: 680 });
  });
});
