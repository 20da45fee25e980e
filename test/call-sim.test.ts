/**
 * End to end with no keys: the real entry point (`bun api/main.ts`, as
 * `npm start` runs it) and call-sim acting as Twilio — signed webhook, then
 * the media stream with espeak-synthesised Hebrew caller audio in real time.
 * The local brain must hold the conversation and book a viewing in the DB.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, asc, eq } from "drizzle-orm";
import { join } from "node:path";
import { createDb, type TDbHandle } from "../db/client";
import { appointmentRequests, callLogs, conversationTurns, customers } from "../db/schema";
import { DEFAULT_SCRIPT, runCallSim, type TCallSimResult } from "../realtime/tools/call-sim";
import { DB_KINDS } from "./helpers/db";
import { startEachKind } from "./helpers/each-kind";
import { startTestServer, type TTestServer } from "./helpers/server";

interface TSimRun {
  server: TTestServer;
  result: TCallSimResult;
  printed: string[];
  from: string;
}

// Both databases' servers and calls run at once: each call is paced in real time, so most of it is waiting.
const simRuns = startEachKind(DB_KINDS, async (kind): Promise<TSimRun> => {
  const printed: string[] = [];
  const from = kind === "pglite" ? "+972547770001" : "+972547770002";
  const server = await startTestServer({
    db: kind,
    name: "kesher-sim",
    waitForOutput: "voice prompts ready",
    env: { DRAIN_TIMEOUT_S: "10", OPENAI_API_KEY: "", GOOGLE_APPLICATION_CREDENTIALS: "", GOOGLE_TTS_ENDPOINT: "" },
  });
  try {
    const result = await runCallSim({ baseUrl: server.base, authToken: server.twilioAuthToken(), from, bargeIn: { line: 3, afterMs: 1500 }, print: (l) => printed.push(l) });
    return { server, result, printed, from };
  } catch (err) {
    await server.stop();
    throw err;
  }
});

for (const kind of DB_KINDS) {
  describe(`npm start + call-sim, no keys (${kind})`, () => {
    let server: TTestServer;
    let result: TCallSimResult;
    let printed: string[] = [];
    let from = "";

    beforeAll(async () => {
      ({ server, result, printed, from } = await simRuns(kind));
    }, 420_000);

    afterAll(() => server?.stop(), 60_000);

    test("the dialogue: greeting, a reply to every caller line, barge-in cleared, Kesher says goodbye and hangs up", () => {
      expect(result.greeting.join(" ")).toContain("שי דירות ומשרדים");
      expect(result.greetingMs).not.toBeNull();
      expect(result.turns.map((t) => t.caller)).toEqual(DEFAULT_SCRIPT);
      for (const t of result.turns) expect(t.kesher.length).toBeGreaterThan(0);
      const all = result.turns.map((t) => t.kesher.join(" "));
      expect(all[0]).toContain("חדרים");
      expect(all[1]).toContain("תקציב");
      expect(all[5]).toContain("קבעתי");
      expect(result.clears).toBe(1);
      expect(result.turns[3]!.bargeIn?.clearMs).not.toBeNull();
      expect(result.hungUpByKesher).toBe(true);
      expect(printed.some((l) => l.includes("מתקשר (מתפרץ)"))).toBe(true);
    });

    test("the database: call completed, turns in order with the interrupted one cut, lead named, viewing booked", async () => {
      // Stop the server first: on SIGTERM it flushes every call's persistence (and PGlite is single-process).
      await server.kill("SIGTERM");
      const h: TDbHandle = await createDb(server.databaseUrl ? { databaseUrl: server.databaseUrl } : { dataDir: join(server.dataDir, "pglite") });
      try {
        const db = h.db;
        const [call] = await db.select().from(callLogs).where(eq(callLogs.callSid, result.callSid));
        expect(call).toBeDefined();
        expect(call!.status).toBe("completed");
        expect(call!.streamSid).toMatch(/^MZ/);
        expect(call!.metrics.turns).toBeGreaterThanOrEqual(6);
        expect(call!.metrics.bargeIns).toBe(1);
        expect(call!.metrics.framesLost).toBe(0);
        const turns = await db.select().from(conversationTurns).where(eq(conversationTurns.callId, call!.id)).orderBy(asc(conversationTurns.seq));
        expect(turns.filter((t) => t.speaker === "caller").map((t) => t.text)).toEqual(DEFAULT_SCRIPT);
        expect(turns[0]).toMatchObject({ speaker: "assistant", interrupted: false });
        const cut = turns.filter((t) => t.speaker === "assistant" && t.interrupted);
        expect(cut.length).toBe(1);
        expect(turns.some((t) => t.speaker === "tool" && t.toolName === "book_viewing")).toBe(true);
        const [lead] = await db.select().from(customers).where(and(eq(customers.businessId, call!.businessId), eq(customers.phone, from)));
        expect(lead!.fullName).toBe("דני כהן");
        const appts = await db.select().from(appointmentRequests).where(eq(appointmentRequests.customerId, lead!.id));
        expect(appts.length).toBe(1);
        expect(appts[0]!.businessId).toBe(call!.businessId);
      } finally {
        await h.close();
      }
    }, 60_000);
  });
}
