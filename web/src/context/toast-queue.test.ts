import { describe, expect, test } from "bun:test";
import { MAX_TOASTS, pushToast, TOAST_MS, type TToast } from "./toast-queue";

describe("toast queue", () => {
  test("the same message merges into one toast with a count, moved to the newest place", () => {
    let list: TToast[] = [];
    list = pushToast(list, { kind: "success", title: "נשמר" }, 1).list;
    list = pushToast(list, { kind: "info", title: "שיחה חדשה" }, 2).list;
    const again = pushToast(list, { kind: "success", title: "נשמר" }, 3);
    expect(again.merged).toBe(true);
    expect(again.id).toBe(1);
    list = pushToast(again.list, { kind: "success", title: "נשמר" }, 4).list;
    expect(list.map((t) => [t.id, t.count])).toEqual([
      [2, 1],
      [1, 3],
    ]);
  });

  test("a different body or kind is a different message", () => {
    let list = pushToast([], { kind: "error", title: "נכשל", body: "א" }, 1).list;
    list = pushToast(list, { kind: "error", title: "נכשל", body: "ב" }, 2).list;
    list = pushToast(list, { kind: "success", title: "נכשל", body: "ב" }, 3).list;
    expect(list.map((t) => t.count)).toEqual([1, 1, 1]);
  });

  test(`at most ${MAX_TOASTS} are visible; the oldest drops`, () => {
    let list: TToast[] = [];
    for (let i = 1; i <= 5; i++) list = pushToast(list, { kind: "info", title: `הודעה ${i}` }, i).list;
    expect(list.map((t) => t.title)).toEqual(["הודעה 3", "הודעה 4", "הודעה 5"]);
  });

  test("errors stay longer than successes", () => {
    expect(TOAST_MS.error).toBeGreaterThan(TOAST_MS.info);
    expect(TOAST_MS.info).toBeGreaterThan(TOAST_MS.success);
  });
});
