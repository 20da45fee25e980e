import { describe, expect, test } from "bun:test";
import { byCount, countOf } from "./plural";

describe("Hebrew counts", () => {
  test("none is said with אין, one with the word, more with the number", () => {
    expect(countOf(0, "צפייה אחת", "צפיות")).toBe("אין צפיות");
    expect(countOf(0, "לקוח אחד", "לקוחות")).toBe("אין לקוחות");
    expect(countOf(1, "לקוח אחד", "לקוחות")).toBe("לקוח אחד");
    expect(countOf(2, "לקוח אחד", "לקוחות")).toBe("2 לקוחות");
    expect(countOf(1250, "נכס אחד", "נכסים")).toBe("1,250 נכסים");
  });

  test("a zero wording of its own replaces אין", () => {
    expect(countOf(0, "משימה אחת", "משימות", "אין משימות פתוחות")).toBe("אין משימות פתוחות");
    expect(countOf(2, "משימה אחת", "משימות", "אין משימות פתוחות")).toBe("2 משימות");
  });

  test("a verb that agrees picks the whole phrase, zero included", () => {
    const booked = (n: number) => byCount(n, "נקבעה פגישת צפייה אחת", (k) => `נקבעו ${k} פגישות צפייה`, "לא נקבעו פגישות צפייה");
    expect(booked(0)).toBe("לא נקבעו פגישות צפייה");
    expect(booked(1)).toBe("נקבעה פגישת צפייה אחת");
    expect(booked(3)).toBe("נקבעו 3 פגישות צפייה");
    // Without a zero wording the digit stays (no guessed negation).
    expect(byCount(0, "עודכן נכס אחד", (k) => `עודכנו ${k} נכסים`)).toBe("עודכנו 0 נכסים");
  });
});
