/**
 * The built dashboard in Debian chromium against the real server:
 * login, RTL layout, navigation, customers (create, Hebrew search, CSV
 * export, kanban move) and properties.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { launchBrowser, login, shot, startServer, type TE2eBrowser, type TE2eServer } from "./harness";

let server: TE2eServer;
let browser: TE2eBrowser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser(server.base);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("dashboard in chromium", () => {
  test("a wrong password shows a Hebrew error and stays on the login page", async () => {
    const health = (await (await fetch(`${server.base}/health`)).json()) as { db: string };
    expect(health.db).toBe(process.env.DATABASE_URL ? "postgres" : "pglite");
    const { page } = browser;
    await page.goto("/");
    await page.waitForURL(/\/login/);
    expect(await page.evaluate(() => document.dir)).toBe("rtl");
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("he");
    await page.getByLabel("דוא״ל").fill(server.adminEmail);
    await page.getByLabel("סיסמה").fill("definitely-wrong-password");
    await page.getByRole("button", { name: "כניסה" }).click();
    const error = page.getByTestId("login-error");
    await error.waitFor();
    expect(await error.textContent()).toMatch(/[\u0590-\u05ff]/);
    expect(page.url()).toContain("/login");
    await shot(page, "01-login-error");
  }, 90_000);

  test("the right password opens the dashboard with the sidebar on the right", async () => {
    const { page } = browser;
    await login(page, server.adminEmail, server.adminPassword);
    expect(await page.evaluate(() => document.dir)).toBe("rtl");
    const sidebar = await page.getByTestId("sidebar").boundingBox();
    const viewport = page.viewportSize()!;
    expect(sidebar).not.toBeNull();
    // Flush with the right edge, narrow.
    expect(Math.round(sidebar!.x + sidebar!.width)).toBe(viewport.width);
    expect(sidebar!.width).toBeLessThan(viewport.width / 3);
    await shot(page, "02-after-login");
  }, 90_000);

  test("navigation follows the sidebar links", async () => {
    const { page } = browser;
    const nav = page.getByRole("navigation", { name: "ניווט ראשי" });
    for (const [label, path, heading] of [
      ["לקוחות ולידים", "/customers", "לקוחות ולידים"],
      ["נכסים", "/properties", "נכסים"],
      ["שיחות", "/calls", "שיחות"],
    ] as const) {
      await nav.getByRole("link", { name: label, exact: true }).click();
      await page.waitForURL((u) => u.pathname === path);
      await page.getByRole("heading", { level: 1, name: heading }).waitFor();
    }
    await page.goto("/properties");
    await page.getByText("דירת 4 חדרים ברמת גן, ליד הבורסה").waitFor();
    await shot(page, "03-properties");
  }, 90_000);

  test("create a customer, then find it with a Hebrew search", async () => {
    const { page } = browser;
    await page.goto("/customers");
    await page.getByRole("button", { name: "לקוח חדש" }).click();
    const dialog = page.getByRole("dialog", { name: "לקוח חדש" });
    await dialog.getByLabel("שם מלא").fill("רונית אברהמי");
    await dialog.getByLabel("טלפון").fill("054-765-4321");
    await dialog.getByLabel("ערים").fill("גבעתיים, רמת גן");
    await dialog.getByLabel("תקציב עד (₪)").fill("3200000");
    await dialog.getByRole("button", { name: "שמירה" }).click();
    await dialog.waitFor({ state: "detached" });
    await page.getByRole("cell", { name: "רונית אברהמי", exact: true }).waitFor();

    // A second customer so the search has something to exclude.
    await page.getByRole("button", { name: "לקוח חדש" }).click();
    await dialog.getByLabel("שם מלא").fill("משה כהן");
    await dialog.getByLabel("טלפון").fill("052-111-2222");
    await dialog.getByRole("button", { name: "שמירה" }).click();
    await dialog.waitFor({ state: "detached" });
    await page.getByRole("cell", { name: "משה כהן", exact: true }).waitFor();

    await page.getByLabel("חיפוש לקוחות").fill("אברהמי");
    await page.waitForFunction(() => !document.body.innerText.includes("משה כהן"));
    expect(await page.getByRole("cell", { name: "רונית אברהמי", exact: true }).count()).toBe(1);
    // The phone is shown in national form, isolated left-to-right.
    const phone = page.locator("bdi[dir=ltr]", { hasText: "054-765-4321" });
    expect(await phone.count()).toBeGreaterThan(0);
    await shot(page, "04-customers-search");
  }, 90_000);

  test("a bad phone number is refused with a Hebrew message and nothing is saved", async () => {
    const { page } = browser;
    await page.goto("/customers");
    await page.getByRole("button", { name: "לקוח חדש" }).click();
    const dialog = page.getByRole("dialog", { name: "לקוח חדש" });
    await dialog.getByLabel("שם מלא").fill("טלפון שגוי");
    await dialog.getByLabel("טלפון").fill("12");
    await dialog.getByRole("button", { name: "שמירה" }).click();
    const alert = dialog.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/טלפון/);
    await dialog.getByRole("button", { name: "ביטול" }).click();
    await page.getByLabel("חיפוש לקוחות").fill("טלפון שגוי");
    await page.getByText("לא נמצאו לקוחות").waitFor();
  }, 90_000);

  test("CSV export downloads the customers with Hebrew headers", async () => {
    const { page } = browser;
    await page.goto("/customers");
    await page.getByRole("cell", { name: "רונית אברהמי", exact: true }).waitFor();
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "ייצוא CSV" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^customers-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path())!, "utf8");
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.slice(1).trim().split("\r\n");
    expect(lines[0]).toStartWith("שם מלא,טלפון");
    expect(lines.some((l) => l.startsWith("רונית אברהמי,+972547654321"))).toBe(true);
    expect(lines).toHaveLength(3);
  }, 90_000);

  test("CSV import: a file with a bad row is refused whole, with the row named in Hebrew", async () => {
    const { page } = browser;
    await page.goto("/customers");
    await page.getByRole("cell", { name: "רונית אברהמי", exact: true }).waitFor();
    const csv = "\ufeffשם מלא,טלפון\r\nיעל ברק,050-333-4444\r\nשורה שבורה,12\r\n";
    await page.getByLabel("קובץ CSV לייבוא").setInputFiles({ name: "leads.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.getByText("הייבוא בוטל").waitFor();
    expect(await page.getByRole("alert").filter({ hasText: "הייבוא בוטל" }).textContent()).toContain("שורה 3");
    expect(await page.getByRole("cell", { name: "יעל ברק", exact: true }).count()).toBe(0);
    await page.getByLabel("קובץ CSV לייבוא").setInputFiles({ name: "leads.csv", mimeType: "text/csv", buffer: Buffer.from("שם מלא,טלפון\r\nיעל ברק,050-333-4444\r\n") });
    await page.getByRole("cell", { name: "יעל ברק", exact: true }).waitFor();
  }, 90_000);

  test("kanban: dragging a card to another column changes the status on the server", async () => {
    const { page } = browser;
    await page.goto("/customers?view=kanban");
    const card = page.locator("article[data-customer-id]", { hasText: "רונית אברהמי" });
    await card.waitFor();
    const id = await card.getAttribute("data-customer-id");
    await card.dragTo(page.locator('section[data-status="viewing"]'));
    await page.locator('section[data-status="viewing"] article', { hasText: "רונית אברהמי" }).waitFor();
    await page.getByText('הלקוח הועבר ל"בצפייה"').waitFor();
    await shot(page, "05-kanban");
    // The move was persisted: a fresh load shows it in the new column.
    await page.goto(`/customers/${id}`);
    await page.getByRole("heading", { level: 1, name: "רונית אברהמי" }).waitFor();
    expect(await page.getByLabel("שינוי סטטוס").inputValue()).toBe("viewing");

    // Book a viewing of a matching listing (the shared booking dialog, customer fixed) and add a task: both land on the timeline.
    const book = async (time: string) => {
      await page.getByRole("tab", { name: "צפייה" }).click();
      await page.getByTestId("customer-book-viewing").click();
      const dialog = page.getByTestId("book-viewing");
      const property = dialog.getByLabel("נכס");
      await property.locator("option").nth(1).waitFor({ state: "attached" });
      await property.selectOption({ index: 1 });
      // A weekday (Tuesday) a few days ahead: a working day, whatever today is.
      const tuesday = await dialog.locator("select[name=day]").evaluate((el) => [...(el as HTMLSelectElement).options].find((o) => o.text.includes("שלישי") && !o.text.startsWith("היום"))!.value);
      await dialog.locator("select[name=day]").selectOption(tuesday);
      await dialog.locator("select[name=time]").selectOption(time);
      await dialog.getByRole("button", { name: "קביעת צפייה" }).click();
      return dialog;
    };
    const booked = await book("11:00");
    await booked.waitFor({ state: "detached" });
    await page.getByTestId("toasts").getByText(/נקבעה צפייה ל-.*11:00/).waitFor();
    await page.getByTestId("timeline").getByText("פגישת צפייה").waitFor();
    // The same listing at an overlapping time is a conflict, explained in Hebrew, and the dialog stays open.
    const again = await book("11:15");
    await again.getByRole("alert").getByText(/כבר קיימת פגישה לנכס זה ב-/).waitFor();
    await page.keyboard.press("Escape");
    await again.waitFor({ state: "detached" });
    await page.getByRole("tab", { name: "משימה" }).click();
    await page.getByLabel("משימה", { exact: true }).fill("לשלוח לרונית עוד דירות בגבעתיים");
    await page.getByRole("button", { name: "הוספה" }).click();
    await page.getByTestId("timeline").getByText("לשלוח לרונית עוד דירות בגבעתיים").waitFor();
    await shot(page, "06-customer-page");
  }, 90_000);

  test("a phone-sized screen gets a drawer that opens from the right", async () => {
    const { page } = browser;
    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto("/customers");
    expect(await page.getByTestId("sidebar").isVisible()).toBe(false);
    await page.getByRole("cell", { name: "רונית אברהמי", exact: true }).waitFor();
    await shot(page, "07a-mobile-customers");
    await page.getByRole("button", { name: "פתיחת התפריט" }).click();
    const drawer = page.getByTestId("drawer");
    await drawer.waitFor();
    const box = (await drawer.boundingBox())!;
    expect(Math.round(box.x + box.width)).toBe(390);
    await shot(page, "07-mobile-drawer");
    await drawer.getByRole("link", { name: "נכסים" }).click();
    await page.waitForURL((u) => u.pathname === "/properties");
    expect(await page.getByTestId("drawer").count()).toBe(0);
    await page.setViewportSize({ width: 1360, height: 860 });
  }, 90_000);

  test("PWA: manifest and icons are served, and the app shell opens offline with a Hebrew notice", async () => {
    const manifest = (await (await fetch(`${server.base}/manifest.webmanifest`)).json()) as { lang: string; dir: string; icons: { src: string; sizes: string }[] };
    expect(manifest).toMatchObject({ lang: "he", dir: "rtl" });
    for (const icon of manifest.icons) {
      const res = await fetch(`${server.base}${icon.src}`);
      expect(res.headers.get("content-type")).toBe("image/png");
      const png = new Uint8Array(await res.arrayBuffer());
      // PNG signature and the declared width in the IHDR chunk.
      expect([...png.subarray(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
      expect(new DataView(png.buffer).getUint32(16)).toBe(Number(icon.sizes.split("x")[0]));
    }

    const pwa = await launchBrowser(server.base, { serviceWorkers: true });
    try {
      await login(pwa.page, server.adminEmail, server.adminPassword);
      await pwa.page.evaluate(async () => {
        await navigator.serviceWorker.ready;
        if (!navigator.serviceWorker.controller) await new Promise((r) => navigator.serviceWorker.addEventListener("controllerchange", r, { once: true }));
      });
      // One online navigation through the worker fills the shell cache.
      await pwa.page.reload();
      await pwa.page.getByTestId("sidebar").waitFor();
      await pwa.context.setOffline(true);
      await pwa.page.reload();
      await pwa.page.getByTestId("offline-notice").waitFor();
      expect(await pwa.page.evaluate(() => document.dir)).toBe("rtl");
      expect(await pwa.page.getByTestId("offline-notice").textContent()).toContain("אין חיבור לאינטרנט");
      await shot(pwa.page, "08-offline");
    } finally {
      await pwa.context.setOffline(false);
      await pwa.close();
    }
  }, 45_000);
});
