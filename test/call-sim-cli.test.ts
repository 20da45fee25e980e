/**
 * `bun run call-sim` as a developer meets it: with no server running it says
 * how to start one or point it elsewhere (--url), in one line, with no stack trace.
 */
import { describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadOrCreateDevSecrets } from "../core/kernel/dev-secrets";

const ROOT = join(import.meta.dir, "..");

/** A loopback port nothing listens on: bind one, note it, close it. */
function deadPort(): number {
  const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = probe.port;
  probe.stop(true);
  return port;
}

/** Run with a fresh DATA_DIR holding the development secrets (as after a first `npm start`). */
async function withDataDir<T>(fn: (dataDir: string) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), "kesher-callsim-"));
  try {
    loadOrCreateDevSecrets(dataDir);
    return await fn(dataDir);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function runCallSim(args: string[], env: Record<string, string>) {
  const proc = Bun.spawn([process.execPath, "realtime/tools/call-sim.ts", ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdout: "pipe", stderr: "pipe" });
  const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
  return { out, err, code };
}

describe("call-sim without a server", () => {
  test("no --url and nothing listening: one line on how to start Kesher or use --url, exit 1", async () => {
    const port = deadPort();
    const r = await withDataDir((dataDir) => runCallSim([], { DATA_DIR: dataDir, PORT: String(port), DATABASE_URL: "" }));
    expect(r.code).toBe(1);
    expect(r.err).toContain(`no Kesher server answers at http://127.0.0.1:${port}`);
    expect(r.err).toContain("VOICE_SIMULATOR=on npm start");
    expect(r.err).toContain("--url");
    expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
  });

  test("with --url to a dead address: it names that address and says to check it", async () => {
    const port = deadPort();
    const r = await withDataDir((dataDir) => runCallSim(["--url", `http://127.0.0.1:${port}/`], { DATA_DIR: dataDir, DATABASE_URL: "" }));
    expect(r.code).toBe(1);
    expect(r.err).toContain(`no Kesher server answers at http://127.0.0.1:${port}: check the address`);
    expect(r.err).not.toMatch(/\n\s+at /);
  });
});
