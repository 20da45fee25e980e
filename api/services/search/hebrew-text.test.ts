import { describe, expect, test } from "bun:test";
import { normalizeSearch, phoneDigits } from "./hebrew-text";

describe("normalizeSearch", () => {
  test("hyphens, maqaf, gershayim, geresh and niqqud", () => {
    expect(normalizeSearch("רמת-גן")).toBe("רמת גן");
    expect(normalizeSearch("פתח־תקווה")).toBe("פתח תקווה");
    expect(normalizeSearch('ת"א')).toBe("תא");
    expect(normalizeSearch("ת״א")).toBe("תא");
    expect(normalizeSearch("ז'בוטינסקי")).toBe("זבוטינסקי");
    expect(normalizeSearch("ז׳בוטינסקי")).toBe("זבוטינסקי");
    expect(normalizeSearch("שָׁלוֹם")).toBe("שלום");
    expect(normalizeSearch("  Tel   Aviv ")).toBe("tel aviv");
  });
  test("phone digits in the form stored numbers contain", () => {
    expect(phoneDigits("054-123-4567")).toBe("541234567");
    expect(phoneDigits("+972 54 123")).toBe("54123");
    expect(phoneDigits("רמת גן 3")).toBeNull();
    expect(phoneDigits("12")).toBeNull();
  });
});
