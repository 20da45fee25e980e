/**
 * Issue 12 item 12 as an operator meets it: the real entry point, started for
 * production with a Twilio auth token but no account SID (so the watchdog,
 * transfers and Record redirects could not reach Twilio's REST API), refuses to
 * start and names the variable, before it opens a port or touches a database.
 * The simulator's side channel (VOICE_SIMULATOR) is refused the same way.
 */
import { describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const ROOT = join(import.meta.dir, "..", "..");
const PROD = {
  NODE_ENV: "production",
  TWILIO_AUTH_TOKEN: "x".repeat(32),
  SESSION_SECRET: "s".repeat(48),
  PUBLIC_BASE_URL: "https://kesher.example.com",
};

async function start(env: Record<string, string>): Promise<{ code: number; output: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), "kesher-prod-config-"));
  const proc = Bun.spawn([process.execPath, "api/main.ts"], {
    cwd: ROOT,
    // Only what is given here: no DATABASE_URL, OpenAI or Twilio values leak in from the test run.
    env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", PORT: "0", DATA_DIR: dataDir, ...env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { code, output: out + err };
}

describe("production refuses an incomplete Twilio configuration at start", () => {
  test("TWILIO_AUTH_TOKEN without TWILIO_ACCOUNT_SID: exit 1, the variable named, nothing served", async () => {
    const r = await start(PROD);
    expect(r.code).toBe(1);
    expect(r.output).toContain("TWILIO_ACCOUNT_SID");
    expect(r.output).not.toContain("listening");
  }, 60_000);

  test("VOICE_SIMULATOR=on is refused in production", async () => {
    const r = await start({ ...PROD, TWILIO_ACCOUNT_SID: `AC${"0".repeat(32)}`, VOICE_SIMULATOR: "on" });
    expect(r.code).toBe(1);
    expect(r.output).toContain("VOICE_SIMULATOR");
  }, 60_000);
});
