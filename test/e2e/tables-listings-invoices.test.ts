/**
 * Listings and invoices on the shared table in chromium (#17 item 3): on the
 * properties page two listings change status in bulk and a view (filters,
 * sort, columns) is saved and reapplied; on the invoices page the filtered
 * rows are exported as CSV (exactly the visible columns and rows). Screenshots
 * of both pages, RTL, with no clipped cell.
 */
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { useAdminSuite, shot, type TE2eBrowser, pageTrpc } from "./harness";

let browser: TE2eBrowser;

/** A tRPC call from inside the logged-in page. */
const call = <T>(path: string, input: unknown, kind: "mutation" | "query" = "mutation") => pageTrpc<T>(browser.page, path, input, kind);

/** The text of one column (by header) in every shown row, top to bottom. */
async function columnTexts(page: Page, header: string): Promise<string[]> {
  const headers = await page.locator("thead th").allTextContents();
  const i = headers.findIndex((h) => h.replace(/[▲▼↕]/g, "").trim() === header);
  if (i < 0) throw new Error(`no column ${header} in ${JSON.stringify(headers)}`);
  return page.locator(`tbody tr[data-row-id] td:nth-child(${i + 1})`).allTextContents();
}

async function waitForColumn(page: Page, header: string, expected: string[]): Promise<void> {
  const deadline = Date.now() + 15_000;
  let last: string[] | string = [];
  while (Date.now() < deadline) {
    // The table may not be on the page yet (a loaded machine): no such column is "not yet", not a failure.
    last = await columnTexts(page, header).catch((err: Error) => err.message);
    if (JSON.stringify(last) === JSON.stringify(expected)) return;
    await page.waitForTimeout(100);
  }
  throw new Error(`column ${header} shows ${JSON.stringify(last)}, expected ${JSON.stringify(expected)}`);
}

/** Header and cell boxes whose content is wider than the box (clipped text). */
function clippedCells(page: Page): Promise<(string | null)[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll("thead th, tbody td")].filter((el) => (el as HTMLElement).scrollWidth > (el as HTMLElement).clientWidth + 1).map((el) => el.textContent),
  );
}

useAdminSuite("tables-listings", (b) => (browser = b));

