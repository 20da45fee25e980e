import { describe, expect, test } from "bun:test";
import { scoreMatch, type TMatchable } from "./match-score";

const flat: TMatchable = { dealType: "rent", propertyType: "apartment", city: "רמת-גן", neighborhood: "הבורסה", rooms: 3, sizeSqm: 80, price: 6000 };

describe("scoreMatch", () => {
  test("a perfect fit scores 100 with every reason", () => {
    const m = scoreMatch({ dealType: "rent", propertyType: "apartment", cities: ["רמת גן"], neighborhoods: ["הבורסה"], roomsMin: 3, roomsMax: 4, budgetMax: 6000, sizeMin: 70 }, flat);
    expect(m?.score).toBe(100);
    expect(m?.reasons).toHaveLength(7);
    expect(m?.reasons).toContain("בעיר המבוקשת: רמת-גן");
  });
  test("hard requirements exclude", () => {
    expect(scoreMatch({ dealType: "sale" }, flat)).toBeNull();
    expect(scoreMatch({ propertyType: "office" }, flat)).toBeNull();
    expect(scoreMatch({ cities: ["חיפה"] }, flat)).toBeNull();
    expect(scoreMatch({ budgetMax: 5000 }, flat)).toBeNull(); // 20% over
    expect(scoreMatch({ roomsMin: 5 }, flat)).toBeNull();
  });
  test("near misses score lower, with the reason", () => {
    const over = scoreMatch({ budgetMax: 5700 }, flat)!;
    const within = scoreMatch({ budgetMax: 6000 }, flat)!;
    expect(over.score).toBeLessThan(within.score);
    expect(over.reasons[0]).toBe("מעט מעל התקציב (5%)");
    expect(scoreMatch({ roomsMin: 4 }, flat)!.reasons).toEqual(["3 חדרים (קרוב לבקשה)"]);
  });
  test("no requirements: everything fits with score 0", () => {
    expect(scoreMatch({}, flat)).toEqual({ score: 0, reasons: [] });
  });
});
