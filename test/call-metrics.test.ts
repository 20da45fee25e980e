/**
 * analytics.callMetrics over tRPC: per-stage latency from the turns the
 * engines store, greeting time, per engine, latest calls; scoped to the
 * caller's business. Both databases.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { callLogs, conversationTurns } from "../db/schema";
import { createTestApp, type TTestApp } from "./helpers/app";
import { DB_KINDS } from "./helpers/db";
import { adminClient, createTenant } from "./helpers/trpc";

for (const kind of DB_KINDS) {
  describe(`analytics.callMetrics (${kind})`, () => {
    let t: TTestApp;
    beforeAll(async () => {
      t = await createTestApp(kind);
    }, 60_000);
    afterAll(() => t.close());

    const call = async (businessId: string, engine: string, metrics: Record<string, number>, turns: Array<Record<string, number | string>>) => {
      const [c] = await t.db.db
        .insert(callLogs)
        .values({ businessId, callSid: `CA${crypto.randomUUID().replace(/-/g, "")}`, status: "completed", engine, metrics })
        .returning({ id: callLogs.id });
      let seq = 0;
      for (const m of turns) await t.db.db.insert(conversationTurns).values({ businessId, callId: c!.id, seq: seq++, speaker: "assistant", text: "תשובה", metrics: m });
      return c!.id;
    };

    test("stage averages and p95 from stored turn metrics, per engine, other tenants excluded", async () => {
      const other = await createTenant(t, { permissions: ["analytics"] });
      await call(t.businessId, "pipeline", { greetingFirstFrameMs: 40, avgTurnMs: 150, bargeIns: 1, turns: 2 }, [
        { sttMs: 80, llmFirstTokenMs: 300, totalMs: 100 },
        { sttMs: 120, llmFirstTokenMs: 500, totalMs: 200 },
      ]);
      const rtId = await call(t.businessId, "realtime", { greetingFirstFrameMs: 60, avgTurnMs: 350, bargeIns: 2, turns: 2 }, [
        { firstFrameMs: 300, totalMs: 300 },
        { firstFrameMs: 400, totalMs: 400, fallback: "timeout" },
      ]);
      await call(other.businessId, "pipeline", { greetingFirstFrameMs: 9000, avgTurnMs: 9000 }, [{ totalMs: 10_000, sttMs: 9000 }]);

      const admin = await adminClient(t);
      const r = await admin.api.analytics.callMetrics.query();
      expect(r.stages.totalMs.count).toBe(4);
      expect(r.stages.totalMs.avg).toBe(250);
      expect(r.stages.totalMs.p95).toBe(385);
      expect(r.stages.sttMs).toEqual({ count: 2, avg: 100, p95: 118 });
      expect(r.stages.firstFrameMs.count).toBe(2);
      expect(r.greetingFirstFrameMs.avg).toBe(50);
      expect(r.fallbackTurns).toBe(1);
      const byEngine = Object.fromEntries(r.byEngine.map((e) => [e.engine, e]));
      expect(byEngine.realtime).toEqual({ engine: "realtime", calls: 1, avgTurnMs: 350, bargeIns: 2 });
      expect(byEngine.pipeline!.calls).toBe(1);
      expect(r.calls.map((c) => c.id)).toContain(rtId);
      expect(r.calls).toHaveLength(2);

      // The other business sees only its own call.
      const mine = await other.api.analytics.callMetrics.query();
      expect(mine.stages.totalMs).toEqual({ count: 1, avg: 10_000, p95: 10_000 });
      expect(mine.calls).toHaveLength(1);
    });

    test("bad input → a Hebrew validation error, not a 500", async () => {
      const admin = await adminClient(t);
      await expect(admin.api.analytics.callMetrics.query({ from: "yesterday" })).rejects.toThrow("הנתונים שנשלחו אינם תקינים (from)");
    });
  });
}
