/**
 * Attacks on the media WebSocket (issue 12 item 1), against a real Bun server
 * built as api/main.ts builds it: the Hono app (signed webhooks), the media
 * server with the engine session (watchdog, DTMF, transfer, Record redirect),
 * the real Twilio SDK against the local Twilio REST double, a real database.
 *
 * A stranger either cannot upgrade at all (no Twilio signature → 403), or,
 * replaying a valid upgrade signature, sends a `start` without the one-time
 * token of a signed voice webhook (or with a stolen, forged, expired, reused
 * token, or for a finished call): closed 1008 and nothing written — no call,
 * customer, turn or task rows, the victim's call row untouched, and no
 * Twilio REST request (redirect, transfer) at all.
 *
 * This file: upgrades without a valid signature, and forged starts against
 * live calls and known callers. Tokens (stolen, forged, expired, reused,
 * finished calls) and the trusted parameters are in media-stream-tokens.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { callLogs, conversationTurns, customers } from "../../db/schema";
import { ATTACKER, rawUpgradeStatus, sid, SHARED_KEY, VICTIM_PHONE } from "../helpers/media-stream-rig";
import { signedUpgradeHeaders } from "../helpers/signed-stream";
import { DB_KINDS } from "../helpers/db";
import { startMediaStreamRig, type TMediaStreamRig } from "../helpers/media-stream-rig";

for (const kind of DB_KINDS) {
  describe(`security: media stream authentication (${kind})`, () => {
    let rig: TMediaStreamRig;
    let t: TMediaStreamRig["t"];
    let rest: TMediaStreamRig["rest"];
    let wsUrl: string;
    let ring: TMediaStreamRig["ring"];
    let snapshot: TMediaStreamRig["snapshot"];
    let callRow: TMediaStreamRig["callRow"];
    let forgedStream: TMediaStreamRig["forgedStream"];

    beforeAll(async () => {
      rig = await startMediaStreamRig(kind);
      ({ t, rest, wsUrl, ring, snapshot, callRow, forgedStream } = rig);
    }, 300_000);
    afterAll(() => rig?.close());

    test("an upgrade without a valid Twilio signature is answered 403 before upgrading (both path spellings)", async () => {
      const before = await snapshot();
      const cases: Record<string, string>[] = [
        {},
        { "X-Twilio-Signature": "Zm9yZ2Vk" },
        // Signed for another host (the signed URL must be this stream's public URL).
        signedUpgradeHeaders("wss://attacker.invalid/ws/twilio-media"),
        // Signed with another account's token.
        signedUpgradeHeaders(wsUrl, { token: "someone_elses_token_0123456789" }),
        // A SharedKey (HMAC-SHA256) header, but signed with the wrong key.
        signedUpgradeHeaders(wsUrl, { token: "not_the_shared_key_01234", algorithm: "HMAC_SHA256" }),
        // The settings header with an SHA1 signature by the auth token: the header says the SharedKey signed it.
        { ...signedUpgradeHeaders(wsUrl), "X-Twilio-Webhooks-Signature-Settings": "key=webhooks_sharedkey_x,algorithm=HMAC_SHA256" },
      ];
      for (const path of ["/ws/twilio-media", "/ws/twilio-media/"]) {
        for (const headers of cases) {
          rig.attempts++;
          const status = await rawUpgradeStatus(`${wsUrl.replace("/ws/twilio-media", "")}${path}`, headers);
          expect(status).toBe(403);
          rig.refused++;
        }
      }
      expect(await snapshot()).toEqual(before);
      // The genuine signatures upgrade: Twilio's (auth token, SHA1) and a Webhooks Rule's (SharedKey, SHA256).
      expect(await rawUpgradeStatus(wsUrl, signedUpgradeHeaders(wsUrl))).toBe(101);
      expect(await rawUpgradeStatus(wsUrl, signedUpgradeHeaders(wsUrl, { token: SHARED_KEY, algorithm: "HMAC_SHA256" }))).toBe(101);
      const slash = `${wsUrl}/`;
      expect(await rawUpgradeStatus(slash, signedUpgradeHeaders(slash))).toBe(101);
    });

    test("a made-up start creates no call, customer, turn or task", async () => {
      const before = await snapshot();
      const r = await forgedStream(sid("CA"), { businessId: t.businessId, caller: "+972549990001", simScript: JSON.stringify(["אני רוצה לקבוע פגישה מחר בעשר"]) });
      expect(await snapshot()).toEqual(before);
      expect(r.media).toBe(0);
      expect(r.code).toBe(1008);
    });

    test("a start naming a live CallSid with origin=attacker does not redirect the call anywhere", async () => {
      const victim = await ring();
      const before = await snapshot();
      const r = await forgedStream(victim.callSid, { callSid: victim.callSid, businessId: t.businessId, callId: victim.params.callId!, origin: ATTACKER, caller: "+972541230000" });
      expect(JSON.stringify(rest.callUpdates)).not.toContain("attacker.invalid");
      expect(rest.callUpdates.filter((u) => u.callSid === victim.callSid)).toEqual([]);
      expect(await snapshot()).toEqual(before);
      expect(r.code).toBe(1008);
    });

    test("a start naming a live CallSid cannot take over its record", async () => {
      const victim = await ring();
      const rowBefore = await callRow(victim.callSid);
      const before = await snapshot();
      const r = await forgedStream(victim.callSid, { callSid: victim.callSid, businessId: t.businessId, callId: victim.params.callId!, caller: "+972541230000", simScript: JSON.stringify(["תמחקו את הפרטים שלי"]) });
      const rowAfter = await callRow(victim.callSid);
      expect(await t.db.db.select().from(conversationTurns).where(eq(conversationTurns.callId, rowAfter!.id))).toEqual([]);
      expect(rowAfter!.streamSid).toBeNull();
      expect(rowAfter!.status).toBe(rowBefore!.status);
      expect(await snapshot()).toEqual(before);
      expect(r.code).toBe(1008);
    });

    test("DTMF 0 on a forged stream does not transfer the victim's call", async () => {
      const victim = await ring();
      const before = await snapshot();
      const r = await forgedStream(victim.callSid, { callSid: victim.callSid, businessId: t.businessId, callId: victim.params.callId!, simScript: JSON.stringify(["שלום"]) });
      expect(rest.callUpdates.filter((u) => u.callSid === victim.callSid)).toEqual([]);
      expect((await callRow(victim.callSid))!.transferred).toBe(false);
      expect(await snapshot()).toEqual(before);
      expect(r.code).toBe(1008);
    });

    test("a stranger naming a known caller's number is not greeted and gets no CRM context", async () => {
      const before = await snapshot();
      const r = await forgedStream(sid("CA"), { businessId: t.businessId, caller: VICTIM_PHONE, simScript: JSON.stringify(["מה הסטטוס של הפנטהאוז שלי?"]) });
      expect(r.media).toBe(0);
      const [victimCustomer] = await t.db.db.select({ id: customers.id }).from(customers).where(eq(customers.phone, VICTIM_PHONE));
      expect(await t.db.db.select().from(callLogs).where(eq(callLogs.customerId, victimCustomer!.id))).toEqual([]);
      expect(await snapshot()).toEqual(before);
      expect(r.code).toBe(1008);
    });

    test("report: forged or unknown streams refused N/N with 0 rows written", () => {
      console.log(`[media-stream security ${kind}] forged/unknown streams refused ${rig.refused}/${rig.attempts}`);
      expect(rig.attempts).toBeGreaterThan(0);
      expect(rig.refused).toBe(rig.attempts);
    });
  });
}
