/**
 * CRM in chromium (#17): the ⌘K / Ctrl+K global search from any page (a typo
 * still finds the customer, a wanted city finds the buyer), a note with its
 * author on the customer's timeline, and an agent's private ICS feed.
 * Screenshots of the customers list, a customer page and the search palette
 * are copied to docs/ for the README.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { firstLogin, launchBrowser, pageTrpc, shot, startServer, type TE2eBrowser, type TE2eServer } from "./harness";

let server: TE2eServer;
let browser: TE2eBrowser;
const DOCS = join(import.meta.dir, "..", "..", "docs", "crm");

async function docShot(name: string): Promise<void> {
  const path = await shot(browser.page, name);
  mkdirSync(DOCS, { recursive: true });
  copyFileSync(path, join(DOCS, `${name}.png`));
}

/** A tRPC mutation from inside the logged-in page. */
const mutate = <T>(path: string, input: unknown) => pageTrpc<T>(browser.page, path, input);

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser(server.base, { width: 1366, height: 860 });
  await firstLogin(browser.page, server, "crm");
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("CRM in chromium", () => {
  let goldbergId = "";

  test("Ctrl+K opens the global search from any page; a typo and a wanted city both find the right customer", async () => {
    const { page } = browser;
    const g = await mutate<{ id: string }>("customers.create", { fullName: "יוסי גולדברג", phone: "0541117001", status: "qualified", tags: ["משקיע"], requirements: { dealType: "sale", cities: ["הרצליה"], budgetMax: 4_000_000 } });
    goldbergId = g.id;
    await mutate("customers.create", { fullName: "רונית שמש", phone: "0541117002", requirements: { dealType: "sale", cities: ["רמת-גן"], roomsMin: 4, budgetMax: 3_000_000 } });
    await mutate("customers.create", { fullName: "דוד לוי", phone: "0541117003", requirements: { dealType: "rent", cities: ["תל אביב"], budgetMax: 8000 } });
    await page.goto("/tasks");
    await page.getByTestId("sidebar").waitFor();
    await page.keyboard.press("Control+k");
    const palette = page.getByTestId("command-palette");
    await palette.waitFor();
    await page.getByTestId("command-palette").getByRole("combobox").fill("גולדבג");
    await page.getByTestId("palette-corrected").waitFor();
    expect(await page.getByTestId("palette-corrected").textContent()).toContain("גולדברג");
    await palette.getByRole("option", { name: /יוסי גולדברג/ }).waitFor();
    await page.getByTestId("command-palette").getByRole("combobox").fill("רמת גן");
    const buyer = palette.getByRole("option", { name: /רונית שמש/ });
    await buyer.waitFor();
    expect(await buyer.textContent()).toContain("קונה ברמת-גן");
    await docShot("global-search");
    await page.keyboard.press("Escape");
    await palette.waitFor({ state: "detached" });
    // From the sidebar button too; Enter opens the first hit.
    await page.getByTestId("open-search").click();
    await page.getByTestId("command-palette").getByRole("combobox").fill("גולדברג");
    await palette.getByRole("option", { name: /יוסי גולדברג/ }).waitFor();
    await page.keyboard.press("Enter");
    await page.waitForURL(new RegExp(`/customers/${goldbergId}$`));
  }, 60_000);

  test("a note is added on the customer page and shows its author and time on the timeline", async () => {
    const { page } = browser;
    await page.goto(`/customers/${goldbergId}`);
    await page.getByTestId("note-form").waitFor();
    await page.getByLabel("הערה חדשה").fill("מעדיף קומה גבוהה עם נוף לים");
    await page.getByRole("button", { name: "הוספת הערה" }).click();
    const entry = page.getByTestId("timeline").locator('li[data-kind="note"]').first();
    await entry.getByText("מעדיף קומה גבוהה עם נוף לים").waitFor();
    expect(await entry.getByTestId("note-author").textContent()).toMatch(/[\u0590-\u05ff]/);
    await docShot("customer-page");
    await page.goto("/customers");
    await page.getByText("רונית שמש").first().waitFor();
    await docShot("customers");
  }, 60_000);

  test("the agent's private ICS feed serves their viewings to a calendar app", async () => {
    const { page } = browser;
    const me = (await pageTrpc<{ user: { id: string } }>(page, "auth.me", undefined, "query")).user.id;
    const props = await pageTrpc<{ items: { id: string }[] } | { id: string }[]>(page, "properties.list", undefined, "query");
    const propertyId = (Array.isArray(props) ? props : props.items)[0]!.id;
    // Next Monday 10:00 Israel time (a working day), two weeks out.
    const d = new Date();
    d.setUTCDate(d.getUTCDate() + 14 + ((8 - d.getUTCDay()) % 7));
    d.setUTCHours(8, 0, 0, 0);
    await mutate("appointments.create", { customerId: goldbergId, propertyId, startsAt: d.toISOString(), endsAt: new Date(d.getTime() + 1800_000).toISOString(), assignedUserId: me, status: "confirmed" });
    await page.goto("/viewings");
    await page.getByTestId("calendar-feed").click();
    const url = await page.getByTestId("calendar-feed-url").inputValue();
    expect(url).toMatch(/\/ics\/[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}\.ics$/);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/calendar");
    const ics = (await res.text()).replace(/\r\n /g, "");
    expect(ics).toContain("BEGIN:VEVENT");
    expect(ics).toContain("יוסי גולדברג");
    expect((await fetch(url.replace(/\.ics$/, "x.ics"))).status).toBe(404);
  }, 60_000);
});
