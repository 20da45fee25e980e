import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { businesses, callLogs, conversationTurns, customers } from "../../../db/schema";
import { seedDemo } from "../../../db/seed/seed-demo";
import { createTestDb, DB_KINDS, type TTestDb } from "../../../test/helpers/db";
import { AppError } from "../../../core/kernel/errors";
import { createEventBus, type TKesherEvent } from "../../../core/kernel/events";
import { createLogger } from "../../../core/kernel/logger";
import { createLocalAgent } from "../../../core/conversation/brain/local-agent";
import { createLocalTts } from "../../../core/conversation/providers/tts/local";
import type { TScope } from "../../../core/domain/scope";
import { createTestCallRuntime } from "./test-call-runtime";
import { endTestCall, sayInTestCall, startTestCall, type TTestCallDeps } from "./test-call-session";

for (const kind of DB_KINDS) {
  describe(`test call session (${kind})`, () => {
    let db: TTestDb;
    let deps: TTestCallDeps;
    let scope: TScope;
    let other: TScope;
    const events: TKesherEvent[] = [];

    beforeAll(async () => {
      db = await createTestDb(kind);
      const seed = await seedDemo(db.db, { adminPassword: "demo-password-123" });
      const [b2] = await db.db.insert(businesses).values({ name: "עסק אחר", slug: "other-biz" }).returning({ id: businesses.id });
      const bus = createEventBus();
      bus.subscribe((e) => events.push(e));
      const log = createLogger("silent");
      deps = {
        db: db.db,
        events: bus,
        log,
        runtime: createTestCallRuntime({ agent: createLocalAgent({ db: db.db, events: bus, log }), tts: createLocalTts() }),
      };
      scope = { businessId: seed.businessId!, userId: null, ip: null };
      other = { businessId: b2!.id, userId: null, ip: null };
    }, 60_000);
    afterAll(() => db?.destroy());

    test("a conversation is logged like a real call: row, turns, lead, audio, events", async () => {
      const started = await startTestCall(deps, scope);
      const [row] = await db.db.select().from(callLogs).where(eq(callLogs.id, started.callId));
      expect(row!.callSid).toMatch(/^TEST-[0-9a-f-]{36}$/);
      expect(row!.status).toBe("in_progress");
      expect(row!.businessId).toBe(scope.businessId);
      expect(started.turns).toHaveLength(1);
      expect(started.turns[0]!.text).toContain("שי דירות ומשרדים");
      // MP3: an ID3 tag or an MPEG frame sync at the start.
      const mp3 = Buffer.from(started.audio!.audioBase64, "base64");
      expect(mp3.length).toBeGreaterThan(500);
      expect(mp3[0] === 0x49 || (mp3[0] === 0xff && (mp3[1]! & 0xe0) === 0xe0)).toBe(true);
      expect(started.audio!.durationMs).toBeGreaterThan(500);

      const a1 = await sayInTestCall(deps, scope, { callId: started.callId, text: "שלום, אני מחפש דירה לקנות ברמת גן" });
      expect(a1.turns[0]).toMatchObject({ speaker: "caller", seq: 2 });
      const reply1 = a1.turns.find((t) => t.speaker === "assistant");
      expect(reply1?.text.length).toBeGreaterThan(3);
      expect(reply1?.metrics?.totalMs).toBeGreaterThanOrEqual(0);
      expect(a1.audio).not.toBeNull();

      await sayInTestCall(deps, scope, { callId: started.callId, text: "ארבעה חדרים, תקציב עד שלושה וחצי מיליון שקל" });
      await sayInTestCall(deps, scope, { callId: started.callId, text: "קוראים לי דני לוי" });

      const turns = await db.db.select().from(conversationTurns).where(eq(conversationTurns.callId, started.callId)).orderBy(conversationTurns.seq);
      if (process.env.DEBUG_TEST_CALL) console.log(turns.map((t) => `${t.seq} ${t.speaker} ${t.toolName ?? ""} ${t.text}`).join("\n"));
      expect(turns.map((t) => t.seq)).toEqual(turns.map((_, i) => i + 1));
      expect(turns.filter((t) => t.speaker === "caller")).toHaveLength(3);
      // The agent's own lead tool ran and the call points at the lead, as on a phone call.
      const [linked] = await db.db.select().from(callLogs).where(eq(callLogs.id, started.callId));
      const leads = await db.db.select().from(customers).where(eq(customers.businessId, scope.businessId));
      expect(turns.some((t) => t.speaker === "tool" && t.toolName === "create_or_update_lead")).toBe(true);
      expect(linked!.customerId).not.toBeNull();
      expect(leads.find((c) => c.id === linked!.customerId)?.requirements.cities).toEqual(["רמת גן"]);

      const ended = await endTestCall(deps, scope, { callId: started.callId });
      const [done] = await db.db.select().from(callLogs).where(eq(callLogs.id, started.callId));
      expect(done!.status).toBe("completed");
      expect(done!.endedAt).not.toBeNull();
      expect(done!.durationSec).toBe(ended.durationSec);
      expect(done!.metrics.turns).toBe(3);

      const mine = events.filter((e) => "callId" in e && e.callId === started.callId);
      expect(mine[0]?.type).toBe("call.started");
      expect(mine.filter((e) => e.type === "call.turn").length).toBeGreaterThanOrEqual(7);
      expect(mine.at(-1)?.type).toBe("call.ended");
    });

    test("bad input and ended calls give Hebrew errors and write nothing", async () => {
      const { callId } = await startTestCall(deps, scope);
      const before = await db.db.select().from(conversationTurns).where(eq(conversationTurns.callId, callId));
      const empty = await sayInTestCall(deps, scope, { callId, text: "   " }).catch((e: unknown) => e);
      expect(empty).toBeInstanceOf(AppError);
      expect((empty as AppError).code).toBe("BAD_REQUEST");
      expect((empty as AppError).userMessage).toMatch(/[\u0590-\u05ff]/);
      await endTestCall(deps, scope, { callId });
      const late = await sayInTestCall(deps, scope, { callId, text: "שלום" }).catch((e: unknown) => e);
      expect((late as AppError).code).toBe("CONFLICT");
      const after = await db.db.select().from(conversationTurns).where(eq(conversationTurns.callId, callId));
      expect(after).toHaveLength(before.length);
    });

    test("another business cannot see or drive the test call", async () => {
      const { callId } = await startTestCall(deps, scope);
      const say = await sayInTestCall(deps, other, { callId, text: "שלום" }).catch((e: unknown) => e);
      expect((say as AppError).code).toBe("NOT_FOUND");
      const end = await endTestCall(deps, other, { callId }).catch((e: unknown) => e);
      expect((end as AppError).code).toBe("NOT_FOUND");
      const [row] = await db.db.select().from(callLogs).where(eq(callLogs.id, callId));
      expect(row!.status).toBe("in_progress");
    });

    test("a real (non-test) call cannot be driven through the test call API", async () => {
      const [real] = await db.db
        .insert(callLogs)
        .values({ businessId: scope.businessId, callSid: `CA${crypto.randomUUID().replace(/-/g, "")}`, status: "in_progress" })
        .returning({ id: callLogs.id });
      const err = await sayInTestCall(deps, scope, { callId: real!.id, text: "שלום" }).catch((e: unknown) => e);
      expect((err as AppError).code).toBe("NOT_FOUND");
    });
  });
}
