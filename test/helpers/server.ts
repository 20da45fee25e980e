/**
 * The one test launcher for the real entry point (`bun api/main.ts`, as
 * `npm start` runs it): a random port, a temp DATA_DIR, embedded PGlite or a
 * PostgreSQL database of its own (dropped on stop), stdout/stderr drained so the
 * child never blocks, and the admin login parsed from the first-start banner.
 * The database starts migrated (a copy of the tests' template: the server's
 * own migrate finds nothing to do) unless `freshDatabase` asks for an empty one.
 *
 * @example
 *   const server = await startTestServer({ db: "postgres", waitForOutput: "voice prompts ready" });
 *   await fetch(`${server.base}/health`);
 *   await server.stop();
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import twilio from "twilio";
import { DEMO_ADMIN_EMAIL } from "../../db/seed/seed-demo";
import { copyPgliteSeededTemplate, copyPgliteTemplate, createPgTestDatabase, TEST_ADMIN_PASSWORD, type TDbKind } from "./db";
import { seedPrompts, sharePrompts } from "./prompt-cache";

const ROOT = join(import.meta.dir, "..", "..");

export interface TTestServerOptions {
  /** Database kind (default: PGlite). "postgres" needs DATABASE_URL and gets a database of its own. */
  db?: TDbKind;
  /** Start on an empty database (PGlite: empty DATA_DIR) so the server runs initdb and every migration itself, as on a first install. */
  freshDatabase?: boolean;
  /**
   * Start with the demo business already made (the tests' seeded template: admin password TEST_ADMIN_PASSWORD at the
   * fixture cost), as a restarted server finds it: no seed and no first-start banner. For suites about what a
   * running server does (the browser suites), not about its first start.
   */
  seeded?: boolean;
  /**
   * Start without voice prompts on disk, so the server makes them (a first install: the default with
   * `freshDatabase`). Otherwise DATA_DIR starts with the prompts earlier test servers made
   * (./prompt-cache), as a restarted server finds its own.
   */
  coldPrompts?: boolean;
  /** Extra environment (wins over the defaults). */
  env?: Record<string, string>;
  /** Also wait until the output contains this (e.g. "voice prompts ready"). */
  waitForOutput?: string;
  /** Give up starting after this long (default 180 s: a cold start on a loaded 2-core machine). */
  timeoutMs?: number;
  /** Temp folder prefix. */
  name?: string;
}

export interface TTestServer {
  proc: ReturnType<typeof Bun.spawn>;
  base: string;
  dataDir: string;
  kind: TDbKind;
  /** The server's PostgreSQL database URL (postgres kind only). */
  databaseUrl?: string;
  /** Admin login printed once on first start (with `seeded`, the seeded template's). */
  adminEmail: string;
  adminPassword: string;
  /** Everything the server printed so far. */
  output(): string;
  /** Resolve once the output contains `text` (or the process exits / time runs out: rejects). */
  waitForOutput(text: string, timeoutMs?: number): Promise<void>;
  /** The development Twilio auth token the server generated in DATA_DIR. */
  twilioAuthToken(): string;
  /** Send a signal and resolve with the exit code. */
  kill(signal?: NodeJS.Signals): Promise<number | null>;
  /** Kill (if running), drop the PostgreSQL database and the temp folder. */
  stop(): Promise<void>;
}

/** A PostgreSQL database next to DATABASE_URL's (migrated, or empty with `fresh`); returns its URL and a drop function. */
export function createPgDatabase(prefix = "kesher_srv", opts: { fresh?: boolean; seeded?: boolean } = {}): Promise<{ url: string; drop(): Promise<void> }> {
  return createPgTestDatabase(prefix, opts);
}

