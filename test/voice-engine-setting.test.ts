/**
 * Which voice engine a call runs on (#18): a fresh install follows the
 * server's VOICE_ENGINE (the demo seed pins nothing), a business may pick one
 * or go back to "follow the server", and the settings say which is in effect.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { businesses } from "../db/schema";
import { voiceEngineInEffect } from "../api/services/settings/business-settings";
import { createTestApp, signedTwilioPost, type TTestApp } from "./helpers/app";
import { DB_KINDS } from "./helpers/db";
import { adminClient, type TTestClient } from "./helpers/trpc";

const HOST = "https://kesher.example.com";
let n = 0;
const ring = async (t: TTestApp) => {
  const res = await t.app.request(
    signedTwilioPost(`${HOST}/twilio/voice`, { AccountSid: `AC${"0".repeat(32)}`, CallSid: `CA_engine_${++n}`, From: "+972541234567", To: "+97235550100", CallStatus: "ringing", Direction: "inbound" }),
  );
  const xml = await res.text();
  return /<Parameter name="engine" value="([^"]*)"\/>/.exec(xml)?.[1];
};

test("in effect: the override, else the server; Realtime without an OpenAI key runs the pipeline", () => {
  expect(voiceEngineInEffect(undefined, { voiceEngine: "realtime", realtimeAvailable: true })).toBe("realtime");
  expect(voiceEngineInEffect(null, { voiceEngine: "pipeline", realtimeAvailable: true })).toBe("pipeline");
  expect(voiceEngineInEffect("pipeline", { voiceEngine: "realtime", realtimeAvailable: true })).toBe("pipeline");
  expect(voiceEngineInEffect("realtime", { voiceEngine: "pipeline", realtimeAvailable: false })).toBe("pipeline");
  expect(voiceEngineInEffect(undefined, { voiceEngine: "realtime", realtimeAvailable: false })).toBe("pipeline");
});

for (const kind of DB_KINDS) {
  describe(`voice engine setting [${kind}]`, () => {
    let t: TTestApp;
    let admin: TTestClient;
    beforeAll(async () => {
      t = await createTestApp(kind, { VOICE_ENGINE: "realtime", OPENAI_API_KEY: "sk-test-not-used" });
      admin = await adminClient(t);
    }, 60_000);
    afterAll(async () => {
      await t.close();
    });

    test("fresh install with VOICE_ENGINE=realtime: the seeded business follows the server, calls stream on realtime", async () => {
      const [b] = await t.db.db.select().from(businesses).where(eq(businesses.id, t.businessId));
      expect(b!.settings.voiceEngine).toBeUndefined();
      const s = await admin.api.settings.get.query();
      expect(s.voiceEngine).toBeNull();
      expect(s.serverVoiceEngine).toBe("realtime");
      expect(s.voiceEngineInEffect).toBe("realtime");
      expect(await ring(t)).toBe("realtime");
    });

    test("a business override wins; 'auto' goes back to following the server", async () => {
      const pinned = await admin.api.settings.update.mutate({ voiceEngine: "pipeline" });
      expect(pinned.voiceEngine).toBe("pipeline");
      expect(pinned.voiceEngineInEffect).toBe("pipeline");
      expect(await ring(t)).toBe("pipeline");
      const auto = await admin.api.settings.update.mutate({ voiceEngine: "auto" });
      expect(auto.voiceEngine).toBeNull();
      expect(auto.voiceEngineInEffect).toBe("realtime");
      const [b] = await t.db.db.select().from(businesses).where(eq(businesses.id, t.businessId));
      expect("voiceEngine" in b!.settings).toBe(false);
      expect(await ring(t)).toBe("realtime");
      // Saving other settings leaves the engine choice alone.
      await admin.api.settings.update.mutate({ greetingText: "שלום לכם" });
      expect((await admin.api.settings.get.query()).voiceEngine).toBeNull();
    });
  });
}
