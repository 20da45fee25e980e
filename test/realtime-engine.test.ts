/**
 * The OpenAI Realtime engine end to end: a simulated Twilio phone (real-time
 * playback, echoed marks, clear) ↔ the engine session ↔ the real `openai`
 * SDK Realtime WebSocket class ↔ the local TLS Realtime double; real database
 * (PGlite, and PostgreSQL when DATABASE_URL is set); Twilio REST double for
 * transfers and the watchdog redirect.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, asc, eq, sql } from "drizzle-orm";
import OpenAI from "openai";
import { createLogger } from "../core/kernel/logger";
import { registerIncomingCall } from "../api/services/calls/register-incoming-call";
import { appointmentRequests, callLogs, conversationTurns, properties } from "../db/schema";
import { seedDemo } from "../db/seed/seed-demo";
import { pcm16ToMulaw } from "../core/conversation/audio/mulaw";
import { createCallServices, type TCallServices } from "../api/runtime/call-services";
import { createEngineSession } from "../realtime/engines/engine-session";
import { createRealtimeSession, truncateTranscript, type TRealtimeEngineOptions } from "../realtime/engines/realtime-session";
import { createLocalTts } from "../core/conversation/providers/tts/local";
import { createSimPhone, type TSimPhone } from "../realtime/tools/sim-phone";
import { createVoicePrompts, type TVoicePrompts } from "../core/conversation/voice-prompts";
import { startRealtimeDouble, type TRealtimeConn, type TRealtimeDouble } from "./doubles/openai-realtime-double";
import { startTwilioRestDouble, type TTwilioRestDouble } from "./doubles/twilio-rest";
import { DB_KINDS, createTestDb, type TTestDb } from "./helpers/db";
import { hintStt, scriptedAgent, toneTts } from "./helpers/voice-doubles";
import { waitFor } from "./helpers/wait-for";
import type { TCallSession } from "../realtime/call-session";

const log = createLogger((process.env.TEST_LOG as "info") ?? "silent");
const ORIGIN = "https://kesher.example.com";
const NOW = () => new Date("2026-11-25T10:00:00Z");
let prompts: TVoicePrompts;

/** μ-law tone of `ms` milliseconds. */
const tone = (ms: number, period = 4) => pcm16ToMulaw(Int16Array.from({ length: ms * 8 }, (_, i) => Math.round(Math.sin(i / period) * 6000)));
const concat = (parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) (out.set(p, o), (o += p.length));
  return out;
};

beforeAll(async () => {
  // A short greeting keeps the tests quick; the pipeline TTS is not used by this engine.
  prompts = createVoicePrompts({ tts: toneTts({ msPerChar: 4 }), fallbackTts: createLocalTts(), log });
  await prompts.warm();
}, 30_000);

interface TRig {
  session: TCallSession;
  phone: TSimPhone;
  conn: TRealtimeConn;
  callSid: string;
  callId: string;
  /** Ordered log: what the phone sent (marks) and what Kesher sent (media/clear), synchronously. */
  wire: Array<{ dir: "in" | "out"; msg: { event: string; media?: { payload: string }; mark?: { name: string } } }>;
  end(): Promise<void>;
}

