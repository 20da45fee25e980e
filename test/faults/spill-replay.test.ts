/**
 * Fault (#16 item 3): a process dies during a long database outage with call
 * writes spilled to DATA_DIR/spill. The "crashed" recorder is a real one whose
 * database never answers (a closed handle) and whose retry never comes back
 * (its sleep never resolves): it writes the spill file exactly as in
 * production and then stops for good. The next start replays the file into
 * the real database: the spilled turns land with their sequence numbers, the
 * call is finalised, the file is removed; a file whose owner is still alive
 * is left alone. On PGlite and PostgreSQL; on PostgreSQL also a start while
 * the database is still away: the file is kept for the next start.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import type { TDb } from "../../db/client";
import { asc, eq } from "drizzle-orm";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { registerIncomingCall } from "../../api/services/calls/register-incoming-call";
import { createLogger } from "../../core/kernel/logger";
import { createDb } from "../../db/client";
import { callLogs, conversationTurns } from "../../db/schema";
import { seedDemo } from "../../db/seed/seed-demo";
import { createCallRecorder, type TSpilledOp } from "../../realtime/persist/call-recorder";
import { replaySpilledCalls } from "../../realtime/persist/replay-spill";
import { createTestDb, DB_KINDS, type TTestDb, TEST_PASSWORD_COST } from "../helpers/db";
import { createOutageDb, type TOutageDb } from "./pg-outage";

const log = createLogger("silent");

for (const kind of DB_KINDS) {
  describe(`fault: spilled call writes of a crashed process are replayed at the next start (${kind})`, () => {
    let db: TTestDb;

    beforeAll(async () => {
      db = await createTestDb(kind);
      await seedDemo(db.db, { adminPassword: "demo-password-123", passwordCost: TEST_PASSWORD_COST });
    }, 180_000);
    afterAll(async () => {
      await db?.destroy();
    });

    test("the spill file a dead recorder left is written in order, the call finalised, the file removed; a live owner's file is untouched", async () => {
      const callSid = `CA${crypto.randomUUID().replace(/-/g, "")}`;
      const reg = await registerIncomingCall(db.db, { callSid, from: "+972541230555", to: null });
      const spillDir = mkdtempSync(join(tmpdir(), "kesher-spill-replay-"));

      // The process that crashes: its database is gone for good and its retry never returns.
      const gone = await createDb({});
      await gone.close();
      const crashed = createCallRecorder({ db: gone.db, log, spillDir, maxInMemory: 2, attachWaitMs: 20, sleep: () => new Promise<void>(() => {}) });
      await crashed.attach({ callSid, streamSid: "MZcrash", callId: reg.callId, businessId: reg.business.id, caller: "+972541230555" }).catch(() => {});
      const lines = Array.from({ length: 8 }, (_, i) => (i % 2 ? `תשובה ${i} של הסוכן` : `משפט ${i} של המתקשר`));
      for (const [i, text] of lines.entries()) crashed.turn({ speaker: i % 2 ? "assistant" : "caller", text, startedAt: new Date(Date.UTC(2026, 10, 25, 10, 0, i)) });
      crashed.end({ turns: 4 } as never);
      // Turns 0 and 1 wait in memory (lost with the process); turns 2..7 and the end are on disk.
      expect(crashed.pending).toEqual({ memory: 2, spilled: 7 });
      const [file] = readdirSync(spillDir);
      expect(file).toMatch(new RegExp(`^${process.pid}-\\d+-[a-z0-9]+\\.jsonl$`));
      const spilled = readFileSync(join(spillDir, file!), "utf8").trim().split("\n").map((l) => JSON.parse(l) as TSpilledOp);
      expect(spilled.map((o) => o.kind)).toEqual([...Array(6).fill("turn"), "end"]);

      // Another process's file, still being written (its owner is alive): not ours to replay.
      const foreign = `${process.ppid}-${Date.now()}-livefile.jsonl`;
      writeFileSync(join(spillDir, foreign), readFileSync(join(spillDir, file!)));

      const before = await db.db.select().from(conversationTurns).where(eq(conversationTurns.callId, reg.callId));
      expect(before).toHaveLength(0);

      // While this process lives, its own file is live work: never replayed.
      expect(await replaySpilledCalls({ db: db.db, log, spillDir })).toEqual({ files: 0, writes: 0, kept: 0 });
      // The next start, after the crash (same pid, as in a restarted container): the file is a past life's.
      const nextStart = Date.now() + 1;
      const result = await replaySpilledCalls({ db: db.db, log, spillDir, startedAt: nextStart });
      expect(result).toEqual({ files: 1, writes: 7, kept: 0 });

      const turns = await db.db.select().from(conversationTurns).where(eq(conversationTurns.callId, reg.callId)).orderBy(asc(conversationTurns.seq));
      expect(turns.map((t) => [t.seq, t.speaker, t.text])).toEqual(lines.slice(2).map((text, i) => [i + 2, (i + 2) % 2 ? "assistant" : "caller", text]));
      expect(turns[0]!.startedAt.toISOString()).toBe("2026-11-25T10:00:02.000Z");
      const [row] = await db.db.select().from(callLogs).where(eq(callLogs.id, reg.callId));
      expect(row!.status).toBe("completed");
      expect(row!.metrics.turns).toBe(4);
      expect(readdirSync(spillDir)).toEqual([foreign]);

      // Replaying again (a second start) writes nothing twice.
      expect(await replaySpilledCalls({ db: db.db, log, spillDir, startedAt: nextStart })).toEqual({ files: 0, writes: 0, kept: 0 });
      expect(existsSync(join(spillDir, foreign))).toBe(true);
    }, 60_000);
  });
}

describe.skipIf(!process.env.DATABASE_URL)("fault: a start while the database is still away keeps the spill file (postgres)", () => {
  let outage: TOutageDb;
  let db: TTestDb;
  let startDb: TDb;
  const block = () => outage.block();
  const unblock = () => outage.unblock();

  beforeAll(async () => {
    // The starting process's pool: reconnects at once when the database is back.
    outage = await createOutageDb({ poolMax: 1 });
    db = outage.db;
    startDb = outage.pool;
  }, 120_000);
  afterAll(() => outage?.close());

  test("replay during the outage keeps the file untouched; the next start writes it", async () => {
    const callSid = `CA${crypto.randomUUID().replace(/-/g, "")}`;
    const reg = await registerIncomingCall(db.db, { callSid, from: "+972541230556", to: null });
    const spillDir = mkdtempSync(join(tmpdir(), "kesher-spill-kept-"));
    const call = { callSid, streamSid: "MZkept", callId: reg.callId, businessId: reg.business.id };
    const ops: TSpilledOp[] = [
      { kind: "turn", n: 3, t: { speaker: "caller", text: "אני עדיין כאן", startedAt: new Date("2026-11-25T10:00:03Z") }, call },
      { kind: "end", metrics: { turns: 2 } as never, durationSec: 40, call },
    ];
    const name = `999999-${Date.now()}-kept01.jsonl`;
    writeFileSync(join(spillDir, name), ops.map((o) => JSON.stringify(o)).join("\n") + "\n");

    await block();
    try {
      expect(await replaySpilledCalls({ db: startDb, log, spillDir, isAlive: () => false })).toEqual({ files: 0, writes: 0, kept: 1 });
      expect(readdirSync(spillDir)).toEqual([name]);
    } finally {
      await unblock();
    }
    expect(await replaySpilledCalls({ db: startDb, log, spillDir, isAlive: () => false })).toEqual({ files: 1, writes: 2, kept: 0 });
    expect(readdirSync(spillDir)).toEqual([]);
    const turns = await db.db.select().from(conversationTurns).where(eq(conversationTurns.callId, reg.callId));
    expect(turns.map((t) => [t.seq, t.text])).toEqual([[3, "אני עדיין כאן"]]);
    const [row] = await db.db.select().from(callLogs).where(eq(callLogs.id, reg.callId));
    expect(row).toMatchObject({ status: "completed", durationSec: 40 });
  }, 60_000);
});
