/**
 * Fault: PostgreSQL goes away in the middle of a call and comes back. The
 * database is closed to new connections (ALLOW_CONNECTIONS false) and every
 * backend of it is terminated; the caller keeps talking, Kesher keeps
 * answering (nothing on the media path waits for the database), the turns
 * queue in the recorder, and once the database is back they are all written,
 * in order, with the call finalised. PostgreSQL only: PGlite is in-process
 * and cannot "go away".
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { asc, eq } from "drizzle-orm";
import { createLogger } from "../../core/kernel/logger";
import { registerIncomingCall } from "../../api/services/calls/register-incoming-call";
import { callLogs, conversationTurns } from "../../db/schema";
import { createLocalTts, synthesizeMulaw } from "../../core/conversation/providers/tts/local";
import { createVoicePrompts, type TVoicePrompts } from "../../core/conversation/voice-prompts";
import type { TTestDb } from "../helpers/db";
import { createOutageDb, type TOutageDb } from "./pg-outage";
import { hintStt, scriptedAgent, toneTts } from "../helpers/voice-doubles";
import { sessionRig } from "./session-rig";

const log = createLogger("silent");
const LINES = ["שלום, אני מחפש משרד להשכרה בתל אביב.", "התקציב שלי עשרים אלף שקל לחודש."];
const REPLIES = ["יש לנו כמה משרדים מתאימים. מה התקציב?", "מצוין, אשלח לך הצעות."];
const base = process.env.DATABASE_URL;

describe.skipIf(!base)("fault: the database goes away mid-call (postgres)", () => {
  let db: TTestDb;
  let prompts: TVoicePrompts;
  const speech: Uint8Array[] = [];
  let outage: TOutageDb;
  const block = () => outage.block();
  const unblock = () => outage.unblock();

  beforeAll(async () => {
    for (const l of LINES) speech.push(await synthesizeMulaw(l));
    prompts = createVoicePrompts({ tts: toneTts(), fallbackTts: createLocalTts(), log });
    await prompts.warm();
    outage = await createOutageDb();
    db = outage.db;
  }, 60_000);

  afterAll(() => outage?.close());

  test("turns spoken while the database is down are queued and flushed, none lost; the call is finalised", async () => {
    const callSid = `CA${crypto.randomUUID().replace(/-/g, "")}`;
    const reg = await registerIncomingCall(db.db, { callSid, from: "+972541230001", to: null });
    const r = sessionRig({
      db: db.db,
      log,
      prompts,
      providers: { stt: hintStt(), tts: toneTts(), agent: scriptedAgent(REPLIES) },
      params: { callSid, callId: reg.callId, businessId: reg.business.id, caller: "+972541230001" },
      script: LINES,
    });
    try {
      await r.phone.waitFor(() => r.played() >= 1, 10_000, "greeting played");
      // The greeting turn is written before the outage, so the gap is in the middle of the call.
      const greetingStored = async () => (await db.db.select().from(conversationTurns).where(eq(conversationTurns.callId, reg.callId))).length === 1;
      for (let i = 0; i < 100 && !(await greetingStored()); i++) await Bun.sleep(50);
      expect(await greetingStored()).toBe(true);

      await block();
      expect(await db.ping()).toBe(false);

      // Two full exchanges with the database unreachable.
      await r.phone.say(speech[0]!);
      await r.phone.waitFor(() => r.played() >= 2, 15_000, "first reply while the database is down");
      await r.phone.say(speech[1]!);
      await r.phone.waitFor(() => r.played() >= 3, 15_000, "second reply while the database is down");
      expect(await db.ping()).toBe(false);
      const sentences = r.events.filter((e) => e.type === "sentence").map((e) => (e as { text: string }).text);
      expect(sentences).toContain("מצוין, אשלח לך הצעות.");
      expect(r.session.stats.fallbacks).toBe(0);

      await unblock();
    } finally {
      await unblock();
      await r.finish();
    }

    const turns = await db.db.select().from(conversationTurns).where(eq(conversationTurns.callId, reg.callId)).orderBy(asc(conversationTurns.seq));
    expect(turns.map((t) => [t.seq, t.speaker, t.text])).toEqual([
      [0, "assistant", turns[0]!.text],
      [1, "caller", LINES[0]!],
      [2, "assistant", REPLIES[0]!],
      [3, "caller", LINES[1]!],
      [4, "assistant", REPLIES[1]!],
    ]);
    const [row] = await db.db.select().from(callLogs).where(eq(callLogs.id, reg.callId));
    expect(row!.status).toBe("completed");
    expect(row!.endedAt).toBeInstanceOf(Date);
    expect(row!.metrics.turns).toBe(2);
  }, 60_000);
});