for (const kind of DB_KINDS) {
  describe(`OpenAI Realtime engine (${kind})`, () => {
    let db: TTestDb;
    let rt: TRealtimeDouble;
    let twilio: TTwilioRestDouble;
    let services: TCallServices;
    let businessId = "";

    beforeAll(async () => {
      db = await createTestDb(kind);
      businessId = (await seedDemo(db.db, { adminPassword: "demo-password-123" })).businessId!;
      rt = await startRealtimeDouble({ apiKey: "sk-rt" });
      twilio = await startTwilioRestDouble({ authToken: "rt_auth_token_0123456789" });
      services = createCallServices({
        db: db.db,
        log,
        config: { twilio: { accountSid: twilio.accountSid, authToken: twilio.authToken, apiBaseUrl: twilio.baseUrl, signatureCheck: true }, openai: { apiKey: undefined, baseUrl: undefined }, publicBaseUrl: ORIGIN },
        openai: null,
        now: NOW,
        watchdog: { startTimeoutMs: 60_000, mediaGapMs: 60_000, checkEveryMs: 50 },
      });
    }, 60_000);
    afterAll(async () => {
      services.close();
      await rt.close();
      await twilio.close();
      await db.destroy();
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

    test("session: pcmu both ways, Hebrew pinned, transcription on, VAD, the pipeline's tools; API key sent", async () => {
      const r = await dial();
      const upd = r.conn.received.find((e) => e.type === "session.update") as unknown as { session: { instructions: string; audio: { input: { format: { type: string }; transcription: { language: string }; turn_detection: { type: string } }; output: { format: { type: string } } }; tools: { name: string }[] } };
      expect(r.conn.authorization).toBe("Bearer sk-rt");
      expect(r.conn.url).toContain("model=gpt-realtime");
      expect(upd.session.audio.input.format.type).toBe("audio/pcmu");
      expect(upd.session.audio.output.format.type).toBe("audio/pcmu");
      expect(upd.session.audio.input.transcription.language).toBe("he");
      expect(upd.session.audio.input.turn_detection.type).toBe("semantic_vad");
      expect(upd.session.instructions).toContain("שי דירות ומשרדים");
      expect(upd.session.instructions).toContain("Hebrew");
      expect(upd.session.tools.map((t) => t.name).sort()).toEqual(["book_viewing", "create_callback_task", "create_or_update_lead", "end_call", "search_properties", "transfer_to_human"]);
      await r.end();
    });

    test("passthrough: caller μ-law bytes = bytes sent upstream (incl. those before the socket opened); model audio deltas → Twilio media", async () => {
      const r = await dial();
      const caller = tone(400, 7);
      await r.phone.say(caller);
      const reply = tone(600);
      await r.conn.respond({ audio: reply, transcript: "שלום, במה אפשר לעזור?" });
      await waitFor(() => r.wire.some((w) => w.dir === "in" && w.msg.mark?.name.startsWith("1:") && w.msg.mark.name.endsWith(":end")), "reply played", 8000);
      r.phone.stop();
      await r.session.end("stop");
      // Every inbound frame the phone sent went upstream unchanged and in order, 4 frames (80 ms) per append;
      // only the last, unfinished batch (< 4 frames) stays behind when the call ends.
      const inbound = r.session.stats.framesIn;
      const batches = Math.floor(inbound / 4);
      // The last batches may still be on the wire to the double.
      await waitFor(() => r.conn.audioIn.length >= batches, "all batches upstream", 3000);
      const up = concat(r.conn.audioIn);
      expect(r.conn.audioIn.length).toBe(batches);
      expect(r.conn.audioIn.every((a) => a.length === 640)).toBe(true);
      expect(up.length).toBe(batches * 640);
      const callerAt = Buffer.from(up).indexOf(Buffer.from(caller.subarray(0, 160)));
      expect(callerAt).toBeGreaterThanOrEqual(0);
      expect(Buffer.from(up.subarray(callerAt, callerAt + caller.length)).equals(Buffer.from(caller))).toBe(true);
      // Outbound: the cached greeting, then the model's audio, byte for byte.
      const greeting = prompts.greeting(undefined)!;
      const out = outMedia(r);
      expect(out.length).toBeGreaterThanOrEqual(reply.length);
      expect(Buffer.from(out.subarray(out.length - reply.length)).equals(Buffer.from(reply))).toBe(true);
      expect(out.length).toBe(reply.length + (prompts.greeting(r.callId)?.mulaw.length ?? greeting.mulaw.length));
      const turns = await turnsOf(r.callId);
      expect(turns.some((t) => t.speaker === "assistant" && t.text === "שלום, במה אפשר לעזור?" && !t.interrupted)).toBe(true);
    });

    test("barge-in: Twilio clear, response.cancel, truncate at the played ms from the marks; stored turn cut to what was heard", async () => {
      const r = await dial();
      await waitFor(() => r.wire.some((w) => w.dir === "in" && w.msg.mark?.name.startsWith("0:") && w.msg.mark.name.endsWith(":end")), "greeting played", 8000);
      const words = "יש לנו שלוש דירות מצוינות ברמת גן ואחת בגבעתיים שכדאי לשמוע עליהן עוד";
      const long = tone(3000);
      const replying = r.conn.respond({ audio: long, transcript: words, chunkBytes: 800, chunkDelayMs: 30 });
      // Let the caller hear part of it (a few marks come back), then speak over it.
      await waitFor(() => r.wire.filter((w) => w.dir === "in" && w.msg.mark?.name.startsWith("1:")).length >= 3, "part of the reply heard", 8000);
      r.conn.emit({ type: "input_audio_buffer.speech_started", audio_start_ms: 1000, item_id: "item_caller" });
      await waitFor(() => r.conn.received.some((e) => e.type === "conversation.item.truncate"), "truncate", 3000);
      await replying;
      const clearAt = r.wire.findIndex((w) => w.dir === "out" && w.msg.event === "clear");
      expect(clearAt).toBeGreaterThan(0);
      const heardMs = Math.max(
        ...r.wire
          .slice(0, clearAt)
          .filter((w) => w.dir === "in" && w.msg.mark?.name.startsWith("1:"))
          .map((w) => Number(w.msg.mark!.name.split(":")[1])),
      );
      const trunc = r.conn.received.find((e) => e.type === "conversation.item.truncate")!;
      expect(trunc.audio_end_ms).toBe(heardMs);
      expect(heardMs).toBeGreaterThan(0);
      expect(heardMs).toBeLessThan(3000);
      expect(trunc.content_index).toBe(0);
      expect(r.conn.received.some((e) => e.type === "response.cancel")).toBe(true);
      // The double accepted the truncation (it rejects positions beyond the audio it sent).
      expect(r.session.stats.bargeIns).toBe(1);
      await r.end();
      const turn = (await turnsOf(r.callId)).find((t) => t.speaker === "assistant" && t.interrupted);
      // Cut at a word boundary, in proportion to the audio heard out of the audio received so far.
      const heardWords = turn!.text.replace(/…$/, "").split(" ");
      expect(turn!.text.endsWith("…")).toBe(true);
      expect(heardWords.length).toBeGreaterThan(0);
      expect(heardWords.length).toBeLessThan(words.split(" ").length);
      expect(words.startsWith(heardWords.join(" "))).toBe(true);
    });

    test("barge-in during the greeting: it is a real assistant audio item with our id, and truncate lands on it (no item_not_found)", async () => {
      // A greeting long enough (~3.5 s) to speak over.
      const slow = createVoicePrompts({ tts: toneTts({ msPerChar: 40 }), fallbackTts: createLocalTts(), log });
      await slow.warm();
      const r = await dial(slow);
      const greeting = slow.greeting(undefined)!;
      const created = await waitFor(() => r.conn.received.find((e) => e.type === "conversation.item.create" && (e.item as { role?: string }).role === "assistant"), "greeting item", 3000);
      const item = created.item as { id: string; content: Array<{ type: string; audio: string; transcript: string }> };
      expect(item.id).toMatch(/^greet_[0-9a-f]{24}$/);
      expect(item.id.length).toBeLessThanOrEqual(32);
      expect(item.content[0]!.type).toBe("output_audio");
      expect(item.content[0]!.transcript).toBe(greeting.text);
      expect(Buffer.from(item.content[0]!.audio, "base64").equals(Buffer.from(greeting.mulaw))).toBe(true);
      // Part of the greeting heard (a mark came back), then the caller speaks over it.
      await waitFor(() => r.wire.some((w) => w.dir === "in" && w.msg.mark?.name.startsWith("0:") && !w.msg.mark.name.endsWith(":end")), "part of the greeting heard", 8000);
      r.conn.emit({ type: "input_audio_buffer.speech_started", audio_start_ms: 500, item_id: "item_caller" });
      const trunc = await waitFor(() => r.conn.received.find((e) => e.type === "conversation.item.truncate"), "truncate", 3000);
      expect(trunc.item_id).toBe(item.id);
      expect(Number(trunc.audio_end_ms)).toBeGreaterThan(0);
      expect(Number(trunc.audio_end_ms)).toBeLessThanOrEqual(greeting.mulaw.length / 8);
      // The double answers a truncate in the same tick it reads it: accepted, not item_not_found.
      await waitFor(() => r.session.stats.bargeIns === 1, "barge-in counted", 3000);
      expect(r.conn.errors).toEqual([]);
      expect(r.wire.some((w) => w.dir === "out" && w.msg.event === "clear")).toBe(true);
      await r.end();
    });

    test("a slow database does not hold the call: the socket is configured with the generic prompt, caller audio flows, the business prompt follows", async () => {
      // Hold the database (PGlite: its one connection; PostgreSQL: every row of call_logs) until released.
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      let blocker: Promise<void> = Promise.resolve();
      const hold = async () => {
        let locked!: () => void;
        const isLocked = new Promise<void>((r) => (locked = r));
        blocker = db.db.transaction(async (tx) => {
          await tx.execute(sql`select id from call_logs for update`);
          locked();
          await held;
        });
        await isLocked;
      };
      try {
        const r = await dial(prompts, { infoWaitMs: 100 }, hold);
        const first = r.conn.received.find((e) => e.type === "session.update") as unknown as { session: { instructions: string } };
        expect(first.session.instructions).not.toContain("שי דירות ומשרדים");
        await r.phone.say(tone(400));
        await waitFor(() => r.conn.audioIn.length >= 5, "caller audio upstream while the database is held", 3000);
        release();
        const second = await waitFor(() => r.conn.received.filter((e) => e.type === "session.update")[1] as unknown as { session: { instructions: string } } | undefined, "business prompt", 5000);
        expect(second.session.instructions).toContain("שי דירות ומשרדים");
        await r.end();
      } finally {
        release();
        await blocker;
      }
    });

    test("truncation math: words in proportion to the audio heard", () => {
      expect(truncateTranscript("אחת שתיים שלוש ארבע", 500, 1000)).toBe("אחת שתיים…");
      expect(truncateTranscript("אחת שתיים שלוש ארבע", 1000, 1000)).toBe("אחת שתיים שלוש ארבע");
      expect(truncateTranscript("אחת שתיים שלוש ארבע", 100, 1000)).toBe("");
    });

    test("tools: search_properties and book_viewing through function calls → rows, tool turns, outputs back to the model", async () => {
      const r = await dial();
      const [prop] = await db.db.select().from(properties).where(and(eq(properties.businessId, businessId), eq(properties.status, "available"))).limit(1);
      await r.conn.respond({ audio: tone(200), transcript: "בודקת.", functionCall: { name: "search_properties", arguments: { city: prop!.city } } });
      await waitFor(() => r.conn.received.some((e) => e.type === "conversation.item.create" && (e.item as { type: string }).type === "function_call_output"), "search output", 5000);
      const startsAt = "2026-11-26T12:00:00+02:00";
      await r.conn.respond({ audio: tone(200), transcript: "קובעת.", functionCall: { name: "book_viewing", arguments: { propertyId: prop!.id, startsAt, customerName: "דנה כהן" } } });
      const out = await waitFor(
        () => r.conn.received.filter((e) => e.type === "conversation.item.create" && (e.item as { type: string }).type === "function_call_output")[1],
        "booking output",
        5000,
      );
      expect(JSON.parse((out.item as { output: string }).output).booked).toBe(true);
      // After a plain tool the model is asked to speak again.
      expect(r.conn.received.filter((e) => e.type === "response.create").length).toBeGreaterThanOrEqual(2);
      const [appt] = await db.db.select().from(appointmentRequests).where(eq(appointmentRequests.callId, r.callId));
      expect(appt!.propertyId).toBe(prop!.id);
      expect(appt!.startsAt.toISOString()).toBe(new Date(startsAt).toISOString());
      await r.end();
      const tools = (await turnsOf(r.callId)).filter((t) => t.speaker === "tool");
      expect(tools.map((t) => t.toolName)).toEqual(["search_properties", "book_viewing"]);
      expect((tools[1]!.toolPayload as { result: { booked: boolean } }).result.booked).toBe(true);
    });

    test("transfer_to_human: the sentence plays, then the Twilio REST update with <Dial>", async () => {
      const r = await dial();
      await r.conn.respond({ audio: tone(300), transcript: "מעבירה אותך לנציג.", functionCall: { name: "transfer_to_human", arguments: { reason: "ביקש נציג" } } });
      const u = await waitFor(() => twilio.callUpdates.find((x) => x.callSid === r.callSid), "transfer REST call", 8000);
      // One announcement: the model's sentence; the TwiML only dials.
      expect(u.params.Twiml).not.toContain("<Say");
      expect(u.params.Twiml).toContain("<Number>+972501234567</Number>");
      // The announcement was heard before the transfer: its end mark came back first.
      expect(r.wire.some((w) => w.dir === "in" && w.msg.mark?.name.startsWith("1:") && w.msg.mark.name.endsWith(":end"))).toBe(true);
      await waitFor(async () => (await db.db.select().from(callLogs).where(eq(callLogs.id, r.callId)))[0]!.transferred, "call marked transferred", 3000);
      await r.end();
    });

    test("DTMF in the realtime engine: digits# → text to the model; 0 → transfer", async () => {
      const r = await dial();
      for (const d of ["4", "5", "0", "#"]) r.session.handle(JSON.stringify({ event: "dtmf", streamSid: "MZ", dtmf: { track: "inbound_track", digit: d } }));
      const item = await waitFor(() => r.conn.received.find((e) => e.type === "conversation.item.create" && (e.item as { role?: string }).role === "user"), "dtmf text", 3000);
      expect(JSON.stringify(item.item)).toContain('"text":"450"');
      r.session.handle(JSON.stringify({ event: "dtmf", streamSid: "MZ", dtmf: { track: "inbound_track", digit: "0" } }));
      const u = await waitFor(() => twilio.callUpdates.find((x) => x.callSid === r.callSid), "dtmf transfer", 3000);
      expect(u.params.Twiml).toContain("<Dial");
      await r.end();
    });

    test("provider refuses the connection (bad key): the greeting still plays and the call goes to the Record fallback", async () => {
      const callSid = `CA${crypto.randomUUID().replace(/-/g, "")}`;
      const reg = await registerIncomingCall(db.db, { callSid, from: "+972547779999", to: null });
      const client = new OpenAI({ apiKey: "sk-wrong", baseURL: rt.baseURL, maxRetries: 0 });
      const sent: string[] = [];
      const session = createEngineSession(
        { services, defaultEngine: "pipeline", createRealtime: (d, hooks) => createRealtimeSession(d, { client, wsOptions: { ca: rt.ca } }, hooks) },
        { providers: { stt: hintStt(), tts: toneTts(), agent: scriptedAgent(["-"]) }, prompts, db: db.db, log, send: (m) => sent.push(m) },
      );
      const phone = createSimPhone({ callSid, send: (m) => session.handle(m) });
      phone.start({ callSid, callId: reg.callId, businessId: reg.business.id, caller: "+972547779999", engine: "realtime" });
      expect(sent.some((m) => m.includes('"media"'))).toBe(true);
      const u = await waitFor(() => twilio.callUpdates.find((x) => x.callSid === callSid), "fallback redirect", 5000);
      expect(u.params.Url).toBe(`${ORIGIN}/twilio/fallback`);
      phone.stop();
      await session.end("stop");
      expect((await db.db.select().from(callLogs).where(eq(callLogs.id, reg.callId)))[0]!.engine).toBe("realtime");
    });

    test("provider fails mid-call: the apology plays, turns so far are kept, the call goes to the Record fallback", async () => {
      const r = await dial();
      r.conn.emit({ type: "conversation.item.input_audio_transcription.completed", item_id: "item_c1", content_index: 0, transcript: "אני מחפש משרד בתל אביב" });
      await r.conn.respond({ audio: tone(200), transcript: "איזה גודל?" });
      await waitFor(async () => (await turnsOf(r.callId)).some((t) => t.speaker === "caller"), "caller turn", 5000);
      r.conn.drop();
      const u = await waitFor(() => twilio.callUpdates.find((x) => x.callSid === r.callSid), "fallback redirect", 5000);
      expect(u.params.Url).toBe(`${ORIGIN}/twilio/fallback`);
      expect(r.session.stats.fallbacks).toBe(1);
      await r.end();
      const turns = await turnsOf(r.callId);
      expect(turns.find((t) => t.speaker === "caller")?.text).toBe("אני מחפש משרד בתל אביב");
      expect(turns.some((t) => t.speaker === "assistant" && t.text === "איזה גודל?")).toBe(true);
      const [call] = await db.db.select().from(callLogs).where(eq(callLogs.id, r.callId));
      expect(call!.summary).toContain("תל אביב");
    });
  });
}
