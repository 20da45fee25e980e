import { describe, expect, test } from "bun:test";
import { allocationRequired, computeTotals, formatShekels, valueOn, VAT_SCHEDULE, ALLOCATION_THRESHOLD_SCHEDULE } from "./invoice-rules";

describe("VAT by date", () => {
  test("17% before 2025, 18% from 2025-01-01", () => {
    expect(valueOn(VAT_SCHEDULE, "2024-12-31")).toBe(1700);
    expect(valueOn(VAT_SCHEDULE, "2025-01-01")).toBe(1800);
    expect(valueOn(VAT_SCHEDULE, "2026-11-25")).toBe(1800);
  });
  test("a custom schedule wins (configurable)", () => {
    const schedule = [...VAT_SCHEDULE, { from: "2027-01-01", value: 1900 }];
    expect(valueOn(schedule, "2026-12-31")).toBe(1800);
    expect(valueOn(schedule, "2027-01-01")).toBe(1900);
  });
  test("no rule before the first row is an error", () => {
    expect(() => valueOn(VAT_SCHEDULE, "2000-01-01")).toThrow();
  });
});

describe("totals in agorot", () => {
  test("VAT on the subtotal, rounded half up", () => {
    // 3 × ₪33.33 = ₪99.99 → VAT 18% = 17.9982 → ₪18.00
    const t = computeTotals([{ description: "x", quantity: 3, unitPriceAgorot: 3333 }], 1800);
    expect(t).toEqual({ subtotalAgorot: 9999, vatRateBp: 1800, vatAgorot: 1800, totalAgorot: 11799 });
  });
  test("half an agora rounds up; below half rounds down", () => {
    // 25 agorot × 18% = 4.5 → 5 ; 24 × 18% = 4.32 → 4
    expect(computeTotals([{ description: "a", quantity: 1, unitPriceAgorot: 25 }], 1800).vatAgorot).toBe(5);
    expect(computeTotals([{ description: "a", quantity: 1, unitPriceAgorot: 24 }], 1800).vatAgorot).toBe(4);
  });
  test("fractional quantities stay exact", () => {
    // 1.5 h × ₪333.33 = ₪499.995 → ₪500.00 (half up)
    const t = computeTotals([{ description: "h", quantity: 1.5, unitPriceAgorot: 33333 }], 1800);
    expect(t.subtotalAgorot).toBe(50000);
    expect(t.vatAgorot).toBe(9000);
    expect(Number.isInteger(t.totalAgorot)).toBe(true);
  });
  test("brokerage fee of 2% on ₪2,450,000 plus VAT", () => {
    const t = computeTotals([{ description: "דמי תיווך", quantity: 1, unitPriceAgorot: 4_900_000 }], 1800);
    expect(t.vatAgorot).toBe(882_000);
    expect(t.totalAgorot).toBe(5_782_000);
  });
  test("non-integer agorot are refused", () => {
    expect(() => computeTotals([{ description: "x", quantity: 1, unitPriceAgorot: 10.5 }], 1800)).toThrow();
  });
  test("formatShekels", () => {
    expect(formatShekels(578200000)).toBe("₪5,782,000.00");
    expect(formatShekels(5)).toBe("₪0.05");
    expect(formatShekels(-1234)).toBe("-₪12.34");
  });
});

describe("allocation number rule", () => {
  const b2b = { type: "tax_invoice", customerTaxId: "514000000" };
  test("₪10,000 before VAT from 2026-01", () => {
    expect(allocationRequired({ ...b2b, subtotalAgorot: 999_999, issueDate: "2026-03-01" })).toBe(false);
    expect(allocationRequired({ ...b2b, subtotalAgorot: 1_000_000, issueDate: "2026-03-01" })).toBe(true);
  });
  test("₪5,000 from 2026-06", () => {
    expect(allocationRequired({ ...b2b, subtotalAgorot: 500_000, issueDate: "2026-05-31" })).toBe(false);
    expect(allocationRequired({ ...b2b, subtotalAgorot: 500_000, issueDate: "2026-06-01" })).toBe(true);
    expect(allocationRequired({ ...b2b, subtotalAgorot: 499_999, issueDate: "2026-06-01" })).toBe(false);
  });
  test("₪20,000 during 2025", () => {
    expect(allocationRequired({ ...b2b, subtotalAgorot: 1_999_999, issueDate: "2025-07-01" })).toBe(false);
    expect(allocationRequired({ ...b2b, subtotalAgorot: 2_000_000, issueDate: "2025-07-01" })).toBe(true);
  });
  test("private customers and receipts never need one", () => {
    expect(allocationRequired({ type: "tax_invoice", customerTaxId: null, subtotalAgorot: 9_000_000, issueDate: "2026-07-01" })).toBe(false);
    expect(allocationRequired({ ...b2b, type: "receipt", subtotalAgorot: 9_000_000, issueDate: "2026-07-01" })).toBe(false);
    expect(allocationRequired({ ...b2b, type: "tax_invoice_receipt", subtotalAgorot: 9_000_000, issueDate: "2026-07-01" })).toBe(true);
  });
  test("thresholds come from the schedule", () => {
    expect(valueOn(ALLOCATION_THRESHOLD_SCHEDULE, "2026-06-01")).toBe(500_000);
  });
});
