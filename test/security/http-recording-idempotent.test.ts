/**
 * Attack test for issue #12 item 7: Twilio may deliver a recording callback
 * more than once, at the same moment. Identical concurrent callbacks must
 * create one staff task, decided by the database (a unique key), not by a
 * check-then-insert that every concurrent request passes.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { eq } from "drizzle-orm";
import { createApp } from "../../api/app";
import { transcribeRecording } from "../../api/services/calls/transcribe-recording";
import { callLogs, tasks } from "../../db/schema";
import { createTestApp, signedTwilioPost, type TTestApp } from "../helpers/app";
import { DB_KINDS } from "../helpers/db";

const URL_BASE = "https://kesher.test";

for (const kind of DB_KINDS) {
  describe(`recording callbacks are idempotent [${kind}]`, () => {
    let t: TTestApp;
    beforeAll(async () => {
      t = await createTestApp(kind, { PUBLIC_BASE_URL: URL_BASE });
    }, 480_000);
    afterAll(async () => {
      await t.close();
    });

    test("8 identical concurrent recording callbacks → one task", async () => {
      const [call] = await t.db.db.insert(callLogs).values({ businessId: t.businessId, callSid: "CAdup00000000000000000000000000001", status: "completed", fromNumber: "+972501234567" }).returning({ id: callLogs.id });
      const processing: Promise<unknown>[] = [];
      // The real post-recording work (no speech recognition configured → a task to listen to it).
      const app = createApp(t.deps, {
        onRecording: (r) => void processing.push(transcribeRecording({ db: t.db.db, log: t.deps.log, events: t.deps.events, stt: null, download: async () => new Uint8Array() }, r)),
      });
      const params = { CallSid: "CAdup00000000000000000000000000001", RecordingSid: "REdup0001", RecordingUrl: "https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/REdup0001", RecordingStatus: "completed", RecordingDuration: "12" };
      const statuses = await Promise.all(Array.from({ length: 8 }, async () => (await app.request(signedTwilioPost(`${URL_BASE}/twilio/recording`, params))).status));
      expect(statuses.every((s) => s === 204)).toBe(true);
      await Promise.all(processing);
      const rows = await t.db.db.select().from(tasks).where(eq(tasks.callId, call!.id));
      expect(rows.length).toBe(1);
    }, 240_000);

    test("the database itself refuses a second task with the same key", async () => {
      const key = "recording:REdup0002";
      const insert = () =>
        t.db.db
          .insert(tasks)
          .values({ businessId: t.businessId, title: "להאזין להקלטה", dedupeKey: key })
          .onConflictDoNothing()
          .returning({ id: tasks.id });
      const results = await Promise.all([insert(), insert(), insert(), insert()]);
      expect(results.flat().length).toBe(1);
      expect((await t.db.db.select().from(tasks).where(eq(tasks.dedupeKey, key))).length).toBe(1);
    }, 60_000);
  });
}
