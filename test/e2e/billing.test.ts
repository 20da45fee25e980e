/**
 * Business suite in chromium against the real server: staff creates a viewing
 * order and sends the signing link; the customer (a separate browser profile,
 * no login) draws a signature and signs; staff issues an invoice, creates a
 * Tranzila payment link (API pointed at the local double); the customer pays
 * on the double's page, Tranzila's notify reaches the server, and the invoice
 * shows as paid.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startPaypalDouble, type TPaypalDouble } from "../doubles/paypal-double";
import { startTranzilaDouble, type TTranzilaDouble } from "../doubles/tranzila-double";
import { launchBrowser, login, pageTrpc, shot, startServer, type TE2eBrowser, type TE2eServer } from "./harness";

let server: TE2eServer;
let staff: TE2eBrowser;
let customer: TE2eBrowser;
let tranzila: TTranzilaDouble;
let paypal: TPaypalDouble;

beforeAll(async () => {
  server = await startServer();
  tranzila = startTranzilaDouble();
  paypal = startPaypalDouble();
  staff = await launchBrowser(server.base);
  customer = await launchBrowser(server.base, { width: 420, height: 900 });
  // A shared 2-core machine can take more than the harness's 10 s to serve a page.
  for (const b of [staff, customer]) b.page.setDefaultTimeout(45_000);
}, 240_000);

afterAll(async () => {
  await customer?.close();
  await staff?.close();
  tranzila?.close();
  paypal?.close();
  await server?.stop();
}, 30_000);

describe("business suite in chromium", () => {
  test("a viewing order is sent, signed by drawing on the customer's phone, and shows as signed", async () => {
    const page = staff.page;
    await login(page, server.adminEmail, server.adminPassword);
    await pageTrpc(page, "customers.create", { fullName: "יעל כהן", phone: "054-555-1234" });

    await page.getByRole("navigation", { name: "ניווט ראשי" }).getByRole("link", { name: "חוזים", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "חוזים וחתימות" }).waitFor();
    await page.getByRole("button", { name: "חוזה חדש" }).click();
    const dialog = page.getByRole("dialog", { name: "חוזה חדש" });
    await dialog.getByLabel("לקוח").selectOption({ label: "יעל כהן" });
    await dialog.getByLabel("נכס").selectOption({ index: 1 });
    await dialog.getByLabel("מספר רישיון תיווך").fill("3141592");
    await dialog.getByLabel("דמי התיווך", { exact: true }).fill("2% ממחיר העסקה");
    await dialog.getByLabel("מע״מ על דמי התיווך").selectOption("plus");
    await dialog.getByRole("button", { name: "יצירה" }).click();
    await page.getByRole("button", { name: "שליחה לחתימה" }).first().click();
    const link = await page.getByTestId("sign-link").inputValue();
    expect(link).toMatch(/\/sign\/[A-Za-z0-9_-]{40,}$/);
    await shot(page, "billing-01-sign-link");

    const phone = customer.page;
    await phone.goto(link);
    expect(await phone.evaluate(() => document.documentElement.dir)).toBe("rtl");
    await phone.getByRole("heading", { name: "הזמנת שירותי תיווך" }).waitFor();
    expect(await phone.locator(".body").textContent()).toContain("יעל כהן");
    await phone.getByLabel("שם מלא").fill("יעל כהן");
    await phone.getByLabel("מספר תעודת זהות").fill("123456782");
    await phone.getByLabel("כתובת").fill("רחוב הרצל 5, תל אביב");
    // Submitting without a signature is refused on the page.
    await phone.getByRole("button", { name: "חתימה ושליחה" }).click();
    expect(await phone.locator("#err").textContent()).toContain("יש לחתום");
    const pad = (await phone.locator("#pad").boundingBox())!;
    /** Dark pixels on the pad: what the signer sees drawn. */
    const ink = () =>
      phone.evaluate(() => {
        const c = document.getElementById("pad") as HTMLCanvasElement;
        const d = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < d.length; i += 4) if (d[i]! > 128) n++;
        return n;
      });
    await phone.mouse.move(pad.x + 30, pad.y + pad.height * 0.6);
    await phone.mouse.down();
    for (let i = 1; i <= 24; i++) await phone.mouse.move(pad.x + 30 + i * 12, pad.y + pad.height * (0.6 - 0.3 * Math.sin(i / 3)));
    await phone.mouse.up();
    expect(await ink()).toBeGreaterThan(100);
    // A finger: raw touch input (the pad must not scroll the page or drop it).
    await phone.getByRole("button", { name: "ניקוי" }).click();
    expect(await ink()).toBe(0);
    const cdp = await phone.context().newCDPSession(phone);
    const touch = (type: "touchStart" | "touchMove" | "touchEnd", x: number, y: number) => cdp.send("Input.dispatchTouchEvent", { type, touchPoints: type === "touchEnd" ? [] : [{ x, y }] });
    const box = (await phone.locator("#pad").boundingBox())!;
    await touch("touchStart", box.x + 40, box.y + box.height * 0.5);
    for (let i = 1; i <= 20; i++) await touch("touchMove", box.x + 40 + i * 12, box.y + box.height * (0.5 - 0.25 * Math.sin(i / 3)));
    await touch("touchEnd", 0, 0);
    const drawn = await ink();
    expect(drawn).toBeGreaterThan(100);
    // Turning the phone resizes the canvas (which clears it): the strokes are redrawn, not lost.
    await phone.setViewportSize({ width: 900, height: 420 });
    await phone.waitForFunction(() => (document.getElementById("pad") as HTMLCanvasElement).width > 800 * (window.devicePixelRatio || 1) * 0.5);
    expect(await ink()).toBeGreaterThan(drawn * 0.8);
    await phone.setViewportSize({ width: 420, height: 900 });
    await shot(phone, "billing-02-signing-page");
    await phone.getByRole("button", { name: "חתימה ושליחה" }).click();
    await phone.getByTestId("signed").waitFor();

    // The link is single use.
    await phone.goto(link);
    expect(await phone.getByTestId("message").textContent()).toContain("חד-פעמי");

    await page.reload();
    await page.getByTestId("contract-status").filter({ hasText: "נחתם" }).first().waitFor();
    await page.getByText("נחתם ע״י יעל כהן").waitFor();
    await shot(page, "billing-03-contract-signed");
  }, 60_000);

  test("an invoice gets a Tranzila payment link, the customer pays, the invoice shows paid", async () => {
    const page = staff.page;
    await page.goto("/payments");
    await page.getByRole("heading", { level: 1, name: "תשלומים" }).waitFor();
    await page.getByLabel("שם מסוף").fill(tranzila.terminalName);
    await page.getByLabel("מפתח ציבורי (App key)").fill(tranzila.appKey);
    await page.getByLabel("מפתח פרטי").fill(tranzila.secret);
    await page.getByLabel("כתובת API (מתקדם)").fill(tranzila.url);
    await page.getByRole("button", { name: "שמירה" }).click();
    await page.getByText("מוגדרים: טרנזילה").waitFor();

    await page.getByRole("navigation", { name: "ניווט ראשי" }).getByRole("link", { name: "חשבוניות", exact: true }).click();
    await page.getByRole("button", { name: "מסמך חדש" }).click();
    const dialog = page.getByRole("dialog", { name: "מסמך חדש" });
    // The customer comes from the CRM, found by phone, with the phone shown.
    await dialog.getByTestId("customer-search").fill("054-555");
    await dialog.getByTestId("customer-option").filter({ hasText: "054-555-1234" }).click();
    expect(await dialog.getByLabel("שם על המסמך").inputValue()).toBe("יעל כהן");
    await dialog.getByLabel("מספר ת.ז.").fill("123456782");
    await dialog.getByLabel("מחיר ליחידה (₪)").fill("12,000");
    await dialog.getByRole("button", { name: "הוספת שורה" }).click();
    const second = dialog.getByTestId("invoice-line").nth(1);
    await second.getByLabel("תיאור").fill("צילום");
    await second.getByLabel("מחיר ליחידה (₪)").fill("500");
    await shot(page, "billing-04a-new-invoice");
    await dialog.getByRole("button", { name: "הנפקה" }).click();
    const row = page.locator('tr[data-invoice-type="tax_invoice"]').first();
    await row.getByText("ממתינה לתשלום").waitFor();
    expect(await row.textContent()).toContain("₪14,750.00");
    await row.getByRole("button", { name: "קישור תשלום טרנזילה" }).click();
    await row.getByText("קישור טרנזילה: ממתין לתשלום").waitFor();

    const [pr] = [...tranzila.requests.values()];
    expect(pr!.sumAgorot).toBe(1_475_000);
    const phone = customer.page;
    await phone.goto(`${tranzila.url}/pr/${pr!.id}`);
    await phone.getByRole("button", { name: "תשלום" }).click();
    await phone.waitForURL((u) => u.pathname === "/pay/done");
    expect(await phone.getByRole("heading").first().textContent()).toContain("התשלום התקבל");

    await page.reload();
    await row.getByTestId("invoice-status").filter({ hasText: "שולמה" }).waitFor();
    await shot(page, "billing-04-invoice-paid");

    // A partial credit note through the dialog: amount, reason, then a confirmation of what will happen.
    await row.getByRole("button", { name: "זיכוי" }).click();
    const credit = page.getByRole("dialog");
    await credit.getByLabel("זיכוי חלקי").check();
    await credit.getByTestId("credit-amount").fill("2,500");
    await credit.getByTestId("credit-reason").fill("הנחה שסוכמה");
    await credit.getByRole("button", { name: "המשך לאישור" }).click();
    expect(await credit.getByTestId("credit-total").textContent()).toBe("-₪2,950.00");
    expect(await credit.getByTestId("credit-status-after").textContent()).toBe("זוכתה חלקית");
    await shot(page, "billing-04b-credit-confirm");
    await credit.getByTestId("credit-issue").click();
    await row.getByTestId("invoice-status").filter({ hasText: "זוכתה חלקית" }).waitFor();
    const creditRow = page.locator('tr[data-invoice-type="credit_note"]').first();
    expect(await creditRow.textContent()).toContain("-₪2,950.00");
    expect(await creditRow.getByTestId("invoice-status").textContent()).toBe("הונפקה");
  }, 60_000);

  test("a customer pays a PayPal request (approve → return → capture); analytics shows the revenue", async () => {
    const page = staff.page;
    await page.goto("/payments");
    await page.getByLabel("ספק", { exact: true }).last().selectOption("paypal");
    await page.getByLabel("Client ID").fill(paypal.clientId);
    await page.getByLabel("Client secret").fill(paypal.clientSecret);
    await page.getByLabel("Webhook ID").fill(paypal.webhookId);
    await page.getByLabel("כתובת API (מתקדם)").fill(paypal.url);
    await page.getByRole("button", { name: "שמירה" }).click();
    await page.getByText("מוגדרים: טרנזילה, PayPal").waitFor();

    await page.getByLabel("לקוח").selectOption({ label: "יעל כהן" });
    await page.getByLabel("סכום לתשלום (₪)").fill("500");
    await page.getByLabel("עבור").fill("מקדמה");
    await page.getByLabel("ספק", { exact: true }).first().selectOption("paypal");
    await page.getByRole("button", { name: "יצירת קישור" }).click();
    const url = await page.getByTestId("payment-link").inputValue();
    expect(url.startsWith(`${paypal.url}/checkoutnow?token=`)).toBe(true);

    const phone = customer.page;
    await phone.goto(url);
    await phone.getByRole("button", { name: "Pay Now" }).click();
    await phone.waitForURL((u) => u.pathname === "/pay/paypal/return");
    expect(await phone.getByRole("heading").first().textContent()).toContain("התשלום התקבל");

    await page.reload();
    await page.getByText("מקדמה").waitFor();
    await page.getByText("שולם", { exact: true }).first().waitFor();
    await shot(page, "billing-05-payments");

    await page.getByRole("navigation", { name: "ניווט ראשי" }).getByRole("link", { name: "אנליטיקה", exact: true }).click();
    await page.getByRole("heading", { level: 1, name: "אנליטיקה" }).waitFor();
    await page.getByText("שיחות ביום").waitFor();
    // ₪14,750 invoice paid + ₪500 request = ₪15,250 through payment links.
    await page.getByText("₪15,250.00").waitFor();
    await shot(page, "billing-06-analytics");
  }, 60_000);
});
