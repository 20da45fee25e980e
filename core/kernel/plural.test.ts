import { describe, expect, test } from "bun:test";
import { byCount, countOf } from "./plural";

describe("Hebrew counts", () => {
  test("one is said with the word, more with the number", () => {
    expect(countOf(1, "לקוח אחד", "לקוחות")).toBe("לקוח אחד");
    expect(countOf(2, "לקוח אחד", "לקוחות")).toBe("2 לקוחות");
    expect(countOf(0, "לקוח אחד", "לקוחות")).toBe("0 לקוחות");
    expect(countOf(1250, "נכס אחד", "נכסים")).toBe("1,250 נכסים");
  });

  test("a verb that agrees picks the whole phrase", () => {
    const booked = (n: number) => byCount(n, "נקבעה פגישת צפייה אחת", (k) => `נקבעו ${k} פגישות צפייה`);
    expect(booked(1)).toBe("נקבעה פגישת צפייה אחת");
    expect(booked(3)).toBe("נקבעו 3 פגישות צפייה");
  });
});
