/**
 * Attacks on the media WebSocket (issue 12 item 1), the one-time stream
 * token: a start with a stolen, forged, expired or reused token, or for a
 * finished call, is closed 1008 with nothing written and no Twilio REST
 * request, while the genuine stream is admitted once; the parameters a
 * session gets are the trusted ones. Same rig as media-stream.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { callLogs } from "../../db/schema";
import { mintStreamToken } from "../../core/kernel/stream-token";
import twilio from "twilio";
import { createStreamAuth } from "../../realtime/stream-auth";
import { TEST_AUTH_TOKEN } from "../helpers/app";
import { ATTACKER, dtmfMsg, log, sid, startMsg, VICTIM_PHONE } from "../helpers/media-stream-rig";
import { signedUpgradeHeaders } from "../helpers/signed-stream";
import { waitFor } from "../helpers/wait-for";
import { DB_KINDS } from "../helpers/db";
import { startMediaStreamRig, type TMediaStreamRig } from "../helpers/media-stream-rig";

for (const kind of DB_KINDS) {
  describe(`security: media stream tokens (${kind})`, () => {
    let rig: TMediaStreamRig;
    let t: TMediaStreamRig["t"];
    let rest: TMediaStreamRig["rest"];
    let media: TMediaStreamRig["media"];
    let base: string;
    let ring: TMediaStreamRig["ring"];
    let snapshot: TMediaStreamRig["snapshot"];
    let callRow: TMediaStreamRig["callRow"];
    let forgedStream: TMediaStreamRig["forgedStream"];

    beforeAll(async () => {
      rig = await startMediaStreamRig(kind);
      ({ t, rest, media, base, ring, snapshot, callRow, forgedStream } = rig);
    }, 300_000);
    afterAll(() => rig?.close());

    test("stolen, forged, expired, reused tokens and finished calls are refused; the genuine stream is admitted once", async () => {
      const victim = await ring();
      const other = await ring("+972541230099");
      const token = victim.params.streamToken!;
      expect(token).toBeTruthy();
      expect(victim.params.origin).toBeUndefined();
      const before = await snapshot();
      const forged: [string, Record<string, string>][] = [
        // The victim's token on another CallSid.
        [other.callSid, { ...victim.params, callSid: other.callSid }],
        // A token minted with a guessed key.
        [victim.callSid, { ...victim.params, streamToken: mintStreamToken("guessed_token_000000000", { callSid: victim.callSid, callId: victim.params.callId, origin: ATTACKER, expiresAt: Date.now() + 60_000 }) }],
        // The genuine token with the origin swapped for the attacker's.
        [victim.callSid, { ...victim.params, streamToken: token.replace(/^(v1\.[^.]+\.\d+\.)[^.]*/, `$1${Buffer.from(ATTACKER).toString("base64url")}`) }],
        // A token naming a call that does not exist.
        [victim.callSid, { ...victim.params, streamToken: mintStreamToken(TEST_AUTH_TOKEN, { callSid: victim.callSid, callId: crypto.randomUUID(), origin: base, expiresAt: Date.now() + 60_000 }) }],
        [victim.callSid, { ...victim.params, streamToken: "v1.garbage" }],
      ];
      for (const [callSid, params] of forged) expect((await forgedStream(callSid, params)).code).toBe(1008);
      // Expired: the same genuine token three minutes later.
      rig.skewMs = 3 * 60_000;
      expect((await forgedStream(victim.callSid, victim.params)).code).toBe(1008);
      rig.skewMs = 0;
      expect(await snapshot()).toEqual(before);
      expect((await callRow(victim.callSid))!.streamSid).toBeNull();

      // The genuine stream (Twilio's signed upgrade + the webhook's token) is admitted…
      const ws = new WebSocket(victim.streamUrl, { headers: signedUpgradeHeaders(victim.streamUrl) } as unknown as string[]);
      const got: string[] = [];
      ws.onmessage = (m) => got.push(String(m.data));
      await new Promise<void>((resolve, reject) => {
        ws.onopen = () => resolve();
        ws.onerror = () => reject(new Error("genuine upgrade failed"));
      });
      const streamSid = sid("MZ");
      ws.send(startMsg(victim.callSid, streamSid, { ...victim.params, simScript: JSON.stringify(["שלום"]), origin: ATTACKER }));
      await waitFor(async () => (await callRow(victim.callSid))!.streamSid === streamSid, "the call row claimed by the genuine stream");
      await waitFor(() => got.some((m) => m.includes('"media"')), "the greeting");
      // VOICE_SIMULATOR is off: the announced script was dropped (call-sim's `say:` marks appear only with one).
      expect(got.filter((m) => m.includes('"say:'))).toEqual([]);
      // DTMF 0 on the genuine stream transfers it, with URLs at the origin the signed webhook saw
      // (from the token), not the `origin` parameter the stream sent.
      ws.send(dtmfMsg(streamSid, "0"));
      const moved = await waitFor(() => rest.callUpdates.find((u) => u.callSid === victim.callSid), "the transfer");
      expect(JSON.stringify(moved.params)).toContain(`${base}/twilio/fallback`);
      expect(JSON.stringify(moved.params)).not.toContain("attacker.invalid");
      ws.close();
      await media.closeAll("settle");

      // Reused: the same token again.
      expect((await forgedStream(victim.callSid, victim.params)).code).toBe(1008);
      // A finished call: Twilio says completed, then a stream with its genuine token arrives.
      const url = `${base}/twilio/status`;
      const done = { CallSid: other.callSid, AccountSid: rest.accountSid, CallStatus: "completed", CallDuration: "3" };
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": twilio.getExpectedTwilioSignature(TEST_AUTH_TOKEN, url, done) }, body: new URLSearchParams(done) });
      expect(res.ok).toBe(true);
      expect((await callRow(other.callSid))!.status).toBe("completed");
      const beforeDone = await snapshot();
      expect((await forgedStream(other.callSid, other.params)).code).toBe(1008);
      expect(await snapshot()).toEqual(beforeDone);
      expect(rest.callUpdates.filter((u) => u.callSid === other.callSid)).toEqual([]);
    });

    test("the simulator script reaches the session only with VOICE_SIMULATOR=on; other parameters are replaced by trusted ones", async () => {
      const admit = async (simulator: boolean) => {
        const victim = await ring(VICTIM_PHONE);
        const auth = createStreamAuth({ db: t.db.db, log, authToken: TEST_AUTH_TOKEN, signatureCheck: true, simulator, publicBaseUrl: undefined });
        const r = await auth.admitStart({ callSid: victim.callSid, streamSid: sid("MZ"), customParameters: { ...victim.params, simScript: '["שלום"]', caller: "+972500000000", businessId: crypto.randomUUID(), origin: ATTACKER, extra: "x" } });
        if (!r.ok) throw new Error(r.reason);
        return { r, victim };
      };
      const on = await admit(true);
      expect(on.r.customParameters).toEqual({ callSid: on.victim.callSid, callId: on.victim.params.callId!, businessId: t.businessId, caller: VICTIM_PHONE, origin: base, engine: "pipeline", simScript: '["שלום"]' });
      const off = await admit(false);
      expect(off.r.customParameters.simScript).toBeUndefined();
      expect(off.r.customParameters.origin).toBe(base);
    });

    test("a webhook that could not write the row mints a token without a call id: admitted once, then refused", async () => {
      const auth = createStreamAuth({ db: t.db.db, log, authToken: TEST_AUTH_TOKEN, signatureCheck: true, simulator: false });
      const callSid = sid("CA");
      const streamToken = mintStreamToken(TEST_AUTH_TOKEN, { callSid, origin: base, expiresAt: Date.now() + 60_000 });
      const first = await auth.admitStart({ callSid, streamSid: sid("MZ"), customParameters: { streamToken, businessId: crypto.randomUUID(), caller: VICTIM_PHONE } });
      // The session will create the row; nothing the stream claimed about business or caller is passed on.
      expect(first).toEqual({ ok: true, customParameters: { callSid, origin: base } });
      const again = await auth.admitStart({ callSid, streamSid: sid("MZ"), customParameters: { streamToken } });
      expect(again).toEqual({ ok: false, reason: "stream token already used" });
      // Once the row exists and carries a stream, the same CallSid's token (minted anew) is refused on the row.
      await t.db.db.insert(callLogs).values({ businessId: t.businessId, callSid, streamSid: sid("MZ"), status: "in_progress" });
      const fresh = mintStreamToken(TEST_AUTH_TOKEN, { callSid, origin: base, expiresAt: Date.now() + 60_000 });
      expect(await auth.admitStart({ callSid, streamSid: sid("MZ"), customParameters: { streamToken: fresh } })).toEqual({ ok: false, reason: "call already has a media stream" });
    });

    test("report: forged or unknown streams refused N/N with 0 rows written", () => {
      console.log(`[media-stream security ${kind}] forged/unknown streams refused ${rig.refused}/${rig.attempts}`);
      expect(rig.attempts).toBeGreaterThan(0);
      expect(rig.refused).toBe(rig.attempts);
    });
  });
}
