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
import postgres from "postgres";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import twilio from "twilio";

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
 * Start the server. With DATABASE_URL set (CI), a fresh PostgreSQL database is
 * created for the suite and dropped on stop; otherwise embedded PGlite.
 */
export async function startServer(env: Record<string, string> = {}): Promise<TE2eServer> {
  if (!existsSync(join(ROOT, "web", "dist", "index.html"))) {
    throw new Error("web/dist is missing: run `bun run build:web` before the browser tests");
  }
  const dataDir = mkdtempSync(join(tmpdir(), "kesher-e2e-"));
  let databaseUrl = "";
  let dropDb: (() => Promise<void>) | undefined;
  const pgBase = process.env.DATABASE_URL;
  if (pgBase) {
    const name = `kesher_e2e_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = postgres(pgBase, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    await admin.end();
    const u = new URL(pgBase);
    u.pathname = `/${name}`;
    databaseUrl = u.toString();
    dropDb = async () => {
      const a = postgres(pgBase, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists "${name}" with (force)`);
      await a.end();
    };
  }

  const proc = Bun.spawn([process.execPath, "api/main.ts"], {
    cwd: ROOT,
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", DATA_DIR: dataDir, DATABASE_URL: databaseUrl, NODE_ENV: "development", LOG_LEVEL: "info", ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  let out = "";
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    const reader = stream.getReader();
    const dec = new TextDecoder();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      out += dec.decode(value);
    }
  };
  void drain(proc.stdout as ReadableStream<Uint8Array>);
  void drain(proc.stderr as ReadableStream<Uint8Array>);

  const deadline = Date.now() + 60_000;
  let base = "";
  let password = "";
  while ((!base || !password) && Date.now() < deadline && proc.exitCode === null) {
    await Bun.sleep(50);
    const port = /"port":(\d+)[^\n]*kesher listening/.exec(out);
    if (port) base = `http://127.0.0.1:${port[1]}`;
    const pw = /Password:\s+(\S+)/.exec(out);
    if (pw) password = pw[1]!;
  }
  const stop = async () => {
    proc.kill();
    await proc.exited;
    await dropDb?.();
    rmSync(dataDir, { recursive: true, force: true });
  };
  if (!base || !password) {
    await stop();
    throw new Error(`server did not start:\n${out}`);
  }
  const email = /Admin login:\s+(\S+)/.exec(out)?.[1] ?? "admin@shai-dirot.co.il";
  return { base, dataDir, adminEmail: email, adminPassword: password, output: () => out, stop };
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
  context.setDefaultTimeout(10_000);
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
