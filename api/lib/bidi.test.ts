import { describe, expect, test } from "bun:test";
import { resolveLevels, toVisual } from "./bidi";

describe("RTL visual order", () => {
  test("pure Hebrew is reversed", () => {
    expect(toVisual("שלום עולם")).toBe("םלוע םולש");
  });
  test("numbers and dates stay left to right", () => {
    expect(toVisual("תאריך 07.05.2026")).toBe("07.05.2026 ךיראת");
    expect(toVisual("מחיר ₪1,180.00 כולל")).toBe("ללוכ ₪1,180.00 ריחמ");
    expect(toVisual("מע״מ 18%")).toBe("18% מ״עמ");
  });
  test("Latin words inside Hebrew keep their order, spaces between them join", () => {
    expect(toVisual("דוא״ל shay@example.com Tel Aviv")).toBe("shay@example.com Tel Aviv ל״אוד");
  });
  test("brackets are mirrored in RTL runs", () => {
    expect(toVisual("(משרד)")).toBe("(דרשמ)");
  });
  test("levels: a trailing separator after a number is RTL", () => {
    expect(resolveLevels("א 12, ב")).toEqual([1, 1, 2, 2, 1, 1, 1]);
  });
});
