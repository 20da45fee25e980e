/**
 * The HTTP edge is portable: the same Hono app served by Deno
 * (`Deno.serve(app.fetch)`, test/deno/serve-app.ts) on PostgreSQL answers
 * /health, a signed Twilio voice webhook (and refuses a forged one), and tRPC
 * (a login, which hashes with the portable argon2id, then a query with the
 * session cookie). Deno comes from the `deno` devDependency.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import twilio from "twilio";
import { createPgDatabase } from "./helpers/server";

const ROOT = join(import.meta.dir, "..");
const DENO = join(ROOT, "node_modules", ".bin", "deno");
const TOKEN = "deno_smoke_token_0123456789abcdef";
const PASSWORD = "demo-password-123";

/** Why the suite cannot run here (printed loudly), or undefined. */
function unavailable(): string | undefined {
  if (!process.env.DATABASE_URL) return "DATABASE_URL is not set (the Deno smoke test runs on PostgreSQL; .ci/run sets it)";
  if (!existsSync(DENO)) return `${DENO} is missing (npm install installs the deno devDependency)`;
  const v = Bun.spawnSync([DENO, "--version"], { stdout: "pipe", stderr: "pipe" });
  if (v.exitCode !== 0) return `deno cannot start on this machine: ${v.stderr.toString().trim() || `exit ${v.exitCode}`}`;
  return undefined;
}

const reason = unavailable();
if (reason) console.warn(`\n!!! SKIPPING the Deno edge smoke test: ${reason} !!!\n`);

describe.skipIf(Boolean(reason))("the Hono app under Deno (PostgreSQL)", () => {
  let proc: ReturnType<typeof Bun.spawn>;
  let db: Awaited<ReturnType<typeof createPgDatabase>>;
  let base = "";
  let out = "";

  beforeAll(async () => {
    db = await createPgDatabase("kesher_deno");
    proc = Bun.spawn([DENO, "run", "-A", "--node-modules-dir=manual", "--unstable-sloppy-imports", "test/deno/serve-app.ts"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: db.url, TWILIO_AUTH_TOKEN: TOKEN, ADMIN_PASSWORD: PASSWORD, DENO_NO_UPDATE_CHECK: "1" },
      stdout: "pipe",
      stderr: "pipe",
    });
    const read = async (stream: ReadableStream<Uint8Array>) => {
      const reader = stream.getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        out += new TextDecoder().decode(value);
      }
    };
    void read(proc.stdout as ReadableStream<Uint8Array>);
    void read(proc.stderr as ReadableStream<Uint8Array>);
    const deadline = Date.now() + 150_000;
    while (!/\{"port":\d+\}/.test(out) && proc.exitCode === null && Date.now() < deadline) await Bun.sleep(50);
    const m = /\{"port":(\d+)\}/.exec(out);
    if (!m) throw new Error(`the app did not start under Deno:\n${out}`);
    base = `http://127.0.0.1:${m[1]}`;
  }, 180_000);

  afterAll(async () => {
    proc?.kill();
    await proc?.exited;
    await db?.drop();
  });

  test("/health reports PostgreSQL", async () => {
    const res = await fetch(`${base}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, db: "postgres" });
  });

  test("a signed voice webhook is answered with the stream TwiML; a forged one gets 403", async () => {
    const url = `${base}/twilio/voice`;
    const params = { CallSid: `CA${crypto.randomUUID().replace(/-/g, "")}`, From: "+972541112233", To: "+97235550100" };
    const post = (signature: string) =>
      fetch(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature }, body: new URLSearchParams(params) });
    const forged = await post(twilio.getExpectedTwilioSignature("not-the-token", url, params));
    expect(forged.status).toBe(403);
    const res = await post(twilio.getExpectedTwilioSignature(TOKEN, url, params));
    expect(res.status).toBe(200);
    const twiml = await res.text();
    expect(twiml).toContain("<Connect>");
    expect(twiml).toContain("/ws/twilio-media");
  });

  test("tRPC: login (portable argon2id) then a query with the session cookie", async () => {
    const anonymous = await fetch(`${base}/trpc/auth.me`);
    expect(await anonymous.json()).toEqual({ result: { data: null } });
    const login = await fetch(`${base}/trpc/auth.login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "admin@shai-dirot.co.il", password: PASSWORD }),
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get("set-cookie") ?? "").split(";")[0]!;
    expect(cookie).toContain("=");
    const me = await fetch(`${base}/trpc/auth.me`, { headers: { cookie } });
    const body = (await me.json()) as { result: { data: { user: { email: string } } | null } };
    expect(body.result.data?.user.email).toBe("admin@shai-dirot.co.il");
  });
});
