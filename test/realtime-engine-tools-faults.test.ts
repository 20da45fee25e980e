/**
 * The OpenAI Realtime engine end to end (same rig as realtime-engine.test.ts):
 * function calls into the pipeline's tools (rows and tool turns), transfer to
 * a person, DTMF, and the provider refusing or failing mid-call (apology,
 * turns kept, Record fallback through the Twilio REST double).
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import OpenAI from "openai";
import { registerIncomingCall } from "../api/services/calls/register-incoming-call";
import { createEngineSession } from "../realtime/engines/engine-session";
import { createRealtimeSession } from "../realtime/engines/realtime-session";
import { createSimPhone } from "../realtime/tools/sim-phone";
import { appointmentRequests, callLogs, properties } from "../db/schema";
import { hintStt, scriptedAgent, toneTts } from "./helpers/voice-doubles";
import { waitFor } from "./helpers/wait-for";
import { DB_KINDS } from "./helpers/db";
import { log, ORIGIN, startRealtimeRig, tone, type TRealtimeRig } from "./helpers/realtime-engine-rig";

for (const kind of DB_KINDS) {
  describe(`OpenAI Realtime engine: tools and faults (${kind})`, () => {
    let rig: TRealtimeRig;
    let db: TRealtimeRig["db"];
    let rt: TRealtimeRig["rt"];
    let twilio: TRealtimeRig["twilio"];
    let services: TRealtimeRig["services"];
    let businessId: TRealtimeRig["businessId"];
    let prompts: TRealtimeRig["prompts"];
    let dial: TRealtimeRig["dial"];
    let turnsOf: TRealtimeRig["turnsOf"];

    beforeAll(async () => {
      rig = await startRealtimeRig(kind);
      ({ db, rt, twilio, services, businessId, prompts, dial, turnsOf } = rig);
    }, 60_000);
    afterAll(() => rig.close());

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
