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
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { connect } from "node:net";
import { count, eq } from "drizzle-orm";
import twilio from "twilio";
import { createApp } from "../../api/app";
import { createLogger } from "../../core/kernel/logger";
import { mintStreamToken } from "../../core/kernel/stream-token";
import { callLogs, conversationTurns, customers, tasks } from "../../db/schema";
import { createCallServices, type TCallServices } from "../../api/runtime/call-services";
import { engineSessionFactory } from "../../realtime/engines/engine-session";
import { createSimulatorStt } from "../../core/conversation/providers/stt/local";
import { createLocalTts } from "../../core/conversation/providers/tts/local";
import { createMediaServer, type TMediaServer, type TSocketData } from "../../realtime/server";
import { createStreamAuth } from "../../realtime/stream-auth";
import { createVoicePrompts } from "../../core/conversation/voice-prompts";
import { startTwilioRestDouble, type TTwilioRestDouble } from "../doubles/twilio-rest";
import { createTestApp, TEST_AUTH_TOKEN, type TTestApp } from "../helpers/app";
import { DB_KINDS } from "../helpers/db";
import { signedUpgradeHeaders } from "../helpers/signed-stream";
import { scriptedAgent, toneTts } from "../helpers/voice-doubles";
import { waitFor } from "../helpers/wait-for";
import { mediaThenApp } from "../../api/runtime/serve";

const log = createLogger(process.env.TEST_LOG ?? "silent");
const SHARED_KEY = "shared_key_secret_0123456789";
const ATTACKER = "https://attacker.invalid";
const VICTIM_NAME = "רונית שמעוני";
const VICTIM_PHONE = "+972541117777";
const sid = (p: string) => `${p}${crypto.randomUUID().replace(/-/g, "")}`;

/** Raw HTTP/1.1 upgrade; resolves with the status code of the answer. */
function rawUpgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const sock = connect(Number(u.port), u.hostname, () => {
      const lines = [
        `GET ${u.pathname} HTTP/1.1`,
        `Host: ${u.host}`,
        "Upgrade: websocket",
        "Connection: Upgrade",
        `Sec-WebSocket-Key: ${Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64")}`,
        "Sec-WebSocket-Version: 13",
        ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
      ];
      sock.write(`${lines.join("\r\n")}\r\n\r\n`);
    });
    let buf = "";
    sock.on("data", (d) => {
      buf += d.toString();
      const m = /^HTTP\/1\.1 (\d{3})/.exec(buf);
      if (m) {
        sock.destroy();
        resolve(Number(m[1]));
      }
    });
    sock.on("error", reject);
  });
}

const startMsg = (callSid: string, streamSid: string, params: Record<string, string>) =>
  JSON.stringify({ event: "start", sequenceNumber: "1", streamSid, start: { streamSid, callSid, accountSid: `AC${"0".repeat(32)}`, tracks: ["inbound"], customParameters: params, mediaFormat: { encoding: "audio/x-mulaw", sampleRate: 8000, channels: 1 } } });
const mediaMsg = (streamSid: string, chunk: number) =>
  JSON.stringify({ event: "media", streamSid, media: { track: "inbound", chunk: String(chunk), timestamp: String(chunk * 20), payload: Buffer.from(new Uint8Array(160).fill(0xff)).toString("base64") } });
const dtmfMsg = (streamSid: string, digit: string) => JSON.stringify({ event: "dtmf", streamSid, dtmf: { track: "inbound_track", digit } });

