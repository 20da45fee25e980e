/**
 * Tables and ownership in chromium (#17 items 2–3): select rows and assign
 * them to an agent (the rows then show the agent), save a view (filters, sort,
 * columns), reload, apply it and get the same rows, and the "לקוחות שלי"
 * filter. The customers page screenshot goes to docs/screenshots/ for the
 * README.
 */
import { describe, expect, test } from "bun:test";
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { useAdminSuite, shot, type TE2eBrowser, pageTrpc } from "./harness";

let browser: TE2eBrowser;
const DOCS = join(import.meta.dir, "..", "..", "docs", "screenshots");

/** A tRPC call from inside the logged-in page. */
const call = <T>(path: string, input: unknown, kind: "mutation" | "query" = "mutation") => pageTrpc<T>(browser.page, path, input, kind);

/** Names in the table, top to bottom. */
async function shownNames(): Promise<string[]> {
  const { page } = browser;
  return page.locator("tbody tr[data-row-id] td:nth-child(2)").allTextContents();
}

async function waitForNames(expected: string[]): Promise<void> {
  const deadline = Date.now() + 15_000;
  let last: string[] = [];
  while (Date.now() < deadline) {
    last = await shownNames();
    if (JSON.stringify(last) === JSON.stringify(expected)) return;
    await browser.page.waitForTimeout(100);
  }
  throw new Error(`table shows ${JSON.stringify(last)}, expected ${JSON.stringify(expected)}`);
}

useAdminSuite("tables", (b) => (browser = b));

