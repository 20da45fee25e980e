/**
 * The OpenAI Realtime engine rig (test/realtime-engine*.test.ts): a simulated
 * Twilio phone (real-time playback, echoed marks, clear) ↔ the engine session
 * ↔ the real `openai` SDK Realtime WebSocket class ↔ the local TLS Realtime
 * double; a real seeded database; the Twilio REST double for transfers and
 * the watchdog redirect.
 */
import { asc, eq } from "drizzle-orm";
import OpenAI from "openai";
import { createCallServices, type TCallServices } from "../../api/runtime/call-services";
import { registerIncomingCall } from "../../api/services/calls/register-incoming-call";
import { pcm16ToMulaw } from "../../core/conversation/audio/mulaw";
import { createLocalTts } from "../../core/conversation/providers/tts/local";
import { createVoicePrompts, type TVoicePrompts } from "../../core/conversation/voice-prompts";
import { createLogger } from "../../core/kernel/logger";
import { businesses, conversationTurns } from "../../db/schema";
import { DEMO_BUSINESS } from "../../db/seed/seed-demo";
import type { TCallSession } from "../../realtime/call-session";
import { createEngineSession } from "../../realtime/engines/engine-session";
import { createRealtimeSession, type TRealtimeEngineOptions } from "../../realtime/engines/realtime-session";
import { createSimPhone, type TSimPhone } from "../../realtime/tools/sim-phone";
import { startRealtimeDouble, type TRealtimeConn, type TRealtimeDouble } from "../doubles/openai-realtime-double";
import { startTwilioRestDouble, type TTwilioRestDouble } from "../doubles/twilio-rest";
import { createTestDb, type TDbKind, type TTestDb } from "./db";
import { hintStt, scriptedAgent, toneTts } from "./voice-doubles";
import { waitFor } from "./wait-for";

export const log = createLogger((process.env.TEST_LOG as "info") ?? "silent");
export const ORIGIN = "https://kesher.example.com";
export const NOW = () => new Date("2026-11-25T10:00:00Z");

/** μ-law tone of `ms` milliseconds. */
export const tone = (ms: number, period = 4) => pcm16ToMulaw(Int16Array.from({ length: ms * 8 }, (_, i) => Math.round(Math.sin(i / period) * 6000)));
export const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) (out.set(p, o), (o += p.length));
  return out;
};

export interface TRig {
  session: TCallSession;
  phone: TSimPhone;
  conn: TRealtimeConn;
  callSid: string;
  callId: string;
  /** Ordered log: what the phone sent (marks) and what Kesher sent (media/clear), synchronously. */
  wire: Array<{ dir: "in" | "out"; msg: { event: string; media?: { payload: string }; mark?: { name: string } } }>;
  end(): Promise<void>;
}

export interface TRealtimeRig {
  db: TTestDb;
  rt: TRealtimeDouble;
  twilio: TTwilioRestDouble;
  services: TCallServices;
  businessId: string;
  /** Short tone greetings (the pipeline TTS is not used by this engine). */
  prompts: TVoicePrompts;
  /** Place a call on the realtime engine; resolves once the upstream socket got its session.update. */
  dial(voice?: TVoicePrompts, engineOptions?: Partial<TRealtimeEngineOptions>, beforeStart?: () => Promise<void>): Promise<TRig>;
  turnsOf(callId: string): Promise<(typeof conversationTurns.$inferSelect)[]>;
  /** Every μ-law byte Kesher sent the phone. */
  outMedia(r: TRig): Uint8Array;
  close(): Promise<void>;
}

export async function startRealtimeRig(kind: TDbKind): Promise<TRealtimeRig> {
  // A short greeting keeps the tests quick.
  const prompts = createVoicePrompts({ tts: toneTts({ msPerChar: 4 }), fallbackTts: createLocalTts(), log });
  await prompts.warm();
  const db = await createTestDb(kind, { seeded: true });
  const businessId = (await db.db.select({ id: businesses.id }).from(businesses).where(eq(businesses.slug, DEMO_BUSINESS.slug)))[0]!.id;
  const rt = await startRealtimeDouble({ apiKey: "sk-rt" });
  const twilio = await startTwilioRestDouble({ authToken: "rt_auth_token_0123456789" });
  const services = createCallServices({
    db: db.db,
    log,
    config: { twilio: { accountSid: twilio.accountSid, authToken: twilio.authToken, apiBaseUrl: twilio.baseUrl, signatureCheck: true }, openai: { apiKey: undefined, baseUrl: undefined }, publicBaseUrl: ORIGIN },
    openai: null,
    now: NOW,
    watchdog: { startTimeoutMs: 60_000, mediaGapMs: 60_000, checkEveryMs: 50 },
  });

  const dial = async (voice: TVoicePrompts = prompts, engineOptions: Partial<TRealtimeEngineOptions> = {}, beforeStart?: () => Promise<void>): Promise<TRig> => {
    const callSid = `CA${crypto.randomUUID().replace(/-/g, "")}`;
    const reg = await registerIncomingCall(db.db, { callSid, from: `+97254${Math.floor(1_000_000 + Math.random() * 8_999_999)}`, to: null });
    const client = new OpenAI({ apiKey: "sk-rt", baseURL: rt.baseURL, maxRetries: 0 });
    const before = rt.connections.length;
    const wire: TRig["wire"] = [];
    let phone!: TSimPhone;
    const session = createEngineSession(
      { services, defaultEngine: "pipeline", createRealtime: (d, hooks) => createRealtimeSession(d, { client, wsOptions: { ca: rt.ca }, now: NOW, ...engineOptions }, hooks) },
      {
        providers: { stt: hintStt(), tts: toneTts(), agent: scriptedAgent(["לא בשימוש"]) },
        prompts: voice,
        db: db.db,
        log,
        send: (m) => {
          wire.push({ dir: "out", msg: JSON.parse(m) });
          queueMicrotask(() => phone.receive(m));
        },
        hangup: () => {},
      },
    );
    phone = createSimPhone({
      callSid,
      send: (m) => {
        const msg = JSON.parse(m);
        if (msg.event === "mark") wire.push({ dir: "in", msg });
        session.handle(m);
      },
    });
    await beforeStart?.();
    phone.start({ callSid, callId: reg.callId, businessId: reg.business.id, caller: "+972541234567", engine: "realtime", origin: ORIGIN });
    const conn = await waitFor(() => rt.connections[before], "upstream connection", 5000);
    await waitFor(() => conn.received.some((e) => e.type === "session.update"), "session.update", 5000);
    return {
      session,
      phone,
      conn,
      callSid,
      callId: reg.callId,
      wire,
      async end() {
        phone.stop();
        await session.end("stop");
      },
    };
  };
  const turnsOf = (callId: string) => db.db.select().from(conversationTurns).where(eq(conversationTurns.callId, callId)).orderBy(asc(conversationTurns.seq));
  const outMedia = (r: TRig) => concat(r.wire.filter((w) => w.dir === "out" && w.msg.event === "media").map((w) => new Uint8Array(Buffer.from(w.msg.media!.payload, "base64"))));

  return {
    db,
    rt,
    twilio,
    services,
    businessId,
    prompts,
    dial,
    turnsOf,
    outMedia,
    async close() {
      services.close();
      await rt.close();
      await twilio.close();
      await db.destroy();
    },
  };
}
