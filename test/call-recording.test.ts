/**
 * GET /recordings/:callId relays the Twilio recording with the account's
 * Basic auth (a local double of Twilio's media endpoint checks it), scoped to
 * the caller's business and the calls permission.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { callLogs } from "../db/schema";
import { recordingFetchUrl } from "../api/services/calls/open-call-recording";
import { createTestApp, TEST_AUTH_TOKEN, type TTestApp } from "./helpers/app";
import { DB_KINDS } from "./helpers/db";
import { adminClient, createTenant, TEST_ORIGIN } from "./helpers/trpc";

const ACCOUNT = "AC0123456789abcdef0123456789abcdef";
const MP3 = new Uint8Array([0x49, 0x44, 0x33, 0x04, 0, 0, 0, 0, 0, 0, 0xff, 0xfb, 0x90, 0x64, 1, 2, 3, 4]);

for (const kind of DB_KINDS) {
  describe(`call recording relay [${kind}]`, () => {
    let t: TTestApp;
    let twilioMedia: ReturnType<typeof Bun.serve>;
    const seen: { path: string; auth: string | null }[] = [];
    let callId = "";
    let bareCallId = "";
    let cookie = "";

    beforeAll(async () => {
      twilioMedia = Bun.serve({
        hostname: "127.0.0.1",
        port: 0,
        fetch(req) {
          const url = new URL(req.url);
          seen.push({ path: url.pathname, auth: req.headers.get("authorization") });
          if (req.headers.get("authorization") !== `Basic ${btoa(`${ACCOUNT}:${TEST_AUTH_TOKEN}`)}`) return Response.json({ code: 20003, message: "Authenticate" }, { status: 401 });
          if (url.pathname === `/2010-04-01/Accounts/${ACCOUNT}/Recordings/RE0001.mp3`) return new Response(MP3, { headers: { "content-type": "audio/mpeg" } });
          return Response.json({ code: 20404, message: "not found" }, { status: 404 });
        },
      });
      t = await createTestApp(kind, { TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_API_BASE_URL: `http://127.0.0.1:${twilioMedia.port}` });
      const [withRec] = await t.db.db
        .insert(callLogs)
        .values({ businessId: t.businessId, callSid: "CArec0001", status: "completed", recordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT}/Recordings/RE0001`, recordingSid: "RE0001" })
        .returning({ id: callLogs.id });
      const [bare] = await t.db.db.insert(callLogs).values({ businessId: t.businessId, callSid: "CArec0002", status: "completed" }).returning({ id: callLogs.id });
      callId = withRec!.id;
      bareCallId = bare!.id;
      cookie = (await adminClient(t)).jar.cookie!;
    }, 60_000);
    afterAll(async () => {
      await t?.close();
      twilioMedia?.stop(true);
    });

    const get = (id: string, c?: string) => t.app.request(`${TEST_ORIGIN}/recordings/${id}`, { headers: c ? { cookie: c } : {} });

    test("the logged-in staff member gets the MP3; Twilio saw the account's Basic auth", async () => {
      const res = await get(callId, cookie);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("audio/mpeg");
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(MP3);
      expect(seen.at(-1)).toMatchObject({ path: `/2010-04-01/Accounts/${ACCOUNT}/Recordings/RE0001.mp3` });
    });

    test("no session → 401, other business → 404, no recording → 404 (Hebrew), Twilio not asked", async () => {
      const before = seen.length;
      expect((await get(callId)).status).toBe(401);
      const other = await createTenant(t, { permissions: ["calls"] });
      const foreign = await get(callId, other.jar.cookie!);
      expect(foreign.status).toBe(404);
      const none = await get(bareCallId, cookie);
      expect(none.status).toBe(404);
      expect(((await none.json()) as { error: { message: string } }).error.message).toBe("אין הקלטה לשיחה זו");
      const noPerm = await createTenant(t, { permissions: ["customers"], businessId: t.businessId });
      expect((await get(callId, noPerm.jar.cookie!)).status).toBe(403);
      expect(seen.length).toBe(before);
    });

    test("only Twilio hosts are fetched, never an arbitrary stored URL", () => {
      expect(() => recordingFetchUrl("https://evil.example.com/x", undefined)).toThrow();
      expect(() => recordingFetchUrl("http://api.twilio.com/x", undefined)).toThrow();
      expect(recordingFetchUrl("https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1", undefined).toString()).toBe(
        "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1.mp3",
      );
    });
  });
}
