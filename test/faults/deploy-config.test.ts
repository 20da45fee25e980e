/**
 * Deployment pieces that can break without anyone noticing until a deploy:
 * fly.toml shape (process groups, health checks, release command, drain
 * window), the release command itself (migrations apply on a fresh database
 * and re-run as a no-op), and PUBLIC_MEDIA_URL pointing Twilio's media stream
 * at the realtime process group.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DB_KINDS, createPgTestDatabase } from "../helpers/db";
import { createTestApp, signedTwilioPost, type TTestApp } from "../helpers/app";

const root = join(import.meta.dir, "..", "..");

interface TFlyService {
  processes: string[];
  internal_port: number;
  ports: { port: number; handlers: string[] }[];
  http_checks?: { path: string }[];
  auto_stop_machines?: string | boolean;
  concurrency?: { type: string };
}
interface TFly {
  kill_signal: string;
  kill_timeout: string;
  build: { dockerfile?: string };
  deploy: { release_command: string };
  env: Record<string, string>;
  processes: Record<string, string>;
  services: TFlyService[];
}

const seconds = (v: string) => Number(/^(\d+)s?$/.exec(v)?.[1] ?? NaN);

describe("fly.toml", () => {
  const fly = Bun.TOML.parse(readFileSync(join(root, "fly.toml"), "utf8")) as unknown as TFly;

  test("api and realtime process groups run the real entry point; realtime holds no WhatsApp sessions", () => {
    expect(Object.keys(fly.processes).sort()).toEqual(["api", "realtime"]);
    for (const cmd of Object.values(fly.processes)) {
      const file = cmd.split(" ").find((w) => w.endsWith(".ts"))!;
      expect(existsSync(join(root, file))).toBe(true);
    }
    expect(fly.processes.realtime).toContain("PROCESS_ROLE=realtime");
    expect(existsSync(join(root, fly.build.dockerfile ?? "Dockerfile"))).toBe(true);
  });

  test("every process group has a service with a /ready check (database + prompts) and is never auto-stopped", () => {
    for (const group of Object.keys(fly.processes)) {
      const svc = fly.services.find((s) => s.processes.includes(group));
      expect(svc).toBeDefined();
      expect(svc!.internal_port).toBe(Number(fly.env.PORT));
      expect(svc!.http_checks?.some((c) => c.path === "/ready")).toBe(true);
      expect(svc!.auto_stop_machines === "off" || svc!.auto_stop_machines === false).toBe(true);
    }
    // Media streams: TLS + HTTP handler (WebSocket upgrade passes through), counted by connections.
    const rt = fly.services.find((s) => s.processes.includes("realtime"))!;
    expect(rt.ports.some((p) => p.handlers.includes("tls") && p.handlers.includes("http"))).toBe(true);
    expect(rt.concurrency?.type).toBe("connections");
  });

  test("SIGTERM drain fits inside kill_timeout; migrations are the release command", () => {
    expect(fly.kill_signal).toBe("SIGTERM");
    expect(seconds(fly.kill_timeout)).toBeGreaterThan(Number(fly.env.DRAIN_TIMEOUT_S));
    expect(fly.deploy.release_command).toContain("db/migrate.ts");
  });
});

for (const kind of DB_KINDS) {
  describe(`release command db/migrate.ts (${kind})`, () => {
    test("applies every migration to a fresh database, and a second run is a no-op", async () => {
      // An empty database (PostgreSQL) or an empty data folder (PGlite).
      const empty = kind === "postgres" ? await createPgTestDatabase("kesher_rel", { fresh: true }) : undefined;
      const env: Record<string, string> = { ...(process.env as Record<string, string>), NODE_ENV: "development", LOG_LEVEL: "silent" };
      if (empty) {
        env.DATABASE_URL = empty.url;
      } else {
        env.DATABASE_URL = "";
        env.DATA_DIR = mkdtempSync(join(tmpdir(), "kesher-release-"));
      }
      try {
        for (let run = 0; run < 2; run++) {
          // Spawned, not spawnSync: a fresh PGlite's initdb takes seconds, and a blocked event loop can't time out.
          const p = Bun.spawn([process.execPath, "db/migrate.ts"], { cwd: root, env, stdout: "pipe", stderr: "pipe" });
          const [code, out, err] = await Promise.all([p.exited, new Response(p.stdout).text(), new Response(p.stderr).text()]);
          expect({ code, err: code === 0 ? "" : err }).toEqual({ code: 0, err: "" });
          expect(out).toContain(`migrations applied (${kind})`);
        }
      } finally {
        await empty?.drop();
      }
    }, 180_000);
  });

  describe(`PUBLIC_MEDIA_URL (${kind})`, () => {
    let t: TTestApp;
    beforeAll(async () => {
      t = await createTestApp(kind, { PUBLIC_BASE_URL: "https://kesher.example.com", PUBLIC_MEDIA_URL: "wss://kesher.example.com:8443/" });
    }, 60_000);
    afterAll(() => t.close());

    test("the voice webhook sends Twilio's media stream to the realtime group", async () => {
      const params = { AccountSid: `AC${"0".repeat(32)}`, CallSid: "CA_media_url_1", From: "+972541234567", To: "+97235550100", CallStatus: "ringing" };
      const res = await t.app.request(signedTwilioPost("https://kesher.example.com/twilio/voice", params));
      expect(res.status).toBe(200);
      const xml = await res.text();
      expect(/<Stream [^>]*url="([^"]+)"/.exec(xml)?.[1]).toBe("wss://kesher.example.com:8443/ws/twilio-media");
      // Webhooks and callbacks stay on the api origin.
      expect(xml).toContain('statusCallback="https://kesher.example.com/twilio/stream-status"');
    });
  });
}
