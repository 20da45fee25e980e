/**
 * Fault: PostgreSQL is away for two minutes (virtual time) while a call goes
 * on. The recorder keeps every write in order, holds at most `maxInMemory` of
 * them in memory and spills the rest to DATA_DIR/spill; when the database
 * returns, all of them are written in order, the call is finalised and the
 * spill file is gone. The database really goes away (connections refused,
 * backends terminated) and comes back; only the clock is virtual, so the
 * 120 s outage runs in seconds. PostgreSQL only: PGlite is in-process and
 * cannot go away.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { asc, eq } from "drizzle-orm";
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "../../core/kernel/logger";
import { registerIncomingCall } from "../../api/services/calls/register-incoming-call";
import type { TDb } from "../../db/client";
import { callLogs, conversationTurns } from "../../db/schema";
import { createCallRecorder } from "../../realtime/persist/call-recorder";
import type { TTestDb } from "../helpers/db";
import { createOutageDb, type TOutageDb } from "./pg-outage";
import { waitFor } from "../helpers/wait-for";

const log = createLogger("silent");
const base = process.env.DATABASE_URL;
if (!base) console.log("[db-outage-long] skipped: DATABASE_URL is not set (a database that goes away needs PostgreSQL)");

describe.skipIf(!base)("fault: the database is away for two minutes (postgres, virtual clock)", () => {
  let outage: TOutageDb;
  let db: TTestDb;
  /** The recorder's own pool: reconnects every 50 ms, so virtual time runs fast. */
  let recDb: TDb;
  const block = () => outage.block();
  const unblock = () => outage.unblock();

  beforeAll(async () => {
    outage = await createOutageDb({ poolMax: 2 });
    db = outage.db;
    recDb = outage.pool;
  }, 120_000);
  afterAll(() => outage?.close());

  test("120 s outage: 40 turns queued (10 in memory, 30 spilled), all written in order when it returns, none lost", async () => {
    let virtual = 1_000_000;
    // Every retry's back-off advances the virtual clock; only a couple of real milliseconds pass.
    const clock = { now: () => virtual, sleep: async (ms: number) => void ((virtual += ms), await new Promise((r) => setTimeout(r, 2))) };
    const spillDir = mkdtempSync(join(tmpdir(), "kesher-spill-"));
    const degraded: boolean[] = [];
    const callSid = `CA${crypto.randomUUID().replace(/-/g, "")}`;
    const reg = await registerIncomingCall(db.db, { callSid, from: "+972541230002", to: null });
    const rec = createCallRecorder({ db: recDb, log, spillDir, maxInMemory: 10, now: clock.now, sleep: clock.sleep, onDegraded: (d) => degraded.push(d) });
    await rec.attach({ callSid, streamSid: "MZlong", callId: reg.callId, businessId: reg.business.id, caller: "+972541230002" });
    rec.turn({ speaker: "assistant", text: "שלום, כאן המשרד. במה אפשר לעזור?", startedAt: new Date() });
    await rec.flush();

    await block();
    expect(await db.ping()).toBe(false);
    const t0 = virtual;
    const lines: string[] = [];
    for (let i = 1; i <= 40; i++) {
      const text = i % 2 ? `משפט ${i} של המתקשר` : `תשובה ${i} של הסוכן`;
      lines.push(text);
      rec.turn({ speaker: i % 2 ? "caller" : "assistant", text, startedAt: new Date() });
    }
    rec.end({ turns: 20 } as never);
    // Memory stays bounded: everything past 10 pending writes is on disk.
    expect(rec.pending.memory).toBe(10);
    expect(rec.pending.spilled).toBe(30); // 41 writes: 1 being retried, 10 in memory, 30 on disk
    expect(readdirSync(spillDir).length).toBe(1);

    await waitFor(() => virtual - t0 >= 120_000, "two minutes of virtual outage", 150_000, 20);
    expect(await db.ping()).toBe(false);
    expect(rec.failures).toBe(0);
    expect(degraded).toEqual([true]);
    expect(rec.pending.memory + rec.pending.spilled).toBe(40);

    await unblock();
    await rec.flush();
    expect(rec.failures).toBe(0);
    expect(degraded).toEqual([true, false]);
    const turns = await db.db.select().from(conversationTurns).where(eq(conversationTurns.callId, reg.callId)).orderBy(asc(conversationTurns.seq));
    expect(turns.map((t) => [t.seq, t.text])).toEqual([[0, "שלום, כאן המשרד. במה אפשר לעזור?"], ...lines.map((l, i) => [i + 1, l] as [number, string])]);
    const [row] = await db.db.select().from(callLogs).where(eq(callLogs.id, reg.callId));
    expect(row!.status).toBe("completed");
    expect(row!.metrics.turns).toBe(20);
    // The spill file is removed once read back.
    expect(readdirSync(spillDir).filter((f) => existsSync(join(spillDir, f)))).toEqual([]);
  }, 300_000);
});
