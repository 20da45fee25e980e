/**
 * Admission control at the voice webhook (#18): over the media process's
 * capacity a ringing call is answered with the whole Record flow (greeting,
 * message prompt, <Record>) instead of a stream, its row says so, and the
 * refusal is counted; when a place frees up, calls stream again.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { callLogs } from "../db/schema";
import { createLogger } from "../core/kernel/logger";
import { createAdmission, type TAdmission } from "../realtime/admission";
import { createTestApp, signedTwilioPost, type TTestApp } from "./helpers/app";
import { DB_KINDS } from "./helpers/db";

const HOST = "https://kesher.example.com";
const ring = async (t: TTestApp, callSid: string) => {
  const res = await t.app.request(
    signedTwilioPost(`${HOST}/twilio/voice`, { AccountSid: `AC${"0".repeat(32)}`, CallSid: callSid, From: "+972541234567", To: "+97235550100", CallStatus: "ringing", Direction: "inbound" }),
  );
  expect(res.status).toBe(200);
  return res.text();
};

for (const kind of DB_KINDS) {
  describe(`admission control at /twilio/voice [${kind}]`, () => {
    let t: TTestApp;
    let admission: TAdmission;
    beforeAll(async () => {
      t = await createTestApp(kind);
      admission = createAdmission({ maxCalls: 1, maxLagMs: 0, log: createLogger("silent") });
      t.deps.admission = admission;
    }, 60_000);
    afterAll(async () => {
      admission.close();
      await t.close();
    });

    test("within capacity: a stream; over it: the Record flow, the row marked record, the refusal counted; a freed place streams again", async () => {
      const first = await ring(t, "CA_adm_1");
      expect(first).toContain("<Connect><Stream");
      admission.started("CA_adm_1");
      const second = await ring(t, "CA_adm_2");
      expect(second).not.toContain("<Stream");
      expect(second).toContain("<Record");
      expect(second).toContain("message_prompt_he");
      const [row] = await t.db.db.select().from(callLogs).where(eq(callLogs.callSid, "CA_adm_2"));
      expect(row!.mode).toBe("record");
      expect(admission.stats().refused.capacity).toBe(1);
      admission.ended("CA_adm_1");
      expect(await ring(t, "CA_adm_3")).toContain("<Connect><Stream");
    });
  });
}
