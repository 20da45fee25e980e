/** Starts the real entry point (Bun.serve: HTTP + media WebSocket) as `npm start` does on a first install (empty database: initdb and every migration), on PGlite and on PostgreSQL. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import twilio from "twilio";
import { DB_KINDS } from "./helpers/db";
import { startEachKind } from "./helpers/each-kind";
import { openMediaSocket, startTestServer, type TTestServer } from "./helpers/server";

// Both databases' servers start at once (a first start migrates and seeds).
const servers = startEachKind(DB_KINDS, (kind) => startTestServer({ db: kind, name: "kesher-start", freshDatabase: true }));

for (const kind of DB_KINDS) {
  describe(`npm start entry point (${kind})`, () => {
    let server: TTestServer;

    beforeAll(async () => {
      server = await servers(kind);
    }, 240_000);

    afterAll(() => server?.stop());

    test("prints the admin login once and serves /health", async () => {
      expect(server.output()).toContain("admin@shai-dirot.co.il");
      expect(server.output()).toMatch(/Password:\s+\S{16}/);
      const res = await fetch(`${server.base}/health`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ ok: true, db: kind });
    });

    test("a webhook signed with the local development token is answered with the stream TwiML", async () => {
      const url = `${server.base}/twilio/voice`;
      const params = { CallSid: `CA_start_${kind}`, From: "+972541112233", To: "+97235550100" };
      const res = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "x-twilio-signature": twilio.getExpectedTwilioSignature(server.twilioAuthToken(), url, params),
        },
        body: new URLSearchParams(params),
      });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain(`url="ws://127.0.0.1:${new URL(server.base).port}/ws/twilio-media"`);
    });

    test("the media WebSocket path accepts upgrades on both spellings", async () => {
      for (const path of ["/ws/twilio-media", "/ws/twilio-media/"]) {
        const ws = await openMediaSocket(server, path);
        ws.send(JSON.stringify({ event: "connected", protocol: "Call", version: "1.0.0" }));
        ws.send("{not json");
        ws.close();
      }
      // The server survived malformed input.
      expect((await fetch(`${server.base}/health`)).status).toBe(200);
    });

    test("the dashboard is served at / in Hebrew RTL", async () => {
      const res = await fetch(`${server.base}/`);
      expect(res.status).toBe(200);
      const html = await res.text();
      expect(html).toContain('lang="he"');
      expect(html).toContain('dir="rtl"');
    });
  });
}
