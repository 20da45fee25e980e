/**
 * Faults at the media WebSocket, over a real Bun server and real sockets:
 *  - one stream floods 10,000 malformed messages and then an oversized frame
 *    while 50 other calls run: no crash, every other call greets, hears its
 *    caller and answers; the abusive stream is closed (1009) and finalised.
 *  - a client that dies without closing (process killed: no `stop`, no close
 *    frame): the session is cleaned up and the call finalised in the database.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq, inArray, like } from "drizzle-orm";
import { createLogger } from "../../core/kernel/logger";
import { callLogs, conversationTurns } from "../../db/schema";
import { seedDemo } from "../../db/seed/seed-demo";
import { createLocalTts, synthesizeMulaw } from "../../core/conversation/providers/tts/local";
import { createMediaServer, MAX_MESSAGE_BYTES, type TMediaServer, type TSocketData } from "../../realtime/server";
import { createSimPhone, type TSimEvent } from "../../realtime/tools/sim-phone";
import { createVoicePrompts } from "../../core/conversation/voice-prompts";
import { DB_KINDS, createTestDb, type TTestDb, TEST_PASSWORD_COST } from "../helpers/db";
import { openSignedStream, registeredStreamParams, signedUpgradeHeaders, testStreamAuth } from "../helpers/signed-stream";
import { hintStt, scriptedAgent, toneTts } from "../helpers/voice-doubles";

const log = createLogger("silent");
const LINE = "שלום, אני מחפש דירה בגבעתיים.";
const REPLY = "יש לנו דירות יפות בגבעתיים.";
const CALLS = 50;
const JUNK = 10_000;

for (const kind of DB_KINDS) {
  describe(`fault: abusive and vanishing media streams (${kind})`, () => {
    let db: TTestDb;
    let media: TMediaServer;
    let server: ReturnType<typeof Bun.serve<TSocketData>>;
    let wsUrl = "";
    let speech: Uint8Array;

    beforeAll(async () => {
      speech = await synthesizeMulaw(LINE);
      db = await createTestDb(kind);
      await seedDemo(db.db, { adminPassword: "demo-password-123", passwordCost: TEST_PASSWORD_COST });
      const prompts = createVoicePrompts({ tts: toneTts({ msPerChar: 10 }), fallbackTts: createLocalTts(), log });
      await prompts.warm();
      media = createMediaServer({ log, db: db.db, providers: { stt: hintStt(), tts: toneTts({ msPerChar: 10 }), agent: scriptedAgent([REPLY]) }, prompts, auth: testStreamAuth(db.db) });
      server = Bun.serve<TSocketData>({
        hostname: "127.0.0.1",
        port: 0,
        fetch(req, srv) {
          if (media.upgrade(req, srv)) return undefined;
          return new Response("not found", { status: 404 });
        },
        websocket: media.websocket,
      });
      wsUrl = `ws://127.0.0.1:${server.port}/ws/twilio-media`;
    }, 240_000);

    afterAll(async () => {
      await media?.closeAll("test end");
      await server?.stop(true);
      await db?.destroy();
    });

    // As Twilio: a signed upgrade, and a start carrying the voice webhook's token for a registered call.
    const open = () => openSignedStream(wsUrl);

    /** One well-behaved caller: greeting, one line, the reply, hang up. */
    const normalCall = async (i: number) => {
      const callSid = `CAgood${kind}${String(i).padStart(4, "0")}${crypto.randomUUID().slice(0, 8)}`;
      const ws = await open();
      const events: TSimEvent[] = [];
      const phone = createSimPhone({ send: (t) => ws.readyState === WebSocket.OPEN && ws.send(t), callSid, onEvent: (e) => events.push(e) });
      ws.onmessage = (m) => phone.receive(String(m.data));
      const params = await registeredStreamParams(db.db, { callSid, from: `+97254${String(2_000_000 + i).padStart(7, "0")}` });
      phone.start({ ...params, simScript: JSON.stringify([LINE]) });
      try {
        await phone.waitFor(() => events.some((e) => e.type === "kesher-end") && !phone.kesherSpeaking, 30_000, `call ${i} greeting`);
        await phone.say(speech);
        await phone.waitFor(() => events.some((e) => e.type === "sentence" && e.text === REPLY) && !phone.kesherSpeaking, 30_000, `call ${i} reply`);
      } finally {
        phone.stop();
        ws.close();
      }
      return callSid;
    };

    test(`${JUNK} malformed messages and an oversized frame on one stream while ${CALLS} calls run`, async () => {
      const attackerSid = `CAbad${kind}${crypto.randomUUID().replace(/-/g, "").slice(0, 20)}`;
      const attacker = await open();
      const closed = new Promise<number>((resolve) => (attacker.onclose = (e) => resolve(e.code)));
      const admitted = new Promise<void>((resolve) => (attacker.onmessage = () => resolve()));
      const streamSid = `MZ${crypto.randomUUID().replace(/-/g, "")}`;
      const attackerParams = await registeredStreamParams(db.db, { callSid: attackerSid });
      attacker.send(JSON.stringify({ event: "start", streamSid, start: { streamSid, callSid: attackerSid, customParameters: attackerParams, mediaFormat: { encoding: "audio/x-mulaw", sampleRate: 8000, channels: 1 } } }));
      // The flood starts once the stream is admitted (its greeting arrives): all of it reaches the session.
      await admitted;

      const calls = Array.from({ length: CALLS }, (_, i) => normalCall(i));
      // The flood, in bursts so it interleaves with the live calls.
      const junk = [
        () => "{not json",
        () => new Uint8Array([0xde, 0xad, 0xbe, 0xef, 0x00]),
        () => JSON.stringify({ event: "transcription", streamSid }),
        () => JSON.stringify({ event: "media", streamSid, media: { track: "inbound", chunk: "1", payload: "%%%not-base64%%%" } }),
        () => "[1,2,3]",
      ];
      for (let i = 0; i < JUNK; i++) {
        attacker.send(junk[i % junk.length]!());
        if (i % 500 === 499) await Bun.sleep(5);
      }
      // One frame far over the limit: the server closes this socket only.
      attacker.send("x".repeat(MAX_MESSAGE_BYTES * 4));
      expect(await closed).toBe(1009);

      const sids = await Promise.all(calls);
      expect(sids.length).toBe(CALLS);

      // Everything finalised in the database.
      for (let i = 0; i < 100 && media.activeCount() > 0; i++) await Bun.sleep(50);
      await media.closeAll("flush");
      const rows = await db.db.select().from(callLogs).where(inArray(callLogs.callSid, sids));
      expect(rows.length).toBe(CALLS);
      expect(rows.every((r) => r.status === "completed" && r.endedAt instanceof Date)).toBe(true);
      expect(rows.every((r) => (r.metrics.malformedMessages ?? 0) === 0)).toBe(true);
      const turns = await db.db.select().from(conversationTurns).where(inArray(conversationTurns.callId, rows.map((r) => r.id)));
      expect(turns.filter((t) => t.speaker === "caller" && t.text === LINE).length).toBe(CALLS);
      expect(turns.filter((t) => t.speaker === "assistant" && t.text === REPLY).length).toBe(CALLS);

      const [bad] = await db.db.select().from(callLogs).where(eq(callLogs.callSid, attackerSid));
      expect(bad!.status).toBe("completed");
      expect(bad!.metrics.malformedMessages).toBe(JUNK);
    }, 90_000);

    test("a client killed mid-call (no stop, no close frame): session cleaned, call finalised", async () => {
      const callSid = `CAkill${kind}${crypto.randomUUID().replace(/-/g, "").slice(0, 20)}`;
      const before = media.activeCount();
      const params = await registeredStreamParams(db.db, { callSid });
      const child = Bun.spawn(
        [
          process.execPath,
          "-e",
          `const ws = new WebSocket(${JSON.stringify(wsUrl)}, { headers: ${JSON.stringify(signedUpgradeHeaders(wsUrl))} });
           ws.onopen = () => {
             const streamSid = "MZ" + crypto.randomUUID().replace(/-/g, "");
             ws.send(JSON.stringify({ event: "start", streamSid, start: { streamSid, callSid: ${JSON.stringify(callSid)}, customParameters: ${JSON.stringify(params)} } }));
             let n = 0;
             setInterval(() => ws.send(JSON.stringify({ event: "media", streamSid, media: { track: "inbound", chunk: String(++n), timestamp: String(n * 20), payload: Buffer.alloc(160, 0xff).toString("base64") } })), 20);
           };
           ws.onmessage = (m) => { if (String(m.data).includes('"media"')) console.log("audio"); };`,
        ],
        { stdout: "pipe", stderr: "inherit" },
      );
      // Wait until the server answers with greeting audio, then kill the process outright.
      const reader = (child.stdout as ReadableStream<Uint8Array>).getReader();
      const first = await Promise.race([reader.read(), Bun.sleep(15_000).then(() => null)]);
      expect(first && !first.done).toBe(true);
      expect(media.activeCount()).toBe(before + 1);
      child.kill("SIGKILL");
      await child.exited;

      // The server notices the dead TCP connection, ends the session and finalises the call.
      let row: typeof callLogs.$inferSelect | undefined;
      for (let i = 0; i < 200; i++) {
        [row] = await db.db.select().from(callLogs).where(and(eq(callLogs.callSid, callSid), like(callLogs.callSid, "CAkill%")));
        if (row?.status === "completed" && media.activeCount() === before) break;
        await Bun.sleep(50);
      }
      expect(media.activeCount()).toBe(before);
      expect(row?.status).toBe("completed");
      expect(row!.endedAt).toBeInstanceOf(Date);
      expect(row!.metrics.greetingFirstFrameMs).toBeGreaterThanOrEqual(0);
      // The greeting that was (partly) played is in the transcript.
      const turns = await db.db.select().from(conversationTurns).where(eq(conversationTurns.callId, row!.id));
      expect(turns.some((t) => t.speaker === "assistant")).toBe(true);
    }, 40_000);
  });
}
