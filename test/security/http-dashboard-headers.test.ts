/**
 * Attack test for issue #12 item 10: the dashboard must send security
 * headers: a CSP whose scripts need a per-response nonce (an injected inline
 * script does not run), no framing (clickjacking), nosniff, a referrer
 * policy, and HSTS in production.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../../api/app";
import { loadEnv } from "../../env";
import { createTestApp, type TTestApp } from "../helpers/app";
import { DB_KINDS } from "../helpers/db";
import { TEST_ORIGIN } from "../helpers/trpc";

function fakeDist(): string {
  const dir = mkdtempSync(join(tmpdir(), "kesher-dist-"));
  mkdirSync(join(dir, "assets"));
  writeFileSync(
    join(dir, "index.html"),
    `<!doctype html><html lang="he" dir="rtl"><head><script type="module" crossorigin src="/assets/index-abc.js"></script><link rel="modulepreload" href="/assets/chunk.js"><script>window.boot=1</script></head><body><div id="root"></div></body></html>`,
  );
  writeFileSync(join(dir, "assets", "index-abc.js"), "console.log('app')");
  return dir;
}

for (const kind of DB_KINDS) {
  describe(`dashboard security headers [${kind}]`, () => {
    let t: TTestApp;
    let dist: string;
    beforeAll(async () => {
      t = await createTestApp(kind);
      dist = fakeDist();
    }, 480_000);
    afterAll(async () => {
      await t.close();
    });

    test("index.html: CSP with a fresh nonce on every script, no framing, nosniff, referrer policy; no HSTS outside production", async () => {
      const app = createApp(t.deps, { dashboardDir: dist });
      const a = await app.request(`${TEST_ORIGIN}/customers`);
      const b = await app.request(`${TEST_ORIGIN}/`);
      expect(a.status).toBe(200);
      const csp = a.headers.get("content-security-policy") ?? "";
      const nonce = /script-src[^;]*'nonce-([A-Za-z0-9+/=]+)'/.exec(csp)?.[1];
      expect(nonce).toBeDefined();
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
      const html = await a.text();
      const scripts = html.match(/<script\b[^>]*>/g) ?? [];
      expect(scripts.length).toBe(2);
      for (const s of scripts) expect(s).toContain(`nonce="${nonce}"`);
      expect(html).toContain(`<link rel="modulepreload" href="/assets/chunk.js" nonce="${nonce}">`);
      const other = /'nonce-([^']+)'/.exec(b.headers.get("content-security-policy") ?? "")?.[1];
      expect(other).toBeDefined();
      expect(other).not.toBe(nonce);
      expect(a.headers.get("x-frame-options")).toBe("DENY");
      expect(a.headers.get("x-content-type-options")).toBe("nosniff");
      expect(a.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
      expect(a.headers.get("strict-transport-security")).toBeNull();
      const asset = await app.request(`${TEST_ORIGIN}/assets/index-abc.js`);
      expect(asset.headers.get("x-content-type-options")).toBe("nosniff");
    }, 60_000);

    test("production adds HSTS", async () => {
      const config = loadEnv({ NODE_ENV: "production", TWILIO_AUTH_TOKEN: "t".repeat(32), TWILIO_ACCOUNT_SID: `AC${"0".repeat(32)}`, SESSION_SECRET: "s".repeat(32) });
      const app = createApp({ ...t.deps, config }, { dashboardDir: dist });
      const res = await app.request(`${TEST_ORIGIN}/`);
      expect(res.headers.get("strict-transport-security")).toMatch(/^max-age=\d{8,}/);
    }, 60_000);
  });
}
