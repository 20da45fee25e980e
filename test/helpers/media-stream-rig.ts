/**
 * The media-stream attack rig (test/security/media-stream*.test.ts): a real
 * Bun server built as api/main.ts builds it — the Hono app (signed webhooks),
 * the media server with the engine session (watchdog, DTMF, transfer, Record
 * redirect), the real Twilio SDK against the local Twilio REST double, a real
 * database holding one known caller (the victim) — and the attacker's tools:
 * raw upgrades, forged streams, and counts of what was refused.
 */
import { expect } from "bun:test";
import { connect } from "node:net";
import { count, eq } from "drizzle-orm";
import twilio from "twilio";
import { createApp } from "../../api/app";
import { createCallServices, type TCallServices } from "../../api/runtime/call-services";
import { mediaThenApp } from "../../api/runtime/serve";
import { createSimulatorStt } from "../../core/conversation/providers/stt/local";
import { createLocalTts } from "../../core/conversation/providers/tts/local";
import { createVoicePrompts } from "../../core/conversation/voice-prompts";
import { createLogger } from "../../core/kernel/logger";
import { callLogs, conversationTurns, customers, tasks } from "../../db/schema";
import { engineSessionFactory } from "../../realtime/engines/engine-session";
import { createMediaServer, type TMediaServer, type TSocketData } from "../../realtime/server";
import { createStreamAuth } from "../../realtime/stream-auth";
import { startTwilioRestDouble, type TTwilioRestDouble } from "../doubles/twilio-rest";
import { createTestApp, TEST_AUTH_TOKEN, type TTestApp } from "./app";
import type { TDbKind } from "./db";
import { signedUpgradeHeaders } from "./signed-stream";
import { scriptedAgent, toneTts } from "./voice-doubles";

export const log = createLogger(process.env.TEST_LOG ?? "silent");
export const SHARED_KEY = "shared_key_secret_0123456789";
export const ATTACKER = "https://attacker.invalid";
export const VICTIM_NAME = "רונית שמעוני";
export const VICTIM_PHONE = "+972541117777";
export const sid = (p: string) => `${p}${crypto.randomUUID().replace(/-/g, "")}`;

/** Raw HTTP/1.1 upgrade; resolves with the status code of the answer. */
export function rawUpgradeStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
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

export const startMsg = (callSid: string, streamSid: string, params: Record<string, string>) =>
  JSON.stringify({ event: "start", sequenceNumber: "1", streamSid, start: { streamSid, callSid, accountSid: `AC${"0".repeat(32)}`, tracks: ["inbound"], customParameters: params, mediaFormat: { encoding: "audio/x-mulaw", sampleRate: 8000, channels: 1 } } });
export const mediaMsg = (streamSid: string, chunk: number) =>
  JSON.stringify({ event: "media", streamSid, media: { track: "inbound", chunk: String(chunk), timestamp: String(chunk * 20), payload: Buffer.from(new Uint8Array(160).fill(0xff)).toString("base64") } });
export const dtmfMsg = (streamSid: string, digit: string) => JSON.stringify({ event: "dtmf", streamSid, dtmf: { track: "inbound_track", digit } });


export interface TMediaStreamRig {
  t: TTestApp;
  rest: TTwilioRestDouble;
  media: TMediaServer;
  base: string;
  wsUrl: string;
  /** The stream checks' clock offset, moved forward to expire tokens. */
  skewMs: number;
  /** Forged attempts made and refused (for the report). */
  attempts: number;
  refused: number;
  /** A real caller: the signed voice webhook, as Twilio posts it. */
  ring(from?: string): Promise<{ callSid: string; streamUrl: string; params: Record<string, string> }>;
  /** Row counts of calls, customers, turns and tasks, and the Twilio REST requests so far. */
  snapshot(): Promise<{ calls: number; customers: number; turns: number; tasks: number; restRequests: number }>;
  callRow(callSid: string): Promise<typeof callLogs.$inferSelect | undefined>;
  /** One forged stream with a replayed (valid) upgrade signature; the close code and media frames received. */
  forgedStream(callSid: string, params: Record<string, string>): Promise<{ code: number; media: number }>;
  close(): Promise<void>;
}

export async function startMediaStreamRig(kind: TDbKind): Promise<TMediaStreamRig> {
  let rest: TTwilioRestDouble;
  let t: TTestApp;
  let services: TCallServices;
  let media: TMediaServer;
  let server: ReturnType<typeof Bun.serve<TSocketData>>;
  let base = "";
  let wsUrl = "";
  const rig = { skewMs: 0, attempts: 0, refused: 0 } as TMediaStreamRig;

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
    auth: createStreamAuth({ db: t.db.db, log, authToken: TEST_AUTH_TOKEN, sharedKeySecret: SHARED_KEY, signatureCheck: true, simulator: false, now: () => Date.now() + rig.skewMs }),
  });
  server = Bun.serve<TSocketData>({
    hostname: "127.0.0.1",
    port: 0,
    fetch: mediaThenApp(app, media),
    websocket: media.websocket,
  });
  base = `http://127.0.0.1:${server.port}`;
  wsUrl = `ws://127.0.0.1:${server.port}/ws/twilio-media`;


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
    rig.attempts++;
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
    if (code === 1008) rig.refused++;
    return { code, media: received.filter((m) => m.includes('"media"')).length };
  };

  return Object.assign(rig, {
    t,
    rest,
    media,
    base,
    wsUrl,
    ring,
    snapshot,
    callRow,
    forgedStream,
    async close() {
      await media?.closeAll("test end");
      await server?.stop(true);
      services?.close();
      await rest?.close();
      await t?.close();
    },
  });
}
