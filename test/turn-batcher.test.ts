/**
 * The process-wide turn writer (realtime/persist/turn-batcher.ts, #18 CPU per
 * call): turns of several calls arriving together are one multi-row insert;
 * a bad row fails only its own write; a call's recorder keeps its turns in
 * order through it. PGlite and PostgreSQL. No timing assertions: the writes are
 * awaited, whatever the batching window.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { asc, eq } from "drizzle-orm";
import { registerIncomingCall } from "../api/services/calls/register-incoming-call";
import { createLogger } from "../core/kernel/logger";
import { conversationTurns } from "../db/schema";
import { createCallRecorder } from "../realtime/persist/call-recorder";
import { createTurnBatcher } from "../realtime/persist/turn-batcher";
import { DB_KINDS, createTestDb, type TTestDb } from "./helpers/db";

const log = createLogger("silent");
const sid = () => `CA${crypto.randomUUID().replaceAll("-", "")}`;

describe.each(DB_KINDS)("turn batcher (%s)", (kind) => {
  let db: TTestDb;
  beforeAll(async () => {
    db = await createTestDb(kind, { seeded: true });
  }, 120_000);
  afterAll(async () => {
    await db?.destroy();
  });

  const newCall = async (i: number) => {
    const r = await registerIncomingCall(db.db, { callSid: sid(), from: `+97254222000${i}`, to: null });
    return { callId: r.callId, businessId: r.business.id };
  };
  const turnsOf = (callId: string) => db.db.select().from(conversationTurns).where(eq(conversationTurns.callId, callId)).orderBy(asc(conversationTurns.seq));

  test("turns of three calls written together are one insert", async () => {
    const calls = await Promise.all([0, 1, 2].map(newCall));
    const turns = createTurnBatcher({ db: db.db, log });
    await Promise.all(calls.map((c, i) => turns.write(c, 0, { speaker: "caller", text: `שלום ${i}`, startedAt: new Date() })));
    expect(turns.stats).toEqual({ turns: 3, batches: 1, fallbacks: 0 });
    for (const [i, c] of calls.entries()) expect((await turnsOf(c.callId)).map((t) => t.text)).toEqual([`שלום ${i}`]);
    // Written again (a retry after a lost answer): idempotent.
    await turns.write(calls[0]!, 0, { speaker: "caller", text: "שלום 0", startedAt: new Date() });
    expect(await turnsOf(calls[0]!.callId)).toHaveLength(1);
    await turns.close();
  });

  test("a turn whose call row is gone fails alone; the others in its batch are written", async () => {
    const good = await newCall(3);
    const turns = createTurnBatcher({ db: db.db, log });
    const gone = { callId: crypto.randomUUID(), businessId: good.businessId };
    const results = await Promise.allSettled([
      turns.write(good, 0, { speaker: "assistant", text: "במה אפשר לעזור?", startedAt: new Date() }),
      turns.write(gone, 0, { speaker: "caller", text: "אין שיחה כזו", startedAt: new Date() }),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected"]);
    expect(turns.stats.fallbacks).toBe(1);
    expect((await turnsOf(good.callId)).map((t) => t.text)).toEqual(["במה אפשר לעזור?"]);
    await turns.close();
  });

  test("a recorder writing through it keeps its call's turns in order", async () => {
    const turns = createTurnBatcher({ db: db.db, log });
    const callSid = sid();
    const reg = await registerIncomingCall(db.db, { callSid, from: "+972542220009", to: null });
    const rec = createCallRecorder({ db: db.db, log, writeTurn: turns.write });
    await rec.attach({ callSid, streamSid: `MZ${callSid.slice(2)}`, callId: reg.callId, businessId: reg.business.id, caller: "+972542220009" });
    const lines = ["שלום", "אני מחפש דירה", "בחיפה", "ארבעה חדרים"];
    for (const [i, text] of lines.entries()) rec.turn({ speaker: i % 2 ? "caller" : "assistant", text, startedAt: new Date() });
    await rec.flush();
    expect((await turnsOf(reg.callId)).map((t) => [t.seq, t.text])).toEqual(lines.map((t, i) => [i, t]));
    expect(rec.failures).toBe(0);
    await turns.close();
  });
});
