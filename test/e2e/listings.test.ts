/**
 * Listings in chromium (#17 item 5): upload photos on a property page, see the
 * first as the cover and make another the cover; book a viewing from the
 * property page (a Saturday warns first: the seed's business is closed then),
 * and from the viewings page. The property page with photos is saved as
 * docs/screenshots/property.png for the README.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { firstLogin, launchBrowser, shot, startServer, type TE2eBrowser, type TE2eServer, pageTrpc } from "./harness";

let server: TE2eServer;
let browser: TE2eBrowser;
const DOCS = join(import.meta.dir, "..", "..", "docs", "screenshots");

/** A tRPC call from inside the logged-in page. */
const trpcCall = <T>(kind: "query" | "mutation", path: string, input: unknown) => pageTrpc<T>(browser.page, path, input, kind);

/** A street scene drawn as SVG and encoded as a camera-sized JPEG (sky, a building, windows). */
async function streetPhoto(sky: string, wall: string, seed: number): Promise<Buffer> {
  const windows = Array.from({ length: 24 }, (_, i) => {
    const x = 560 + (i % 4) * 170;
    const y = 520 + Math.floor(i / 4) * 190;
    const lit = (i * 7 + seed) % 3 === 0;
    return `<rect x="${x}" y="${y}" width="110" height="130" rx="6" fill="${lit ? "#ffe9a8" : "#5b7896"}" stroke="#ffffff" stroke-width="6"/>`;
  }).join("");
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="2400" height="1800">
    <defs><linearGradient id="s" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${sky}"/><stop offset="1" stop-color="#fdf6e3"/></linearGradient></defs>
    <rect width="2400" height="1800" fill="url(#s)"/>
    <circle cx="${1900 - seed * 200}" cy="300" r="120" fill="#fff3b0"/>
    <rect x="480" y="420" width="820" height="1240" fill="${wall}"/>
    <rect x="1380" y="760" width="560" height="900" fill="#c9b79c"/>
    ${windows}
    <rect x="0" y="1640" width="2400" height="160" fill="#6b705c"/>
    <circle cx="260" cy="1440" r="220" fill="#3a7d44"/><rect x="240" y="1440" width="40" height="220" fill="#5c4033"/>
    <circle cx="2140" cy="1400" r="240" fill="#4f9d55"/><rect x="2120" y="1400" width="40" height="260" fill="#5c4033"/>
  </svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toBuffer();
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser(server.base, { width: 1366, height: 900 });
  await firstLogin(browser.page, server, "listings");
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("listings in chromium", () => {
  let propertyId = "";

  test("upload photos on a property page: the first is the cover, another can be made the cover", async () => {
    const { page } = browser;
    const list = await trpcCall<{ id: string; status: string; dealType: string }[]>("query", "properties.list", { status: "available" });
    propertyId = list.find((p) => p.dealType === "sale")!.id;
    await trpcCall("mutation", "properties.update", { id: propertyId, ownerName: "אורנה בן דוד", ownerPhone: "052-7654321", ownerNotes: "מעדיפה שיחה אחרי 17:00. המפתח אצל השכן בקומה 2." });

    await page.goto(`/properties/${propertyId}`);
    await page.getByText("אין עדיין תמונות").waitFor();
    await page.getByTestId("photo-input").setInputFiles([
      { name: "front.jpg", mimeType: "image/jpeg", buffer: await streetPhoto("#8ec5ff", "#e8d8c3", 0) },
      { name: "side.jpg", mimeType: "image/jpeg", buffer: await streetPhoto("#ffb88c", "#d9c2a7", 1) },
      { name: "back.jpg", mimeType: "image/jpeg", buffer: await streetPhoto("#a1c4fd", "#f1e3cf", 2) },
    ]);
    await page.getByTestId("photo-thumb").nth(2).waitFor({ timeout: 60_000 });
    const photos = await trpcCall<{ id: string }[]>("query", "properties.photos", { propertyId });
    expect(photos).toHaveLength(3);
    const cover = page.getByTestId("cover-photo");
    expect(await cover.getAttribute("data-photo-id")).toBe(photos[0]!.id);
    // The cover really loaded from /photos/<id> (session cookie, private cache).
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>("[data-testid=cover-photo]");
      return Boolean(img?.complete && img.naturalWidth === 1600);
    });

    await page.getByTestId("photo-thumb").nth(1).getByRole("button", { name: "לשער" }).click();
    await page.waitForFunction((id) => document.querySelector("[data-testid=cover-photo]")?.getAttribute("data-photo-id") === id, photos[1]!.id);
    expect((await trpcCall<{ id: string }[]>("query", "properties.photos", { propertyId }))[0]!.id).toBe(photos[1]!.id);
  }, 120_000);

  test("book a viewing from the property page: a Saturday warns, a Sunday books, the viewing is listed", async () => {
    const { page } = browser;
    await trpcCall("mutation", "customers.create", { fullName: "מיכל אברהמי", phone: "0541237788", requirements: { dealType: "sale" } });
    await page.getByRole("button", { name: "קביעת צפייה" }).click();
    const dialog = page.getByTestId("book-viewing");
    await dialog.getByRole("searchbox").fill("אברהמי");
    await dialog.getByRole("option", { name: /מיכל אברהמי/ }).click();
    await dialog.getByTestId("picked-customer").waitFor();

    const dayOf = (word: string) =>
      dialog.locator("select[name=day]").evaluate((el, w) => [...(el as HTMLSelectElement).options].find((o) => o.text.includes(w) && !o.text.startsWith("היום"))!.value, word);
    await dialog.locator("select[name=day]").selectOption(await dayOf("שבת"));
    await dialog.getByTestId("hours-warning").waitFor();
    expect(await dialog.getByTestId("hours-warning").textContent()).toContain("העסק סגור ביום שבת");
    expect(await dialog.getByRole("button", { name: "קביעה בכל זאת" }).count()).toBe(1);

    await dialog.locator("select[name=day]").selectOption(await dayOf("ראשון"));
    await dialog.locator("select[name=time]").selectOption("11:30");
    await dialog.getByTestId("hours-warning").waitFor({ state: "detached" });
    await dialog.getByRole("button", { name: "קביעת צפייה" }).click();
    await dialog.waitFor({ state: "detached" });
    const viewings = page.getByTestId("property-viewings");
    await viewings.getByText("11:30").waitFor();
    await viewings.getByText("מיכל אברהמי").waitFor();

    // The same slot again: the one booking service refuses it in Hebrew, before (clash) and on submit.
    await page.getByRole("button", { name: "קביעת צפייה" }).click();
    await dialog.getByRole("searchbox").fill("אברהמי");
    await dialog.getByRole("option", { name: /מיכל אברהמי/ }).click();
    await dialog.locator("select[name=day]").selectOption(await dayOf("ראשון"));
    await dialog.locator("select[name=time]").selectOption("11:30");
    await dialog.getByText("כבר קיימת פגישה לנכס זה").first().waitFor();
    await dialog.getByRole("button", { name: "קביעת צפייה" }).click();
    await dialog.getByRole("alert").getByText("כבר קיימת פגישה לנכס זה").waitFor();
    await dialog.getByRole("button", { name: "ביטול" }).click();

    // Toasts would cover the owner card in the README picture.
    const closers = page.getByRole("button", { name: "סגירה" });
    while ((await closers.count()) > 0) await closers.first().click();
    await page.evaluate(() => window.scrollTo(0, 0));
    const path = await shot(page, "property");
    mkdirSync(DOCS, { recursive: true });
    await page.screenshot({ path: join(DOCS, "property.png"), fullPage: true });
    expect(path).toContain("property.png");
  }, 120_000);

  test("book a viewing from the viewings page: pick customer and listing, it appears in the week", async () => {
    const { page } = browser;
    await page.goto("/viewings");
    await page.getByRole("button", { name: "קביעת צפייה" }).click();
    const dialog = page.getByTestId("book-viewing");
    await dialog.getByRole("searchbox").fill("אברהמי");
    await dialog.getByRole("option", { name: /מיכל אברהמי/ }).click();
    const property = dialog.getByLabel("נכס");
    await page.waitForFunction(() => (document.querySelector("[data-testid=book-viewing] select:not([name])") as HTMLSelectElement | null)?.options.length! > 1);
    const title = await property.evaluate((el) => (el as HTMLSelectElement).options[1]!.text);
    await property.selectOption({ index: 1 });
    const monday = await dialog.locator("select[name=day]").evaluate((el) => [...(el as HTMLSelectElement).options].find((o) => o.text.includes("שני") && !o.text.startsWith("היום"))!.value);
    await dialog.locator("select[name=day]").selectOption(monday);
    await dialog.locator("select[name=time]").selectOption("16:15");
    await dialog.getByRole("button", { name: "קביעת צפייה" }).click();
    await dialog.waitFor({ state: "detached" });
    const week = page.getByTestId("week");
    await week.getByText("16:15").waitFor();
    await week.getByText(title.split(" · ")[0]!).first().waitFor();
    await week.getByText("מיכל אברהמי").first().waitFor();
  }, 120_000);
});
