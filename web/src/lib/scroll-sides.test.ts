import { describe, expect, test } from "bun:test";
import { overflowSides, stepToward } from "./scroll-sides";

describe("horizontal scroll hint", () => {
  test("nothing hidden when it all fits", () => {
    expect(overflowSides(0, 800, 800)).toEqual({ start: false, end: false });
    expect(overflowSides(0, 801, 800)).toEqual({ start: false, end: false });
  });

  test("RTL (negative scrollLeft) and LTR read the same", () => {
    expect(overflowSides(0, 1400, 800)).toEqual({ start: false, end: true });
    expect(overflowSides(-300, 1400, 800)).toEqual({ start: true, end: true });
    expect(overflowSides(300, 1400, 800)).toEqual({ start: true, end: true });
    expect(overflowSides(-600, 1400, 800)).toEqual({ start: true, end: false });
  });

  test("the arrow toward the end scrolls left in RTL", () => {
    expect(stepToward("end", true, 200)).toBe(-200);
    expect(stepToward("start", true, 200)).toBe(200);
    expect(stepToward("end", false, 200)).toBe(200);
  });
});