export async function startTestServer(opts: TTestServerOptions = {}): Promise<TTestServer> {
  const kind = opts.db ?? "pglite";
  const dataDir = mkdtempSync(join(tmpdir(), `${opts.name ?? "kesher-srv"}-`));
  const seeded = (opts.seeded ?? false) && !opts.freshDatabase;
  const pg = kind === "postgres" ? await createPgDatabase("kesher_srv", { fresh: opts.freshDatabase, seeded }) : undefined;
  if (kind === "pglite" && !opts.freshDatabase) await (seeded ? copyPgliteSeededTemplate : copyPgliteTemplate)(join(dataDir, "pglite"));
  const coldPrompts = opts.coldPrompts ?? opts.freshDatabase ?? false;
  if (!coldPrompts) seedPrompts(dataDir);
  const proc = Bun.spawn([process.execPath, "api/main.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: "0",
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      DATABASE_URL: pg?.url ?? "",
      NODE_ENV: "development",
      LOG_LEVEL: "info",
      // call-sim and the tests announce a caller script on the media stream.
      VOICE_SIMULATOR: "on",
      ...opts.env,
    },
    stdout: "pipe",
    stderr: "pipe",
  });
  let out = "";
  const listeners = new Set<() => void>();
  const drain = async (stream: ReadableStream<Uint8Array>) => {
    const dec = new TextDecoder();
    const reader = stream.getReader();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      out += dec.decode(value);
      for (const l of [...listeners]) l();
    }
  };
  void drain(proc.stdout as ReadableStream<Uint8Array>);
  void drain(proc.stderr as ReadableStream<Uint8Array>);
  void proc.exited.then(() => {
    for (const l of [...listeners]) l();
  });
  // Once the server has made its prompts, later servers may use them.
  const share = () => {
    if (!out.includes("voice prompts ready")) return;
    listeners.delete(share);
    sharePrompts(dataDir);
  };
  listeners.add(share);

  const waitForOutput = (test: () => boolean, what: string, timeoutMs: number) =>
    new Promise<void>((resolve, reject) => {
      const done = (err?: Error) => {
        clearTimeout(timer);
        listeners.delete(check);
        if (err) reject(err);
        else resolve();
      };
      const check = () => {
        if (test()) done();
        else if (proc.exitCode !== null) done(new Error(`server exited (${proc.exitCode}) before ${what}:\n${out}`));
      };
      const timer = setTimeout(() => done(new Error(`server: timed out after ${timeoutMs} ms waiting for ${what}:\n${out}`)), timeoutMs);
      listeners.add(check);
      check();
    });

  let stopped = false;
  const kill = async (signal: NodeJS.Signals = "SIGTERM") => {
    if (proc.exitCode === null) proc.kill(signal);
    return proc.exited;
  };
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await kill("SIGKILL");
    await pg?.drop();
    sharePrompts(dataDir);
    rmSync(dataDir, { recursive: true, force: true });
  };

  const listening = /"port":(\d+)[^\n]*kesher listening/;
  try {
    const timeoutMs = opts.timeoutMs ?? 180_000;
    // The login banner (first start) or the "running" line is printed right after the listening log.
    await waitForOutput(() => listening.test(out) && (/Password:\s+\S+/.test(out) || out.includes("Kesher is running")), "kesher listening", timeoutMs);
    if (opts.waitForOutput) await waitForOutput(() => out.includes(opts.waitForOutput!), opts.waitForOutput, timeoutMs);
  } catch (err) {
    await stop();
    throw err;
  }
  const base = `http://127.0.0.1:${listening.exec(out)![1]}`;
  return {
    proc,
    base,
    dataDir,
    kind,
    databaseUrl: pg?.url,
    adminEmail: /Admin login:\s+(\S+)/.exec(out)?.[1] ?? DEMO_ADMIN_EMAIL,
    adminPassword: /Password:\s+(\S+)/.exec(out)?.[1] ?? (seeded ? TEST_ADMIN_PASSWORD : ""),
    output: () => out,
    waitForOutput: (text, timeoutMs = 30_000) => waitForOutput(() => out.includes(text), text, timeoutMs),
    twilioAuthToken: () => (JSON.parse(readFileSync(join(dataDir, "secrets.json"), "utf8")) as { twilioAuthToken: string }).twilioAuthToken,
    kill,
    stop,
  };
}

/** POST a form to the server exactly as Twilio does, signed with the server's development token. */
export function twilioPost(server: Pick<TTestServer, "base" | "twilioAuthToken">, path: string, params: Record<string, string>): Promise<Response> {
  const url = `${server.base}${path}`;
  return fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-twilio-signature": twilio.getExpectedTwilioSignature(server.twilioAuthToken(), url, params),
    },
    body: new URLSearchParams(params),
  });
}

/** The `<Parameter name value>` pairs of a `<Connect><Stream>` TwiML answer (what Twilio hands the stream as customParameters). */
export function streamParameters(twiml: string): Record<string, string> {
  const out: Record<string, string> = {};
  const unescape = (v: string) => v.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  for (const m of twiml.matchAll(/<Parameter\s+name="([^"]*)"\s+value="([^"]*)"\s*\/>/g)) out[unescape(m[1]!)] = unescape(m[2]!);
  return out;
}

/** Open the media WebSocket as Twilio does: the upgrade signed over the stream URL. */
export async function openMediaSocket(server: Pick<TTestServer, "base" | "twilioAuthToken">, path = "/ws/twilio-media"): Promise<WebSocket> {
  const url = `${server.base.replace("http", "ws")}${path}`;
  const ws = new WebSocket(url, { headers: { "x-twilio-signature": twilio.getExpectedTwilioSignature(server.twilioAuthToken(), url, {}) } } as unknown as string[]);
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = () => reject(new Error(`media stream upgrade failed on ${path}`));
  });
  return ws;
}