describe("listings and invoices tables in chromium", () => {
  const TITLES = ["דירת גן בקיסריה", "פנטהאוז מול הים בקיסריה", "3 חדרים בקיסריה, שכונה 2"];

  test("properties: bulk status of two listings, then a saved view brings back filters, sort and columns", async () => {
    const { page } = browser;
    const prices = [5_900_000, 9_800_000, 2_650_000];
    for (let i = 0; i < TITLES.length; i++) {
      await call("properties.create", { title: TITLES[i], dealType: "sale", propertyType: i === 1 ? "penthouse" : "apartment", city: "קיסריה", price: prices[i], rooms: 3 + i });
    }
    await page.goto("/properties");
    await page.getByLabel("עיר", { exact: true }).fill("קיסריה");
    await waitForColumn(page, "נכס", [...TITLES].reverse());
    expect(await page.getByTestId("properties-count").textContent()).toBe("3 נכסים");

    await page.getByRole("checkbox", { name: `בחירת ${TITLES[0]}` }).check();
    await page.getByRole("checkbox", { name: `בחירת ${TITLES[1]}` }).check();
    const bar = page.getByTestId("bulk-bar");
    expect(await bar.textContent()).toContain("נבחרו 2 נכסים");
    await bar.getByLabel("שינוי סטטוס").selectOption({ label: "במשא ומתן" });
    await bar.waitFor({ state: "hidden" });
    // The page shows available listings by default: the two left it.
    await waitForColumn(page, "נכס", [TITLES[2]!]);
    expect(await page.getByTestId("properties-count").textContent()).toBe("נכס אחד");
    const stored = await call<{ title: string; status: string }[]>("properties.list", { city: "קיסריה" }, "query");
    expect(Object.fromEntries(stored.map((p) => [p.title, p.status]))).toEqual({ [TITLES[0]!]: "under_offer", [TITLES[1]!]: "under_offer", [TITLES[2]!]: "available" });

    // Every status, sorted by price (high to low), without the type column; saved as a view.
    await page.getByLabel("סטטוס", { exact: true }).selectOption({ label: "כל הסטטוסים" });
    await waitForColumn(page, "נכס", [...TITLES].reverse());
    await page.getByRole("button", { name: /^מחיר/ }).click();
    await waitForColumn(page, "נכס", [TITLES[2]!, TITLES[0]!, TITLES[1]!]);
    await page.getByRole("button", { name: /^מחיר/ }).click();
    await waitForColumn(page, "נכס", [TITLES[1]!, TITLES[0]!, TITLES[2]!]);
    expect(await columnTexts(page, "סטטוס")).toEqual(["במשא ומתן", "במשא ומתן", "פנוי"]);
    await page.getByRole("button", { name: "עמודות" }).click();
    await page.getByRole("group", { name: "בחירת עמודות" }).getByLabel("סוג", { exact: true }).uncheck();
    await page.getByRole("group", { name: "בחירת עמודות" }).getByLabel("בעלים").check();
    await page.getByRole("button", { name: "עמודות" }).click();
    const headers = await page.locator("thead th").allTextContents();
    expect(headers.join("|")).not.toContain("סוג");
    await page.getByRole("button", { name: "שמירת תצוגה" }).click();
    await page.getByLabel("שם התצוגה").fill("קיסריה, היקרים קודם");
    await page.getByRole("button", { name: "שמירה", exact: true }).click();
    await page.getByRole("option", { name: "קיסריה, היקרים קודם" }).waitFor({ state: "attached" });

    await page.reload();
    await page.getByTestId("properties-count").waitFor();
    expect(await page.getByLabel("עיר", { exact: true }).inputValue()).toBe("");
    await page.getByLabel("תצוגות שמורות").selectOption({ label: "קיסריה, היקרים קודם" });
    await waitForColumn(page, "נכס", [TITLES[1]!, TITLES[0]!, TITLES[2]!]);
    expect(await page.locator("thead th").allTextContents()).toEqual(headers);
    expect(await page.getByLabel("עיר", { exact: true }).inputValue()).toBe("קיסריה");
    expect(await page.getByLabel("סטטוס", { exact: true }).inputValue()).toBe("");

    // Screenshot with a selection (the bulk bar shows), RTL, nothing clipped.
    await page.getByRole("checkbox", { name: `בחירת ${TITLES[2]}` }).check();
    expect(await page.evaluate(() => document.documentElement.dir)).toBe("rtl");
    expect(await clippedCells(page)).toEqual([]);
    await shot(page, "properties-table");
  }, 90_000);

  test("invoices: filter by customer, export the shown rows as CSV", async () => {
    const { page } = browser;
    const issue = (name: string, agorot: number) =>
      call<{ number: number }>("invoices.create", { type: "tax_invoice", customerName: name, lines: [{ description: "דמי תיווך", quantity: 1, unitPriceAgorot: agorot }] });
    const first = await issue("נחום תקוע", 1_000_000);
    await issue("רבקה מזרחי", 250_000);
    const second = await issue("נחום תקוע", 45_000);
    await page.goto("/invoices");
    await page.locator('tr[data-invoice-type="tax_invoice"]').first().waitFor();
    expect((await columnTexts(page, "לקוח")).length).toBeGreaterThanOrEqual(3);
    await page.getByLabel("חיפוש חשבוניות").fill("נחום");
    await waitForColumn(page, "לקוח", ["נחום תקוע", "נחום תקוע"]);
    expect(await page.getByTestId("invoices-shown").textContent()).toBe("מוצגים 2 מסמכים");
    // Highest total first.
    await page.getByRole("button", { name: /^סה״כ/ }).click();
    await waitForColumn(page, "מסמך", [`חשבונית מס ${first.number}`, `חשבונית מס ${second.number}`]);

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "ייצוא המוצג" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^invoices-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = readFileSync((await download.path())!, "utf8").replace(/^\uFEFF/, "").trim().split(/\r?\n/);
    expect(lines[0]).toBe("מסמך,תאריך,לקוח,סה״כ,סטטוס");
    expect(lines.length).toBe(3);
    expect(lines[1]).toMatch(new RegExp(`^חשבונית מס ${first.number},\\d{2}/\\d{2}/\\d{4},נחום תקוע,"₪11,800\\.00",ממתינה לתשלום$`));
    expect(lines[2]).toMatch(new RegExp(`^חשבונית מס ${second.number},\\d{2}/\\d{2}/\\d{4},נחום תקוע,₪531\\.00,ממתינה לתשלום$`));

    // Nothing matches: the count says so in words.
    await page.getByLabel("חיפוש חשבוניות").fill("אין כזה לקוח");
    await page.getByText("לא נמצאו מסמכים").waitFor();
    expect(await page.getByTestId("invoices-shown").textContent()).toBe("אין מסמכים להצגה");
    await page.getByLabel("חיפוש חשבוניות").fill("נחום");
    await waitForColumn(page, "לקוח", ["נחום תקוע", "נחום תקוע"]);
    await page.getByRole("checkbox", { name: `בחירת חשבונית מס ${second.number}` }).check();
    expect(await page.getByTestId("bulk-bar").textContent()).toContain("נבחר מסמך אחד");
    expect(await page.evaluate(() => document.documentElement.dir)).toBe("rtl");
    expect(await clippedCells(page)).toEqual([]);
    await shot(page, "invoices-table");
  }, 90_000);
});
