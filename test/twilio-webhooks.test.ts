import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { callLogs, customers, businesses } from "../db/schema";
import { DB_KINDS } from "./helpers/db";
import { createTestApp, signedTwilioPost, type TTestApp } from "./helpers/app";

const HOST = "https://kesher.example.com";
const voiceParams = (callSid: string, from = "+972541234567") => ({
  AccountSid: "AC00000000000000000000000000000000",
  CallSid: callSid,
  From: from,
  To: "+97235550100",
  CallStatus: "ringing",
  Direction: "inbound",
});

function streamUrl(xml: string): string | undefined {
  return /<Stream [^>]*url="([^"]+)"/.exec(xml)?.[1];
}
function parameters(xml: string): Record<string, string> {
  return Object.fromEntries([...xml.matchAll(/<Parameter name="([^"]+)" value="([^"]*)"\/>/g)].map((m) => [m[1]!, m[2]!]));
}

for (const kind of DB_KINDS) {
  describe(`twilio voice webhooks [${kind}]`, () => {
    let t: TTestApp;
    beforeAll(async () => {
      t = await createTestApp(kind);
    });
    afterAll(async () => {
      await t.close();
    });

    const callRow = async (sid: string) => (await t.db.db.select().from(callLogs).where(eq(callLogs.callSid, sid)))[0];

    test("signed /twilio/voice writes call_logs before answering with <Connect><Stream>", async () => {
      const res = await t.app.request(signedTwilioPost(`${HOST}/twilio/voice`, voiceParams("CA_voice_1")));
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/xml");
      const xml = await res.text();
      expect(xml).toContain("<Connect><Stream");
      expect(xml).not.toContain("<Start>");
      expect(streamUrl(xml)).toBe("wss://kesher.example.com/ws/twilio-media");
      expect(xml).toContain('statusCallback="https://kesher.example.com/twilio/stream-status"');
      const row = await callRow("CA_voice_1");
      expect(row).toBeDefined();
      expect(row!.status).toBe("ringing");
      expect(row!.fromNumber).toBe("+972541234567");
      const p = parameters(xml);
      expect(p.callSid).toBe("CA_voice_1");
      expect(p.callId).toBe(row!.id);
      expect(p.businessId).toBe(t.businessId);
      expect(p.caller).toBe("+972541234567");
      const [customer] = await t.db.db.select().from(customers).where(eq(customers.id, row!.customerId!));
      expect(customer?.phone).toBe("+972541234567");
      expect(customer?.source).toBe("call");
      expect(t.events.some((e) => e.type === "call.started" && e.callId === row!.id)).toBe(true);
    });

    test("/incoming_call is the same webhook", async () => {
      const res = await t.app.request(signedTwilioPost(`${HOST}/incoming_call`, voiceParams("CA_legacy_1")));
      expect(res.status).toBe(200);
      expect(streamUrl(await res.text())).toBe("wss://kesher.example.com/ws/twilio-media");
      expect(await callRow("CA_legacy_1")).toBeDefined();
    });

    test("forged signature → 403 and nothing written", async () => {
      const req = signedTwilioPost(`${HOST}/twilio/voice`, voiceParams("CA_forged"), { token: "not-the-real-token-xyz" });
      const res = await t.app.request(req);
      expect(res.status).toBe(403);
      expect(await callRow("CA_forged")).toBeUndefined();
    });

    test("missing signature → 403 and nothing written", async () => {
      const res = await t.app.request(signedTwilioPost(`${HOST}/twilio/voice`, voiceParams("CA_unsigned"), { signature: null }));
      expect(res.status).toBe(403);
      expect(await callRow("CA_unsigned")).toBeUndefined();
    });

    test("tampered parameters invalidate the signature", async () => {
      const params = voiceParams("CA_tamper");
      const good = signedTwilioPost(`${HOST}/twilio/voice`, params);
      const sig = good.headers.get("x-twilio-signature")!;
      const res = await t.app.request(
        signedTwilioPost(`${HOST}/twilio/voice`, { ...params, From: "+972500000000" }, { signature: sig }),
      );
      expect(res.status).toBe(403);
      expect(await callRow("CA_tamper")).toBeUndefined();
    });

    test("a webhook retried three times leaves one row and one customer", async () => {
      for (let i = 0; i < 3; i++) {
        const res = await t.app.request(signedTwilioPost(`${HOST}/twilio/voice`, voiceParams("CA_retry", "054-777-8899")));
        expect(res.status).toBe(200);
      }
      const rows = await t.db.db.select().from(callLogs).where(eq(callLogs.callSid, "CA_retry"));
      expect(rows).toHaveLength(1);
      const cust = await t.db.db.select().from(customers).where(eq(customers.phone, "+972547778899"));
      expect(cust).toHaveLength(1);
      expect(t.events.filter((e) => e.type === "call.started" && e.callId === rows[0]!.id)).toHaveLength(1);
    });

    test("behind a proxy the signature and stream URL use X-Forwarded-Proto/Host", async () => {
      const req = signedTwilioPost("https://calls.agency.co.il/twilio/voice", voiceParams("CA_proxy"), {
        requestUrl: "http://10.0.0.5:3000/twilio/voice",
        headers: { "x-forwarded-proto": "https", "x-forwarded-host": "calls.agency.co.il", host: "10.0.0.5:3000" },
      });
      const res = await t.app.request(req);
      expect(res.status).toBe(200);
      expect(streamUrl(await res.text())).toBe("wss://calls.agency.co.il/ws/twilio-media");
    });

    test("signature over the internal URL is rejected behind a proxy", async () => {
      const req = signedTwilioPost("http://10.0.0.5:3000/twilio/voice", voiceParams("CA_proxy_bad"), {
        headers: { "x-forwarded-proto": "https", "x-forwarded-host": "calls.agency.co.il" },
      });
      expect((await t.app.request(req)).status).toBe(403);
    });

    test("status callback updates status, duration and ended_at; never regresses", async () => {
      await t.app.request(signedTwilioPost(`${HOST}/twilio/voice`, voiceParams("CA_status")));
      let res = await t.app.request(signedTwilioPost(`${HOST}/twilio/status`, { CallSid: "CA_status", CallStatus: "in-progress" }));
      expect(res.status).toBe(204);
      expect((await callRow("CA_status"))!.status).toBe("in_progress");
      expect((await callRow("CA_status"))!.answeredAt).toBeInstanceOf(Date);
      res = await t.app.request(
        signedTwilioPost(`${HOST}/twilio/status`, { CallSid: "CA_status", CallStatus: "completed", CallDuration: "42" }),
      );
      expect(res.status).toBe(204);
      const done = (await callRow("CA_status"))!;
      expect(done.status).toBe("completed");
      expect(done.durationSec).toBe(42);
      expect(done.endedAt).toBeInstanceOf(Date);
      // A late, out-of-order "ringing" must not reopen the call.
      await t.app.request(signedTwilioPost(`${HOST}/twilio/status`, { CallSid: "CA_status", CallStatus: "ringing" }));
      expect((await callRow("CA_status"))!.status).toBe("completed");
      expect(t.events.some((e) => e.type === "call.ended" && e.callId === done.id)).toBe(true);
    });

    test("status callback for an unknown CallSid is accepted without a crash", async () => {
      const res = await t.app.request(signedTwilioPost(`${HOST}/twilio/status`, { CallSid: "CA_nope", CallStatus: "completed" }));
      expect(res.status).toBe(204);
      expect(await callRow("CA_nope")).toBeUndefined();
    });

    test("forged status callback → 403, status unchanged", async () => {
      await t.app.request(signedTwilioPost(`${HOST}/twilio/voice`, voiceParams("CA_status_forged")));
      const res = await t.app.request(
        signedTwilioPost(`${HOST}/twilio/status`, { CallSid: "CA_status_forged", CallStatus: "completed" }, { token: "wrong-token-123" }),
      );
      expect(res.status).toBe(403);
      expect((await callRow("CA_status_forged"))!.status).toBe("ringing");
    });

    test("stream status (and /stream_ended) store the stream state", async () => {
      await t.app.request(signedTwilioPost(`${HOST}/twilio/voice`, voiceParams("CA_stream")));
      let res = await t.app.request(
        signedTwilioPost(`${HOST}/twilio/stream-status`, { CallSid: "CA_stream", StreamSid: "MZ123", StreamEvent: "stream-started" }),
      );
      expect(res.status).toBe(204);
      expect((await callRow("CA_stream"))!.streamSid).toBe("MZ123");
      res = await t.app.request(
        signedTwilioPost(`${HOST}/stream_ended`, {
          CallSid: "CA_stream",
          StreamSid: "MZ123",
          StreamEvent: "stream-error",
          StreamError: "connection lost",
        }),
      );
      expect(res.status).toBe(204);
      expect((await callRow("CA_stream"))!.streamStatus).toBe("stream-error: connection lost");
    });

    test("recording callback stores the URL (also via /handle_recording)", async () => {
      await t.app.request(signedTwilioPost(`${HOST}/twilio/voice`, voiceParams("CA_rec")));
      const params = {
        CallSid: "CA_rec",
        RecordingSid: "RE123",
        RecordingUrl: "https://api.twilio.com/2010-04-01/Accounts/AC0/Recordings/RE123",
        RecordingDuration: "17",
        RecordingStatus: "completed",
      };
      const res = await t.app.request(signedTwilioPost(`${HOST}/handle_recording`, params));
      expect(res.status).toBe(204);
      const row = (await callRow("CA_rec"))!;
      expect(row.recordingUrl).toBe(params.RecordingUrl);
      expect(row.recordingSid).toBe("RE123");
      expect(row.recordingDurationSec).toBe(17);
    });

    test("fallback TwiML: Record → Play fallback → Hangup, with an action so it never loops", async () => {
      const res = await t.app.request(signedTwilioPost(`${HOST}/twilio/fallback`, { CallSid: "CA_fb" }));
      expect(res.status).toBe(200);
      const xml = await res.text();
      const rec = xml.indexOf("<Record");
      const play = xml.indexOf("<Play>https://kesher.example.com/static/fallback_he.mp3</Play>");
      const hang = xml.indexOf("<Hangup/>");
      expect(rec).toBeGreaterThan(-1);
      expect(play).toBeGreaterThan(rec);
      expect(hang).toBeGreaterThan(play);
      expect(xml).toContain('action="https://kesher.example.com/twilio/fallback?step=recorded"');
      expect(xml).toContain('recordingStatusCallback="https://kesher.example.com/twilio/recording"');
      const after = await t.app.request(signedTwilioPost(`${HOST}/twilio/fallback?step=recorded`, { CallSid: "CA_fb" }));
      const afterXml = await after.text();
      expect(afterXml).not.toContain("<Record");
      expect(afterXml).toContain("<Hangup/>");
    });

    test("Direct Record mode answers with Record TwiML instead of a stream", async () => {
      const [b] = await t.db.db.select().from(businesses).where(eq(businesses.id, t.businessId));
      await t.db.db.update(businesses).set({ settings: { ...b!.settings, callMode: "record" } }).where(eq(businesses.id, t.businessId));
      try {
        const res = await t.app.request(signedTwilioPost(`${HOST}/twilio/voice`, voiceParams("CA_direct")));
        const xml = await res.text();
        expect(xml).toContain("<Record");
        expect(xml).not.toContain("<Stream");
        expect((await callRow("CA_direct"))!.mode).toBe("record");
      } finally {
        await t.db.db.update(businesses).set({ settings: b!.settings }).where(eq(businesses.id, t.businessId));
      }
    });

    test("/health reports the database", async () => {
      const res = await t.app.request("/health");
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ok: true, db: kind, version: "test" });
    });
  });
}

