/**
 * Graceful drain of the real entry point (api/main.ts, as `npm start` and Fly
 * run it), on PGlite and on PostgreSQL: on SIGTERM the server stops taking new
 * connections, a live call keeps talking until the caller hangs up, then the
 * process flushes the call's persistence and exits 0. The stored call is
 * complete.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { asc, eq } from "drizzle-orm";
import { join } from "node:path";
import { createDb } from "../../db/client";
import { callLogs, conversationTurns } from "../../db/schema";
import { synthesizeMulaw } from "../../core/conversation/providers/tts/local";
import { createSimPhone, type TSimEvent } from "../../realtime/tools/sim-phone";
import { DB_KINDS } from "../helpers/db";
import { startEachKind } from "../helpers/each-kind";
import { openMediaSocket, startTestServer, streamParameters, twilioPost, type TTestServer } from "../helpers/server";
import { waitFor } from "../helpers/wait-for";

const LINE = "שלום, אני מחפש דירה בחולון.";

// Both databases' servers start at once (making the voice prompts is most of a start).
const servers = startEachKind(DB_KINDS, (kind) =>
  startTestServer({
    db: kind,
    name: "kesher-drain",
    waitForOutput: "voice prompts ready",
    env: { DRAIN_TIMEOUT_S: "40", STT_PROVIDER: "local", LLM_PROVIDER: "local", TTS_PROVIDER: "local", OPENAI_API_KEY: "", GOOGLE_APPLICATION_CREDENTIALS: "" },
  }),
);

for (const kind of DB_KINDS) {
  describe(`graceful drain (api/main.ts, ${kind})`, () => {
    let server: TTestServer;

    beforeAll(async () => {
      server = await servers(kind);
    }, 240_000);

    afterAll(() => server?.stop());

    test("SIGTERM: no new connections, the live call finishes its turn, then persistence is flushed and the process exits 0", async () => {
      const speech = await synthesizeMulaw(LINE);
      const callSid = `CA${crypto.randomUUID().replace(/-/g, "")}`;
      // As Twilio: the signed voice webhook first, then the stream with the parameters its TwiML named.
      const answer = await twilioPost(server, "/twilio/voice", { CallSid: callSid, From: "+972541239999", To: "+97235550100" });
      expect(answer.status).toBe(200);
      const params = streamParameters(await answer.text());
      const ws = await openMediaSocket(server);
      const events: TSimEvent[] = [];
      const phone = createSimPhone({ send: (t) => ws.readyState === WebSocket.OPEN && ws.send(t), callSid, onEvent: (e) => events.push(e) });
      ws.onmessage = (m) => phone.receive(String(m.data));
      phone.start({ ...params, simScript: JSON.stringify([LINE]) });
      const played = () => events.filter((e) => e.type === "kesher-end").length;
      // The greeting (re-synthesised for the business on the first call) has fully played.
      await phone.waitFor(() => played() >= 1 && !phone.kesherSpeaking && phone.kesherSilentForMs > 1500, 30_000, "greeting played");

      server.proc.kill("SIGTERM");
      await server.waitForOutput("draining", 5000);
      // No new connections while draining (new calls go to other instances).
      await waitFor(
        () => fetch(`${server.base}/health`, { signal: AbortSignal.timeout(3000) }).then(() => false, () => true),
        "the listener to close",
        5000,
      );

      // The live call goes on: the caller speaks and is answered.
      // Done means the reply's end-of-turn mark came back (`<turn>:<ms>:end`, sent after its last sentence):
      // "a sentence played and Kesher is quiet" also holds in the gap between two sentences on a loaded
      // machine, and hanging up there rightly stores the reply as interrupted.
      const turnEnds = () => events.filter((e) => e.type === "mark" && e.name.endsWith(":end")).length;
      const endsBefore = turnEnds();
      const sentencesBefore = events.filter((e) => e.type === "sentence").length;
      await phone.say(speech);
      await phone.waitFor(() => turnEnds() > endsBefore && !phone.kesherSpeaking, 30_000, "reply during the drain");
      expect(events.filter((e) => e.type === "sentence").length).toBeGreaterThan(sentencesBefore);
      expect(server.proc.exitCode).toBeNull();

      // The caller hangs up: Twilio sends stop and closes the socket.
      phone.stop();
      ws.close();
      const code = await Promise.race([server.proc.exited, Bun.sleep(20_000).then(() => "timeout")]);
      expect(code).toBe(0);
      expect(server.output()).toContain("shutdown complete");

      const h = await createDb(server.databaseUrl ? { databaseUrl: server.databaseUrl } : { dataDir: join(server.dataDir, "pglite") });
      try {
        const [row] = await h.db.select().from(callLogs).where(eq(callLogs.callSid, callSid));
        expect(row).toBeDefined();
        expect(row!.status).toBe("completed");
        expect(row!.endedAt).toBeInstanceOf(Date);
        const turns = await h.db.select().from(conversationTurns).where(eq(conversationTurns.callId, row!.id)).orderBy(asc(conversationTurns.seq));
        expect(turns.map((t) => t.speaker)).toEqual(["assistant", "caller", "assistant"]);
        expect(turns[2]!.interrupted).toBe(false);
        expect(turns[1]!.text).toBe(LINE);
      } finally {
        await h.close();
      }
    }, 90_000);
  });
}
