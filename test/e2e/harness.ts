/**
 * Browser-test harness: starts the real server (`api/main.ts`, as `npm start`
 * does, on a random port with a temp DATA_DIR), launches Debian's chromium
 * through playwright-core and offers small helpers (login, signed Twilio
 * webhooks, screenshots). The dashboard must be built first
 * (`bun run build:web`; CI does it before `bun test`).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "bun:test";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import twilio from "twilio";
import { startTestServer } from "../helpers/server";

export const CHROMIUM = "/usr/bin/chromium";
const ROOT = join(import.meta.dir, "..", "..");
export const SCREENSHOTS = join(import.meta.dir, "screenshots");

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--disable-background-networking",
  "--no-first-run",
  "--disable-component-update",
  "--disable-sync",
  "--lang=he-IL",
];

export interface TE2eServer {
  base: string;
  dataDir: string;
  adminEmail: string;
  adminPassword: string;
  /** Everything the server printed so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

/**
 * Start the server. With DATABASE_URL set (CI), a PostgreSQL database of its
 * own is created for the suite and dropped on stop; otherwise embedded PGlite.
 * It starts with the demo business made (the seeded template, admin password
 * at the fixture cost), as a restarted server finds it: the browser suites are
 * about a running dashboard; the first start (seed, banner) is server-start's.
 */
export async function startServer(env: Record<string, string> = {}): Promise<TE2eServer> {
  if (!existsSync(join(ROOT, "web", "dist", "index.html"))) {
    throw new Error("web/dist is missing: run `bun run build:web` before the browser tests");
  }
  const server = await startTestServer({ db: process.env.DATABASE_URL ? "postgres" : "pglite", env, name: "kesher-e2e", seeded: true });
  if (!server.adminPassword) {
    await server.stop();
    throw new Error(`server printed no admin login:\n${server.output()}`);
  }
  return { base: server.base, dataDir: server.dataDir, adminEmail: server.adminEmail, adminPassword: server.adminPassword, output: server.output, stop: server.stop };
}

export interface TE2eBrowser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** A fresh chromium profile; fails with a clear message when chromium is not installed. */
export async function launchBrowser(base: string, opts: { width?: number; height?: number; serviceWorkers?: boolean } = {}): Promise<TE2eBrowser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Browser tests need Debian chromium at ${CHROMIUM} (apt-get install chromium); CI installs it.`);
  }
  const profile = mkdtempSync(join(tmpdir(), "kesher-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    baseURL: base,
    locale: "he-IL",
    timezoneId: "Asia/Jerusalem",
    viewport: { width: opts.width ?? 1360, height: opts.height ?? 860 },
    acceptDownloads: true,
    // Blocked by default so every test sees the network; the PWA test allows them.
    serviceWorkers: opts.serviceWorkers ? "allow" : "block",
  });
  // Generous: the suites share a 2-core machine with typechecks and other suites (load average 10+),
  // where a first page load alone has taken over 10 s.
  context.setDefaultTimeout(30_000);
  context.setDefaultNavigationTimeout(60_000);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Log in through the real form and wait for the overview. */
export async function login(page: Page, email: string, password: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("דוא״ל").fill(email);
  await page.getByLabel("סיסמה").fill(password);
  await page.getByRole("button", { name: "כניסה" }).click();
  await page.getByTestId("sidebar").waitFor();
}

/**
 * A suite's first login (beforeAll): the password hash and a cold dashboard can take
 * longer than `login`'s default wait on a loaded machine, so it waits up to 60 s and
 * keeps a screenshot (`<name>-login-failed`) when the sidebar never comes.
 */
export async function firstLogin(page: Page, server: Pick<TE2eServer, "adminEmail" | "adminPassword">, name: string): Promise<void> {
  await page.goto("/login", { timeout: 60_000 });
  await page.getByLabel("דוא״ל").fill(server.adminEmail);
  await page.getByLabel("סיסמה").fill(server.adminPassword);
  await page.getByRole("button", { name: "כניסה" }).click();
  try {
    await page.getByTestId("sidebar").waitFor({ timeout: 60_000 });
  } catch (err) {
    await shot(page, `${name}-login-failed`);
    throw err;
  }
}

/**
 * Register this file's table suite (beforeAll / afterAll): a server and a
 * 1440×900 browser with the admin logged in, opened before the tests and
 * closed together after them; `onOpen` receives the browser. Navigation may
 * take 90 s: a loaded machine (several suites at once) serves the first pages
 * of many rows slowly.
 */
export function useAdminSuite(name: string, onOpen: (browser: TE2eBrowser) => void): void {
  let opened: { server: TE2eServer; browser: TE2eBrowser } | undefined;
  beforeAll(async () => {
    const server = await startServer();
    const browser = await launchBrowser(server.base, { width: 1440, height: 900 });
    opened = { server, browser };
    browser.context.setDefaultNavigationTimeout(90_000);
    await firstLogin(browser.page, server, name);
    onOpen(browser);
  }, 180_000);
  afterAll(async () => {
    await opened?.browser.close();
    await opened?.server.stop();
  });
}

/** Save a screenshot under test/e2e/screenshots/<name>.png (git-ignored). */
export async function shot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/** POST a form to the server exactly as Twilio does, signed with the dev token from DATA_DIR. */
export async function twilioPost(server: TE2eServer, path: string, params: Record<string, string>): Promise<Response> {
  const { twilioAuthToken } = JSON.parse(readFileSync(join(server.dataDir, "secrets.json"), "utf8")) as { twilioAuthToken: string };
  const url = `${server.base}${path}`;
  return fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-twilio-signature": twilio.getExpectedTwilioSignature(twilioAuthToken, url, params),
    },
    body: new URLSearchParams(params),
  });
}

/**
 * A tRPC call from inside the logged-in page (same origin, its session
 * cookie), for test data the page itself has no quicker form for. A query
 * without input is a plain GET.
 */
export async function pageTrpc<T>(page: Page, path: string, input?: unknown, kind: "mutation" | "query" = "mutation"): Promise<T> {
  return page.evaluate(
    async ([p, i, k]) => {
      const res =
        k === "mutation"
          ? await fetch(`/trpc/${p}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(i), credentials: "include" })
          : await fetch(i === undefined ? `/trpc/${p}` : `/trpc/${p}?input=${encodeURIComponent(JSON.stringify(i))}`, { credentials: "include" });
      const body = (await res.json()) as { result?: { data: unknown }; error?: unknown };
      if (!res.ok) throw new Error(JSON.stringify(body.error));
      return body.result!.data;
    },
    [path, input, kind] as const,
  ) as Promise<T>;
}