describe("signature check switched off (development only)", () => {
  test("unsigned webhooks are accepted when TWILIO_SIGNATURE_CHECK=off", async () => {
    const t = await createTestApp("pglite", { TWILIO_SIGNATURE_CHECK: "off" });
    try {
      const res = await t.app.request(signedTwilioPost(`${HOST}/twilio/voice`, voiceParams("CA_dev"), { signature: null }));
      expect(res.status).toBe(200);
    } finally {
      await t.close();
    }
  });

  test("PUBLIC_BASE_URL wins over request headers", async () => {
    const t = await createTestApp("pglite", { PUBLIC_BASE_URL: "https://public.kesher.co.il/" });
    try {
      const req = signedTwilioPost("https://public.kesher.co.il/twilio/voice", voiceParams("CA_pub"), {
        requestUrl: "http://127.0.0.1:3000/twilio/voice",
        headers: { "x-forwarded-host": "evil.example.com" },
      });
      const res = await t.app.request(req);
      expect(res.status).toBe(200);
      expect(streamUrl(await res.text())).toBe("wss://public.kesher.co.il/ws/twilio-media");
    } finally {
      await t.close();
    }
  });
});

describe("health when the database is gone", () => {
  test("503 with db unreachable", async () => {
    const t = await createTestApp("pglite");
    await t.db.close();
    const res = await t.app.request("/health");
    expect(res.status).toBe(503);
    expect(((await res.json()) as { db: string }).db).toBe("unreachable");
  });
});

describe("static prompts", () => {
  test("greeting and fallback are real MP3 audio", async () => {
    const t = await createTestApp("pglite");
    try {
      for (const name of ["greeting_he.mp3", "fallback_he.mp3"]) {
        const res = await t.app.request(`/static/${name}`);
        expect(res.status).toBe(200);
        expect(res.headers.get("content-type")).toBe("audio/mpeg");
        const bytes = new Uint8Array(await res.arrayBuffer());
        expect(bytes.length).toBeGreaterThan(5000);
        // MPEG audio frame sync: 11 set bits.
        expect(bytes[0]).toBe(0xff);
        expect(bytes[1]! & 0xe0).toBe(0xe0);
      }
      expect((await t.app.request("/static/other.mp3")).status).toBe(404);
    } finally {
      await t.close();
    }
  });
});
