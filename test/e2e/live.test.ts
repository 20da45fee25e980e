/**
 * Live and voice flows in chromium against the real server: a signed Twilio
 * webhook while the dashboard is open (toast + list update), the test call
 * exchange through the real agent and TTS, its transcript on the call page,
 * live transcript updates, and the remaining pages.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { launchBrowser, login, pageTrpc, shot, startServer, twilioPost, type TE2eBrowser, type TE2eServer } from "./harness";

let server: TE2eServer;
let browser: TE2eBrowser;
let testCallUrl = "";

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser(server.base);
  await login(browser.page, server.adminEmail, server.adminPassword);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("live dashboard in chromium", () => {
  test("the overview shows today's figures", async () => {
    const { page } = browser;
    await page.goto("/");
    await page.getByText("שיחות היום").waitFor();
    await page.getByRole("heading", { name: "שיחות אחרונות" }).waitFor();
    await page.getByRole("heading", { name: "פגישות צפייה קרובות" }).waitFor();
    await shot(page, "10-overview");
  }, 30_000);

  test("an incoming call (signed Twilio webhook) pops a toast and appears in the calls list", async () => {
    const { page } = browser;
    await page.goto("/calls");
    await page.getByRole("heading", { level: 1, name: "שיחות" }).waitFor();
    await page.getByText("מחובר לעדכונים חיים").waitFor();
    const res = await twilioPost(server, "/twilio/voice", { CallSid: "CAe2e0000000000000000000000000001", From: "+972541112233", To: "+97235550100", CallStatus: "ringing" });
    expect(res.status).toBe(200);
    const toast = page.getByTestId("toasts").getByText("שיחה נכנסת");
    await toast.waitFor();
    await page.getByTestId("toasts").getByText("054-111-2233").waitFor();
    await page.getByRole("cell", { name: /054-111-2233/ }).waitFor();
    await shot(page, "11-live-toast");

    // Twilio reports the recording; the call page offers the player (served through /recordings).
    const rec = await twilioPost(server, "/twilio/recording", {
      CallSid: "CAe2e0000000000000000000000000001",
      RecordingSid: "RE0000000000000000000000000000e2e1",
      RecordingUrl: "https://api.twilio.com/2010-04-01/Accounts/AC00000000000000000000000000000000/Recordings/RE0000000000000000000000000000e2e1",
      RecordingStatus: "completed",
      RecordingDuration: "12",
    });
    expect(rec.status).toBeLessThan(300);
    await page.getByRole("cell", { name: /054-111-2233/ }).click();
    await page.waitForURL(/\/calls\/[0-9a-f-]{36}$/);
    const callId = new URL(page.url()).pathname.split("/").pop();
    await page.getByRole("heading", { level: 1, name: /שיחה/ }).waitFor();
    expect(await page.getByTestId("recording").getAttribute("src")).toBe(`/recordings/${callId}`);
    await shot(page, "11b-webhook-call");
  }, 30_000);

  test("a test call: greeting, a scripted line and a typed line are answered by Kesher", async () => {
    const { page } = browser;
    await page.goto("/test-call");
    await page.getByRole("button", { name: "התחלת שיחה" }).click();
    const transcript = page.getByTestId("transcript");
    await transcript.locator('[data-speaker="assistant"]', { hasText: "שי דירות ומשרדים" }).waitFor();
    await page.getByRole("button", { name: /שלום, אני מחפש דירה לקנות ברמת גן/ }).click();
    await transcript.locator('[data-speaker="caller"]', { hasText: "ברמת גן" }).waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="transcript"] [data-speaker="assistant"]').length >= 2);
    await page.getByLabel("מה המתקשר אומר").fill("ארבעה חדרים, תקציב עד שלושה וחצי מיליון שקל");
    await page.getByRole("button", { name: "שליחה" }).click();
    await transcript.getByText("פרטי הליד נשמרו").waitFor({ timeout: 20_000 });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="transcript"] [data-speaker="assistant"]').length >= 3);
    const answer = await transcript.locator('[data-speaker="assistant"]').last().textContent();
    expect(answer).toMatch(/[\u0590-\u05ff]/);
    await shot(page, "12-test-call");
    testCallUrl = (await page.getByRole("link", { name: "פתיחת השיחה ביומן השיחות" }).getAttribute("href"))!;
    expect(testCallUrl).toMatch(/^\/calls\/[0-9a-f-]{36}$/);
  }, 90_000);

  test("the call page shows the stored transcript and updates live while the call runs", async () => {
    const { page, context } = browser;
    await page.goto(testCallUrl);
    await page.getByRole("heading", { level: 1, name: "שיחת ניסיון" }).waitFor();
    const transcript = page.getByTestId("transcript");
    await transcript.locator('[data-speaker="caller"]', { hasText: "ארבעה חדרים" }).waitFor();
    expect(await transcript.locator('[data-speaker="assistant"]').count()).toBeGreaterThanOrEqual(3);
    await page.getByText("זמן תגובה").first().waitFor();
    // The agent's lead tool linked the caller: lead fields are shown.
    await page.getByText("רמת גן").first().waitFor();
    await page.getByText("תמלול חי").waitFor();
    await shot(page, "13-call-transcript");

    // Someone keeps talking on the same call (same session, outside this page); it must update without reloading.
    const callId = testCallUrl.split("/").pop()!;
    const said = await context.request.post(`${server.base}/trpc/testCall.say`, { data: { callId, text: "כן, אפשר ביום ראשון בעשר בבוקר" } });
    expect(said.status()).toBe(200);
    await transcript.locator('[data-speaker="caller"]', { hasText: "ביום ראשון בעשר" }).waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="transcript"] [data-speaker="assistant"]').length >= 4);
    await shot(page, "14-call-live-update");
  }, 90_000);

  test("calls search finds words said inside transcripts (Hebrew)", async () => {
    const { page } = browser;
    await page.goto("/calls");
    await page.getByLabel("חיפוש שיחות").fill("רמת גן");
    const hits = page.getByTestId("transcript-hits");
    await hits.getByText("שלום, אני מחפש דירה לקנות ברמת גן").first().waitFor();
    await hits.getByRole("link").first().click();
    await page.waitForURL((u) => u.pathname === testCallUrl);
    await shot(page, "14b-calls-search");
  }, 30_000);

  test("calls search finds a call by its caller's name, and follows a rename", async () => {
    const { page } = browser;
    // The webhook call's caller (054-111-2233), named by staff afterwards.
    const { items } = await pageTrpc<{ items: { id: string }[] }>(page, "customers.list", { search: "0541112233" }, "query");
    expect(items.length).toBe(1);
    await pageTrpc(page, "customers.update", { id: items[0]!.id, fullName: "דבורה אלמוג" });
    await page.goto("/calls");
    // Unfiltered, the list also has the test call from above; the search leaves only the named caller's call.
    const testCallRow = page.getByRole("row").filter({ hasText: "שיחת ניסיון" });
    await testCallRow.first().waitFor();
    const search = page.getByLabel("חיפוש שיחות");
    await search.fill("אלמוג");
    await testCallRow.first().waitFor({ state: "detached" });
    await page.getByRole("row").filter({ hasText: "דבורה אלמוג" }).getByText("054-111-2233").waitFor();
    expect(await page.locator("tbody tr").count()).toBe(1);
    await shot(page, "14c-calls-search-by-name");
    // Renamed again: the old name no longer finds the call, the new one does.
    await pageTrpc(page, "customers.update", { id: items[0]!.id, fullName: "דבורה שחר" });
    await search.fill("");
    await search.fill("שחר");
    await page.getByRole("row").filter({ hasText: "דבורה שחר" }).getByText("054-111-2233").waitFor();
    await search.fill("אלמוג");
    await page.getByRole("row").filter({ hasText: "054-111-2233" }).waitFor({ state: "detached" });
    await page.getByText("לא נמצאו שיחות").waitFor();
  }, 30_000);

  test("tasks: add one and complete it", async () => {
    const { page } = browser;
    await page.goto("/tasks");
    await page.getByLabel("משימה חדשה").fill("לחזור לרונית לגבי הדירה בגבעתיים");
    await page.getByRole("button", { name: "הוספה" }).click();
    await page.getByText("לחזור לרונית לגבי הדירה בגבעתיים").waitFor();
    // A click, as a person does. check() also waits to see the box checked, but the box leaves with the task (or
    // comes back unchecked when the list refreshes first): a run under load timed out there.
    await page.getByLabel('סימון "לחזור לרונית לגבי הדירה בגבעתיים" כבוצעה').click();
    await page.getByText("לחזור לרונית לגבי הדירה בגבעתיים").waitFor({ state: "detached" });
    await page.getByLabel("סטטוס משימות").selectOption("done");
    await page.getByText("לחזור לרונית לגבי הדירה בגבעתיים").waitFor();
    await shot(page, "15-tasks");
  }, 30_000);

  test("viewings, settings, users and audit pages open with their data", async () => {
    const { page } = browser;
    await page.goto("/viewings");
    await page.getByRole("heading", { level: 1, name: "פגישות צפייה" }).waitFor();
    await page.getByTestId("week").waitFor();
    await shot(page, "16-viewings");

    await page.goto("/settings");
    const greeting = page.getByLabel("משפט פתיחה");
    await greeting.waitFor();
    expect(await greeting.inputValue()).toContain("שי דירות ומשרדים");
    const [speak] = await Promise.all([
      page.waitForResponse((r) => r.url().includes("testCall.speak")),
      page.getByRole("button", { name: "השמעה" }).click(),
    ]);
    expect(speak.status()).toBe(200);
    await shot(page, "17-settings");
    await greeting.fill("שלום, כאן שי דירות ומשרדים, במה אפשר לעזור?");
    await page.getByLabel("זמן שקט לסוף משפט (מילישניות)").fill("700");
    await page.getByRole("button", { name: "שמירת ההגדרות" }).click();
    await page.getByText("ההגדרות נשמרו").waitFor();
    await page.reload();
    await page.getByLabel("משפט פתיחה").waitFor();
    expect(await page.getByLabel("משפט פתיחה").inputValue()).toBe("שלום, כאן שי דירות ומשרדים, במה אפשר לעזור?");
    expect(await page.getByLabel("זמן שקט לסוף משפט (מילישניות)").inputValue()).toBe("700");

    await page.goto("/users");
    await page.getByRole("cell", { name: server.adminEmail }).waitFor();
    await page.getByRole("button", { name: "משתמש חדש" }).click();
    const dialog = page.getByRole("dialog", { name: "משתמש חדש" });
    await dialog.getByLabel("שם מלא").fill("דנה המזכירה");
    await dialog.getByLabel("דוא״ל").fill("dana@shai-dirot.co.il");
    await dialog.getByRole("button", { name: "שמירה" }).click();
    const temp = page.getByTestId("temp-password");
    await temp.waitFor();
    expect((await temp.textContent())!.trim().length).toBeGreaterThanOrEqual(8);
    await page.getByRole("dialog", { name: "סיסמה זמנית" }).getByRole("button", { name: "סגירה" }).click();
    await page.getByRole("cell", { name: "dana@shai-dirot.co.il" }).waitFor();
    await shot(page, "18-users");

    await page.goto("/audit");
    await page.getByRole("heading", { level: 1, name: "יומן פעולות" }).waitFor();
    await page.locator("tbody tr").first().waitFor();
    await shot(page, "19-audit");
  }, 45_000);
});