for (const kind of DB_KINDS) {
  describe(`security: media stream authentication (${kind})`, () => {
    let rest: TTwilioRestDouble;
    let t: TTestApp;
    let services: TCallServices;
    let media: TMediaServer;
    let server: ReturnType<typeof Bun.serve<TSocketData>>;
    let base = "";
    let wsUrl = "";
    // The stream checks' clock, moved forward to expire tokens.
    let skewMs = 0;
    let refused = 0;
    let attempts = 0;

    beforeAll(async () => {
      rest = await startTwilioRestDouble({ authToken: TEST_AUTH_TOKEN });
      // No PUBLIC_BASE_URL: the origin is derived per request, as on a default install. Speech recognition
      // configured (so calls are answered with a stream), VOICE_SIMULATOR off, as in production.
      t = await createTestApp(kind, { TWILIO_ACCOUNT_SID: rest.accountSid, TWILIO_API_BASE_URL: rest.baseUrl, OPENAI_API_KEY: "sk-test", STT_PROVIDER: "openai" });
      await t.db.db.insert(customers).values({ businessId: t.businessId, phone: VICTIM_PHONE, fullName: VICTIM_NAME, source: "call", notes: "מחפשת פנטהאוז בתל אביב, תקציב 6 מיליון" });
      services = createCallServices({ db: t.db.db, log, events: t.deps.events, config: t.deps.config, openai: null, watchdog: { startTimeoutMs: 600_000, mediaGapMs: 600_000, checkEveryMs: 1000 } });
      t.deps.log = log;
      const app = createApp(t.deps, { onStreamAnswered: (c) => services.rememberOrigin(c.callSid, c.origin) });
      const prompts = createVoicePrompts({ tts: toneTts(), fallbackTts: createLocalTts(), log });
      await prompts.warm();
      media = createMediaServer({
        log,
        db: t.db.db,
        events: t.deps.events,
        // In-process providers (no network): the simulator STT hears only a script, and only if one gets through.
        providers: { stt: createSimulatorStt({ log }), tts: toneTts(), agent: scriptedAgent([`שלום ${VICTIM_NAME}, ראיתי שאת מחפשת פנטהאוז.`]) },
        prompts,
        createSession: engineSessionFactory({ services, defaultEngine: "pipeline", dtmfIdleMs: 50 }),
        auth: createStreamAuth({ db: t.db.db, log, authToken: TEST_AUTH_TOKEN, sharedKeySecret: SHARED_KEY, signatureCheck: true, simulator: false, now: () => Date.now() + skewMs }),
      });
      server = Bun.serve<TSocketData>({
        hostname: "127.0.0.1",
        port: 0,
        fetch: mediaThenApp(app, media),
        websocket: media.websocket,
      });
      base = `http://127.0.0.1:${server.port}`;
      wsUrl = `ws://127.0.0.1:${server.port}/ws/twilio-media`;
    }, 300_000);

    afterAll(async () => {
      await media?.closeAll("test end");
      await server?.stop(true);
      services?.close();
      await rest?.close();
      await t?.close();
    });

    /** A real caller: the signed voice webhook, as Twilio posts it. */
    const ring = async (from = "+972541230000") => {
      const callSid = sid("CA");
      const url = `${base}/twilio/voice`;
      const params = { CallSid: callSid, AccountSid: rest.accountSid, From: from, To: "+97235550100", CallStatus: "ringing" };
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": twilio.getExpectedTwilioSignature(TEST_AUTH_TOKEN, url, params) }, body: new URLSearchParams(params) });
      expect(res.status).toBe(200);
      const xml = await res.text();
      const streamUrl = /<Stream[^>]*\burl="([^"]+)"/.exec(xml)![1]!;
      const p = Object.fromEntries([...xml.matchAll(/<Parameter name="([^"]+)" value="([^"]*)"\/>/g)].map((m) => [m[1]!, m[2]!]));
      return { callSid, streamUrl, params: p as Record<string, string> };
    };

    const snapshot = async () => {
      const n = async (table: typeof callLogs | typeof customers | typeof conversationTurns | typeof tasks) => (await t.db.db.select({ n: count() }).from(table))[0]!.n;
      return { calls: await n(callLogs), customers: await n(customers), turns: await n(conversationTurns), tasks: await n(tasks), restRequests: rest.callUpdates.length };
    };
    const callRow = async (callSid: string) => (await t.db.db.select().from(callLogs).where(eq(callLogs.callSid, callSid)))[0];

    /**
     * One forged stream with a replayed (valid) upgrade signature: the start, then (if it was
     * let in) media and DTMF 0. Resolves with the close code and what the stranger received.
     */
    const forgedStream = async (callSid: string, params: Record<string, string>) => {
      attempts++;
      const ws = new WebSocket(wsUrl, { headers: signedUpgradeHeaders(wsUrl) } as unknown as string[]);
      const received: string[] = [];
      ws.onmessage = (m) => received.push(String(m.data));
      let code = 0;
      const closed = new Promise<void>((resolve) => (ws.onclose = (e) => ((code = e.code), resolve())));
      await new Promise<void>((resolve, reject) => {
        ws.onopen = () => resolve();
        ws.onerror = () => reject(new Error("upgrade failed"));
      });
      const streamSid = sid("MZ");
      ws.send(JSON.stringify({ event: "connected", protocol: "Call", version: "1.0.0" }));
      ws.send(startMsg(callSid, streamSid, params));
      for (let i = 1; i <= 10; i++) ws.send(mediaMsg(streamSid, i));
      ws.send(dtmfMsg(streamSid, "0"));
      await Promise.race([closed, Bun.sleep(3000)]);
      if (code === 0) ws.close();
      await closed;
      // Whatever a session would have written is flushed once it has ended.
      await media.closeAll("settle");
      if (code === 1008) refused++;
      return { code, media: received.filter((m) => m.includes('"media"')).length };
    };

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
          attempts++;
          const status = await rawUpgradeStatus(`${wsUrl.replace("/ws/twilio-media", "")}${path}`, headers);
          expect(status).toBe(403);
          refused++;
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
      skewMs = 3 * 60_000;
      expect((await forgedStream(victim.callSid, victim.params)).code).toBe(1008);
      skewMs = 0;
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
      console.log(`[media-stream security ${kind}] forged/unknown streams refused ${refused}/${attempts}`);
      expect(attempts).toBeGreaterThan(0);
      expect(refused).toBe(attempts);
    });
  });
}
