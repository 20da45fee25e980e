/** Starts the real entry point (Bun.serve: HTTP + media WebSocket) as `npm start` does. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import twilio from "twilio";

let proc: ReturnType<typeof Bun.spawn>;
let base = "";
let dataDir = "";
let output = "";

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "kesher-start-"));
  proc = Bun.spawn([process.execPath, "api/main.ts"], {
    cwd: join(import.meta.dir, ".."),
    env: { ...process.env, PORT: "0", DATA_DIR: dataDir, DATABASE_URL: "", NODE_ENV: "development", LOG_LEVEL: "info" },
    stdout: "pipe",
    stderr: "pipe",
  });
  const reader = (proc.stdout as ReadableStream<Uint8Array>).getReader();
  const deadline = Date.now() + 25_000;
  while (!base && Date.now() < deadline) {
    const { value, done } = await reader.read();
    if (done) break;
    output += new TextDecoder().decode(value);
    const m = /"port":(\d+)[^\n]*kesher listening/.exec(output);
    if (m) base = `http://127.0.0.1:${m[1]}`;
  }
  // Keep draining so the child never blocks on a full pipe.
  void (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      output += new TextDecoder().decode(value);
    }
  })();
  if (!base) throw new Error(`server did not start:\n${output}`);
});

afterAll(() => {
  proc?.kill();
});

describe("npm start entry point", () => {
  test("prints the admin login once and serves /health", async () => {
    await Bun.sleep(50);
    expect(output).toContain("admin@shai-dirot.co.il");
    expect(output).toMatch(/Password:\s+\S{16}/);
    const res = await fetch(`${base}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, db: "pglite" });
  });

  test("a webhook signed with the local development token is answered with the stream TwiML", async () => {
    const { twilioAuthToken } = JSON.parse(readFileSync(join(dataDir, "secrets.json"), "utf8")) as { twilioAuthToken: string };
    const url = `${base}/twilio/voice`;
    const params = { CallSid: "CA_start_1", From: "+972541112233", To: "+97235550100" };
    const res = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-twilio-signature": twilio.getExpectedTwilioSignature(twilioAuthToken, url, params),
      },
      body: new URLSearchParams(params),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(`url="ws://127.0.0.1:${new URL(base).port}/ws/twilio-media"`);
  });

  test("the media WebSocket path accepts upgrades on both spellings", async () => {
    for (const path of ["/ws/twilio-media", "/ws/twilio-media/"]) {
      const ws = new WebSocket(`${base.replace("http", "ws")}${path}`);
      await new Promise<void>((resolve, reject) => {
        ws.onopen = () => resolve();
        ws.onerror = () => reject(new Error(`upgrade failed on ${path}`));
      });
      ws.send(JSON.stringify({ event: "connected", protocol: "Call", version: "1.0.0" }));
      ws.send("{not json");
      ws.close();
    }
    // The server survived malformed input.
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });

  test("the dashboard is served at / in Hebrew RTL", async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('lang="he"');
    expect(html).toContain('dir="rtl"');
  });
});
