/** testCall tRPC router over HTTP: permissions, tenant scoping, the full exchange and spoken previews. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { callLogs, conversationTurns } from "../db/schema";
import { createTestApp, type TTestApp } from "./helpers/app";
import { DB_KINDS } from "./helpers/db";
import { adminClient, clientFor, createTenant, trpcError, type TTestClient } from "./helpers/trpc";

for (const kind of DB_KINDS) {
  describe(`testCall router [${kind}]`, () => {
    let t: TTestApp;
    let admin: TTestClient;
    beforeAll(async () => {
      t = await createTestApp(kind);
      admin = await adminClient(t);
    }, 60_000);
    afterAll(() => t?.close());

    test("start → say → end over tRPC logs a TEST- call with turns and live events", async () => {
      const started = await admin.api.testCall.start.mutate({});
      expect(started.turns[0]?.speaker).toBe("assistant");
      expect(started.audio?.mimeType).toBe("audio/mpeg");
      const said = await admin.api.testCall.say.mutate({ callId: started.callId, text: "שלום, אני מחפש דירה לקנות ברמת גן" });
      expect(said.turns.map((x) => x.speaker)).toContain("assistant");
      const ended = await admin.api.testCall.end.mutate({ callId: started.callId });
      expect(ended.durationSec).toBeGreaterThanOrEqual(0);

      const [row] = await t.db.db.select().from(callLogs).where(eq(callLogs.id, started.callId));
      expect(row).toMatchObject({ businessId: t.businessId, status: "completed", direction: "test" });
      const turns = await t.db.db.select().from(conversationTurns).where(eq(conversationTurns.callId, started.callId));
      expect(turns.length).toBe(3);
      // The call shows up in the ordinary calls API, like a phone call.
      const got = await admin.api.calls.get.query({ id: started.callId });
      expect(got.turns.map((x) => x.text)).toContain("שלום, אני מחפש דירה לקנות ברמת גן");
      const types = t.events.filter((e) => "callId" in e && e.callId === started.callId).map((e) => e.type);
      expect(types[0]).toBe("call.started");
      expect(types).toContain("call.turn");
      expect(types.at(-1)).toBe("call.ended");
    });

    test("not logged in → UNAUTHORIZED; without the calls permission → FORBIDDEN; nothing written", async () => {
      const before = (await t.db.db.select().from(callLogs)).length;
      const anon = await trpcError(clientFor(t).api.testCall.start.mutate({}));
      expect(anon.data?.code).toBe("UNAUTHORIZED");
      const noCalls = await createTenant(t, { permissions: ["customers"] });
      const forbidden = await trpcError(noCalls.api.testCall.start.mutate({}));
      expect(forbidden.data?.code).toBe("FORBIDDEN");
      expect(forbidden.message).toMatch(/[\u0590-\u05ff]/);
      expect((await t.db.db.select().from(callLogs)).length).toBe(before);
    });

    test("another business cannot talk on or end this business's test call", async () => {
      const { callId } = await admin.api.testCall.start.mutate({});
      const other = await createTenant(t, { permissions: ["calls"] });
      const err = await trpcError(other.api.testCall.say.mutate({ callId, text: "שלום" }));
      expect(err.data?.code).toBe("NOT_FOUND");
      expect(err.message).toBe("שיחת הניסיון לא נמצאה");
      expect((await trpcError(other.api.testCall.end.mutate({ callId }))).data?.code).toBe("NOT_FOUND");
      // Their own test call lands in their own business.
      const own = await other.api.testCall.start.mutate({});
      const [row] = await t.db.db.select().from(callLogs).where(eq(callLogs.id, own.callId));
      expect(row!.businessId).toBe(other.businessId);
    });

    test("bad input is a Hebrew BAD_REQUEST, not a 500", async () => {
      const notUuid = await trpcError(admin.api.testCall.say.mutate({ callId: "nope", text: "שלום" }));
      expect(notUuid.data?.code).toBe("BAD_REQUEST");
      const { callId } = await admin.api.testCall.start.mutate({});
      const empty = await trpcError(admin.api.testCall.say.mutate({ callId, text: "  " }));
      expect(empty.data?.code).toBe("BAD_REQUEST");
      expect(empty.message).toBe("יש לכתוב מה המתקשר אומר");
      const tooLong = await trpcError(admin.api.testCall.speak.mutate({ text: "א".repeat(1001) }));
      expect(tooLong.data?.code).toBe("BAD_REQUEST");
    });

    test("speak returns playable MP3 of the text (the settings 'listen' preview)", async () => {
      const a = await admin.api.testCall.speak.mutate({ text: "שלום, הגעתם לשי דירות ומשרדים" });
      const mp3 = Buffer.from(a.audioBase64, "base64");
      expect(mp3[0] === 0x49 || (mp3[0] === 0xff && (mp3[1]! & 0xe0) === 0xe0)).toBe(true);
      expect(a.durationMs).toBeGreaterThan(800);
      const longer = await admin.api.testCall.speak.mutate({ text: "שלום, הגעתם לשי דירות ומשרדים. איך אפשר לעזור לכם היום? אנחנו כאן בשבילכם" });
      expect(longer.durationMs).toBeGreaterThan(a.durationMs);
    });
  });
}