describe("tables and ownership in chromium", () => {
  let agentName = "";
  let meId = "";

  test("select rows → assign to an agent → the rows show the agent", async () => {
    const { page } = browser;
    const agent = await call<{ user: { id: string; fullName: string } }>("users.create", { email: "dana@kesher.test", fullName: "דנה כהן", permissions: ["customers", "tasks", "appointments"] });
    agentName = agent.user.fullName;
    meId = (await call<{ user: { id: string } }>("auth.me", undefined, "query")).user.id;
    const people = [
      { fullName: "אורי בן דוד", phone: "0541118001", requirements: { dealType: "sale", cities: ["תל אביב"], budgetMax: 2_800_000 } },
      { fullName: "שירה לוין", phone: "0541118002", requirements: { dealType: "rent", cities: ["רמת גן"], budgetMax: 7500 } },
      { fullName: "גיל אברהם", phone: "0541118003", requirements: { dealType: "rent", cities: ["גבעתיים"], budgetMax: 6200 } },
      { fullName: "נועה פרץ", phone: "0541118004", requirements: { dealType: "sale", cities: ["תל אביב"], budgetMax: 3_900_000 }, tags: ["משקיעה"] },
    ];
    for (const p of people) await call("customers.create", { ...p, status: "qualified" });
    await page.goto("/customers");
    await page.getByRole("checkbox", { name: "בחירת שירה לוין" }).waitFor();
    await page.getByRole("checkbox", { name: "בחירת שירה לוין" }).check();
    await page.getByRole("checkbox", { name: "בחירת גיל אברהם" }).check();
    const bar = page.getByTestId("bulk-bar");
    expect(await bar.textContent()).toContain("נבחרו 2 לקוחות");
    await bar.getByLabel("שיוך לנציג").selectOption({ label: agentName });
    await bar.waitFor({ state: "hidden" });
    for (const name of ["שירה לוין", "גיל אברהם"]) {
      await page.locator("tbody tr", { hasText: name }).getByText(agentName).waitFor();
    }
    expect(await page.locator("tbody tr", { hasText: "אורי בן דוד" }).textContent()).not.toContain(agentName);
    // One row: the Hebrew singular.
    await page.getByRole("checkbox", { name: "בחירת נועה פרץ" }).check();
    expect(await bar.textContent()).toContain("נבחר לקוח אחד");
    await bar.getByRole("button", { name: "ניקוי הבחירה" }).click();
  }, 60_000);

  test("a saved view: save → reload → apply → the same rows, sort and columns", async () => {
    const { page } = browser;
    await page.getByLabel("סוג עסקה").selectOption({ label: "השכרה" });
    await waitForNames(["גיל אברהם", "שירה לוין"]);
    // Sort by name: first click ascending.
    await page.getByRole("button", { name: /^שם/ }).click();
    await waitForNames(["גיל אברהם", "שירה לוין"]);
    await page.getByRole("button", { name: /^שם/ }).click();
    await waitForNames(["שירה לוין", "גיל אברהם"]);
    await page.getByRole("button", { name: "עמודות" }).click();
    await page.getByRole("group", { name: "בחירת עמודות" }).getByLabel("מקור").uncheck();
    await page.getByRole("button", { name: "עמודות" }).click();
    const before = await shownNames();
    const headersBefore = await page.locator("thead th").allTextContents();
    expect(headersBefore.join("|")).not.toContain("מקור");

    await page.getByRole("button", { name: "שמירת תצוגה" }).click();
    await page.getByLabel("שם התצוגה").fill("שוכרים, לפי שם יורד");
    await page.getByRole("button", { name: "שמירה", exact: true }).click();
    await page.getByRole("option", { name: "שוכרים, לפי שם יורד" }).waitFor({ state: "attached" });

    await page.reload();
    await page.getByRole("checkbox", { name: "בחירת אורי בן דוד" }).waitFor();
    expect((await shownNames()).length).toBe(4);
    await page.getByLabel("תצוגות שמורות").selectOption({ label: "שוכרים, לפי שם יורד" });
    await waitForNames(before);
    expect(await page.locator("thead th").allTextContents()).toEqual(headersBefore);
    expect(await page.getByLabel("סוג עסקה").inputValue()).toBe("rent");
  }, 60_000);

  test("'לקוחות שלי' shows only the customers assigned to me; screenshot of the customers page", async () => {
    const { page } = browser;
    const list = await call<{ items: { id: string; fullName: string }[] }>("customers.list", { search: "נועה פרץ" }, "query");
    await call("assignments.assign", { entity: "customer", ids: [list.items[0]!.id], userId: meId });
    await page.goto("/customers");
    await page.getByRole("checkbox", { name: "בחירת אורי בן דוד" }).waitFor();
    await page.getByRole("button", { name: "לקוחות שלי" }).click();
    await waitForNames(["נועה פרץ"]);
    expect(await page.getByTestId("customers-count").textContent()).toBe("לקוח אחד");
    await page.getByRole("button", { name: "לקוחות שלי" }).click();
    await page.getByRole("checkbox", { name: "בחירת אורי בן דוד" }).waitFor();
    const count = await page.getByTestId("customers-count").textContent();
    expect(count).toMatch(/^\d+ לקוחות$/);

    // The screenshot: all customers, two selected (the bulk bar shows), RTL.
    await page.getByRole("checkbox", { name: "בחירת שירה לוין" }).check();
    await page.getByRole("checkbox", { name: "בחירת אורי בן דוד" }).check();
    expect(await page.evaluate(() => document.documentElement.dir)).toBe("rtl");
    // No clipped header or cell text: every cell's content fits its box.
    const clipped = await page.evaluate(() =>
      [...document.querySelectorAll("thead th, tbody td")].filter((el) => (el as HTMLElement).scrollWidth > (el as HTMLElement).clientWidth + 1).map((el) => el.textContent),
    );
    expect(clipped).toEqual([]);
    const path = await shot(page, "customers-table");
    mkdirSync(DOCS, { recursive: true });
    copyFileSync(path, join(DOCS, "customers.png"));
  }, 60_000);

  test("tasks on the same table: bulk assign, 'המשימות שלי', complete one", async () => {
    const { page } = browser;
    for (const title of ["להתקשר לבעלת הדירה בגבעתיים", "לשלוח חוזה לשירה"]) await call("tasks.create", { title, assignedUserId: meId });
    await page.goto("/tasks");
    await page.getByRole("checkbox", { name: "בחירת לשלוח חוזה לשירה" }).waitFor();
    await page.getByRole("button", { name: "המשימות שלי" }).click();
    await page.getByRole("checkbox", { name: "בחירת לשלוח חוזה לשירה" }).check();
    await page.getByRole("checkbox", { name: "בחירת להתקשר לבעלת הדירה בגבעתיים" }).check();
    const bar = page.getByTestId("bulk-bar");
    expect(await bar.textContent()).toContain("נבחרו 2 משימות");
    await bar.getByLabel("שיוך לנציג").selectOption({ label: agentName });
    // Mine: both went to the agent, so my list is empty now.
    await page.getByText("אין משימות פתוחות").waitFor();
    await page.getByRole("button", { name: "המשימות שלי" }).click();
    const row = page.locator("tbody tr", { hasText: "לשלוח חוזה לשירה" });
    await row.waitFor();
    expect(await row.getByLabel("נציג מטפל").evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent)).toBe(agentName);
    // A click, as a person does. check() also waits to see the box checked, but the box leaves with the task (or
    // comes back unchecked when the list refreshes first): a run under load timed out there.
    await row.getByLabel('סימון "לשלוח חוזה לשירה" כבוצעה').click();
    await row.waitFor({ state: "detached" });
    await shot(page, "tasks-table");
  }, 60_000);

  test("viewings list on the same table: bulk assign and 'הצפיות שלי'", async () => {
    const { page } = browser;
    const c = await call<{ items: { id: string }[] }>("customers.list", { search: "אורי בן דוד" }, "query");
    const day = new Date(Date.now() + 3 * 86_400_000);
    day.setUTCHours(8, 0, 0, 0);
    for (const h of [0, 2]) {
      const starts = new Date(day.getTime() + h * 3_600_000);
      await call("appointments.create", { customerId: c.items[0]!.id, startsAt: starts.toISOString(), endsAt: new Date(starts.getTime() + 30 * 60_000).toISOString() });
    }
    await page.goto("/viewings");
    await page.getByRole("button", { name: "רשימה" }).click();
    const boxes = page.getByRole("checkbox", { name: /^בחירת הצפייה ב/ });
    await boxes.nth(1).waitFor();
    await boxes.nth(0).check();
    await boxes.nth(1).check();
    const bar = page.getByTestId("bulk-bar");
    expect(await bar.textContent()).toContain("נבחרו 2 צפיות");
    await bar.getByLabel("שיוך לנציג").selectOption({ label: agentName });
    await bar.waitFor({ state: "hidden" });
    await page.getByRole("button", { name: "הצפיות שלי" }).click();
    await page.getByText("אין פגישות קרובות").waitFor();
    await shot(page, "viewings-table");
  }, 60_000);
});
