/**
 * WhatsApp in the browser: the built dashboard in Debian chromium against the
 * real app (real database, tRPC, local agent) served in-process, with the
 * Baileys socket double standing in for WhatsApp's servers. Shows the live QR,
 * the pairing, and the inbox (AI reply, call summary, takeover, staff reply).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createApp } from "../../api/app";
import { createWhatsAppHub, type TWhatsAppHub } from "../../api/whatsapp/whatsapp-hub";
import { callLogs, customers } from "../../db/schema";
import { DEMO_ADMIN_EMAIL } from "../../db/seed/seed-demo";
import { createLocalAgent } from "../../core/conversation/brain/local-agent";
import { baileysSocketFactory } from "../doubles/baileys-socket";
import { createTestApp, type TTestApp } from "../helpers/app";
import { DB_KINDS } from "../helpers/db";
import { waitFor } from "../helpers/wait-for";
import { clockFrom } from "../helpers/clock";
import { launchBrowser, login, shot, type TE2eBrowser } from "./harness";
import { and, eq } from "drizzle-orm";

let t: TTestApp;
let hub: TWhatsAppHub;
let sockets: ReturnType<typeof baileysSocketFactory>;
let server: ReturnType<typeof Bun.serve>;
let browser: TE2eBrowser;
/** One clock for the app, the hub and the WhatsApp double: Wednesday 10:00 in Israel (open hours), moving on. */
const now = clockFrom(new Date("2026-11-25T08:00:00Z"));

beforeAll(async () => {
  t = await createTestApp(DB_KINDS.at(-1)!);
  sockets = baileysSocketFactory({ now });
  hub = createWhatsAppHub({
    db: t.db.db,
    log: t.deps.log,
    events: t.deps.events,
    config: t.deps.config,
    agent: createLocalAgent({ db: t.db.db, events: t.deps.events, log: t.deps.log }),
    socketFactory: sockets.factory,
    twilioClient: null,
    sendGap: { minGapMs: 0, jitterMs: 0 },
    now,
  });
  t.deps.now = now;
  t.deps.whatsapp = hub;
  const app = createApp(t.deps);
  server = Bun.serve({ hostname: "127.0.0.1", port: 0, idleTimeout: 30, fetch: (req, srv) => app.fetch(req, { server: srv }) });
  browser = await launchBrowser(`http://127.0.0.1:${server.port}`);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await hub?.close();
  await server?.stop(true);
  await t?.close();
});

describe("whatsapp in chromium", () => {
  test("connection page shows the live QR, then the connected number after pairing", async () => {
    const { page } = browser;
    await login(page, DEMO_ADMIN_EMAIL, t.adminPassword);
    await page.getByTestId("sidebar").getByRole("link", { name: "חיבור וואטסאפ" }).click();
    await page.waitForURL(/\/whatsapp$/);
    await page.getByTestId("wa-connect").click();
    await waitFor(() => sockets.sockets.length === 1, "socket created by the dashboard");
    sockets.last().showQr();
    const qr = page.getByTestId("wa-qr");
    await qr.waitFor();
    expect(await qr.getAttribute("src")).toStartWith("data:image/svg+xml;base64,");
    const box = await qr.boundingBox();
    expect(box!.width).toBeGreaterThan(100);
    await shot(page, "whatsapp-01-qr");

    await sockets.last().completePairing("97235550100");
    const second = await waitFor(() => (sockets.sockets.length === 2 ? sockets.sockets[1] : null), "reconnect after pairing");
    await second.open();
    await page.locator('[data-testid="wa-connection"][data-state="open"]').waitFor();
    expect(await page.getByTestId("wa-connection").textContent()).toContain("03-555-0100");
    await shot(page, "whatsapp-02-connected");
  }, 60_000);

  test("inbox shows the WhatsApp thread with the AI reply and the call summary; takeover and a staff reply", async () => {
    const { page } = browser;
    const sock = sockets.last();
    sock.receive({ fromPhoneDigits: "972541234567", text: "שלום, אני מחפש דירת 4 חדרים למכירה ברמת גן", pushName: "רונית אברהם" });
    await waitFor(() => sock.sent.length === 1, "AI reply");
    const [customer] = await t.db.db.select().from(customers).where(and(eq(customers.businessId, t.businessId), eq(customers.phone, "+972541234567")));
    await t.db.db.insert(callLogs).values({
      businessId: t.businessId,
      callSid: "CA_e2e_whatsapp_1",
      customerId: customer!.id,
      fromNumber: "+972541234567",
      toNumber: "+97235550100",
      status: "completed",
      durationSec: 95,
      startedAt: new Date(now().getTime() - 3_600_000),
      summary: "מחפשת דירת 4 חדרים ברמת גן, תקציב עד 3 מיליון",
    });

    await page.getByTestId("sidebar").getByRole("link", { name: "תיבת שיחות" }).click();
    await page.waitForURL(/\/inbox/);
    const item = page.getByTestId("thread-item").filter({ hasText: "רונית אברהם" });
    await item.waitFor();
    await item.click();
    await page.getByTestId("thread").waitFor();
    await page.getByTestId("wa-message").nth(1).waitFor();
    const bubbles = await page.getByTestId("wa-message").allTextContents();
    expect(bubbles[0]).toContain("רמת גן");
    const replyText = (sock.sent[0]!.content as { text: string }).text;
    expect(bubbles[1]).toContain(replyText.slice(0, 20));
    expect(await page.getByTestId("thread-call").textContent()).toContain("מחפשת דירת 4 חדרים");
    // Phone numbers are isolated left-to-right inside the Hebrew page.
    expect(await page.getByTestId("thread").locator("bdi[dir=ltr]").first().textContent()).toBe("054-123-4567");
    await shot(page, "whatsapp-03-inbox");

    await page.getByTestId("takeover").click();
    await page.getByTestId("ai-paused").waitFor();
    const [paused] = await t.db.db.select({ aiPaused: customers.aiPaused }).from(customers).where(eq(customers.id, customer!.id));
    expect(paused!.aiPaused).toBe(true);

    await page.getByTestId("composer").fill("שלום רונית, כאן משה מהמשרד. מתי נוח לך לצפייה?");
    await page.getByRole("button", { name: "שליחה" }).click();
    await waitFor(() => sock.sent.length === 2, "staff message sent through the socket");
    expect((sock.sent[1]!.content as { text: string }).text).toBe("שלום רונית, כאן משה מהמשרד. מתי נוח לך לצפייה?");
    await page.getByTestId("wa-message").nth(2).waitFor();
    expect(await page.getByTestId("wa-message").nth(2).textContent()).toContain("נציג");

    // While taken over, a new customer message gets no AI reply but appears live.
    sock.receive({ fromPhoneDigits: "972541234567", text: "מחר בחמש מתאים לי" });
    await page.getByTestId("wa-message").filter({ hasText: "מחר בחמש" }).waitFor();
    expect(sock.sent.length).toBe(2);
    await shot(page, "whatsapp-04-takeover");
  }, 60_000);
});
