/**
 * The customers page count in chromium when a search matches more customers
 * than the list counts (SEARCH_TOTAL_CAP): "יותר מ־1,000 לקוחות", the number
 * in <bdi>; a narrower search still shows its exact count. Screenshot under
 * test/e2e/screenshots/customers-count-capped.png.
 */
import { describe, expect, test } from "bun:test";
import { SEARCH_TOTAL_CAP } from "../../api/services/customers/list-customers";
import { pageTrpc, useAdminSuite, shot, type TE2eBrowser } from "./harness";

let browser: TE2eBrowser;

useAdminSuite("customers-count", (b) => (browser = b));

describe("customers count past the search cap in chromium", () => {
  test(`${SEARCH_TOTAL_CAP + 20} matches show "יותר מ־1,000 לקוחות"; 11 show "11 לקוחות"`, async () => {
    const { page } = browser;
    const rows = Array.from({ length: SEARCH_TOTAL_CAP + 20 }, (_, i) => `גלעד צורי ${i},05${String(20_000_000 + i)}`);
    const csv = ["שם מלא,טלפון", ...rows].join("\n");
    const { imported } = await pageTrpc<{ imported: number }>(page, "customers.importCsv", { csv });
    expect(imported).toBe(SEARCH_TOTAL_CAP + 20);

    await page.goto(`/customers?q=${encodeURIComponent("צורי")}`);
    const count = page.getByTestId("customers-count");
    await page.locator('[data-testid="customers-count"]', { hasText: "יותר מ־" }).waitFor();
    expect(await count.textContent()).toBe("יותר מ־1,000 לקוחות");
    expect(await count.locator("bdi").textContent()).toBe("1,000");
    expect(await page.evaluate(() => document.documentElement.dir)).toBe("rtl");
    await shot(page, "customers-count-capped");

    // "צורי 101" is in 11 names (101 and 1010–1019): an exact count.
    await page.goto(`/customers?q=${encodeURIComponent("צורי 101")}`);
    await page.locator('[data-testid="customers-count"]', { hasText: /^11 לקוחות$/ }).waitFor();
    expect(await count.textContent()).toBe("11 לקוחות");
  }, 180_000);
});
