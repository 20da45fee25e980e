/**
 * The OpenAI Realtime engine end to end (test/helpers/realtime-engine-rig.ts:
 * simulated Twilio phone ↔ engine session ↔ the real `openai` SDK Realtime
 * WebSocket ↔ the local TLS Realtime double, real database on PGlite and
 * PostgreSQL): the session's configuration, audio passthrough, barge-in with
 * truncation, and a slow database. Tools, DTMF and provider faults are in
 * realtime-engine-tools-faults.test.ts.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { sql } from "drizzle-orm";
import { truncateTranscript } from "../realtime/engines/realtime-session";
import { createLocalTts } from "../core/conversation/providers/tts/local";
import { createVoicePrompts } from "../core/conversation/voice-prompts";
import { toneTts } from "./helpers/voice-doubles";
import { waitFor } from "./helpers/wait-for";
import { DB_KINDS } from "./helpers/db";
import { concat, log, startRealtimeRig, tone, type TRealtimeRig } from "./helpers/realtime-engine-rig";

for (const kind of DB_KINDS) {
  describe(`OpenAI Realtime engine (${kind})`, () => {
    let rig: TRealtimeRig;
    let db: TRealtimeRig["db"];
    let prompts: TRealtimeRig["prompts"];
    let dial: TRealtimeRig["dial"];
    let turnsOf: TRealtimeRig["turnsOf"];
    let outMedia: TRealtimeRig["outMedia"];

    beforeAll(async () => {
      rig = await startRealtimeRig(kind);
      ({ db, prompts, dial, turnsOf, outMedia } = rig);
    }, 60_000);
    afterAll(() => rig.close());

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
  });
}
