/**
 * The message flow decided at /twilio/voice (no speech recognition, Direct
 * Record), the /twilio/fallback steps (fault, after hours, unanswered
 * transfer → callback task), the business's real greeting at
 * /static/greeting_he.mp3, and /ready.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, eq } from "drizzle-orm";
import { MISSED_TRANSFER_TITLE } from "../api/services/calls/missed-transfer";
import { businesses, callLogs, tasks } from "../db/schema";
import { createTestApp, signedTwilioPost, type TTestApp } from "./helpers/app";
import { DB_KINDS } from "./helpers/db";

const HOST = "https://kesher.example.com";
const ring = (callSid: string, from = "+972541234567") => ({ AccountSid: "AC00000000000000000000000000000000", CallSid: callSid, From: from, To: "+97235550100", CallStatus: "ringing" });
const plays = (xml: string) => [...xml.matchAll(/<Play>([^<]+)<\/Play>/g)].map((m) => m[1]!.replaceAll("&amp;", "&"));

for (const kind of DB_KINDS) {
  describe(`message flow without speech recognition [${kind}]`, () => {
    let t: TTestApp;
    const post = async (path: string, params: Record<string, string>) => t.app.request(signedTwilioPost(`${HOST}${path}`, params));
    const callRow = async (sid: string) => (await t.db.db.select().from(callLogs).where(eq(callLogs.callSid, sid)))[0];

    beforeAll(async () => {
      // No OPENAI_API_KEY and no simulator: nothing could understand a caller.
      t = await createTestApp(kind, { VOICE_SIMULATOR: "off", PUBLIC_BASE_URL: HOST });
    }, 480_000);
    afterAll(async () => {
      await t.close();
    });

    test("signed /twilio/voice → greeting + message prompt + Record (no stream, no fault wording); call row in record mode", async () => {
      const res = await post("/twilio/voice", ring("CA_nostt_1"));
      expect(res.status).toBe(200);
      const xml = await res.text();
      expect(xml).not.toContain("<Stream");
      expect(xml).not.toContain("<Say");
      const urls = plays(xml);
      expect(urls[0]).toStartWith(`${HOST}/static/greeting_he.mp3?business=${t.businessId}&v=`);
      expect(urls[1]).toStartWith(`${HOST}/static/message_prompt_he.mp3?business=${t.businessId}`);
      expect(urls.some((u) => u.includes("record_prompt_he"))).toBe(false);
      expect(xml.indexOf("<Record")).toBeGreaterThan(xml.indexOf("message_prompt_he"));
      expect(xml).toContain(`action="${HOST}/twilio/fallback?step=recorded"`);
      expect(urls.at(-1)).toStartWith(`${HOST}/static/fallback_he.mp3`);
      expect(xml).toContain("<Hangup/>");
      const row = (await callRow("CA_nostt_1"))!;
      expect(row.mode).toBe("record");
      expect(row.businessId).toBe(t.businessId);
    });

    test("the greeting URL serves the business's own greeting; editing the text changes the URL version and the audio", async () => {
      const first = plays(await (await post("/twilio/voice", ring("CA_nostt_2"))).text())[0]!;
      const a = await t.app.request(first.replace(HOST, ""));
      expect(a.status).toBe(200);
      expect(a.headers.get("content-type")).toBe("audio/mpeg");
      const bytesA = new Uint8Array(await a.arrayBuffer());
      expect(bytesA[0]).toBe(0xff);
      const [b] = await t.db.db.select().from(businesses).where(eq(businesses.id, t.businessId));
      await t.db.db.update(businesses).set({ settings: { ...b!.settings, greetingText: "שלום וברוכים הבאים, כאן המשרד של שי." } }).where(eq(businesses.id, t.businessId));
      try {
        const second = plays(await (await post("/twilio/voice", ring("CA_nostt_3"))).text())[0]!;
        expect(second).not.toBe(first);
        const bytesB = new Uint8Array(await (await t.app.request(second.replace(HOST, ""))).arrayBuffer());
        expect(Buffer.from(bytesB).equals(Buffer.from(bytesA))).toBe(false);
        // The same text and voice again: the cached audio, byte for byte.
        const again = new Uint8Array(await (await t.app.request(second.replace(HOST, ""))).arrayBuffer());
        expect(Buffer.from(again).equals(Buffer.from(bytesB))).toBe(true);
      } finally {
        await t.db.db.update(businesses).set({ settings: b!.settings }).where(eq(businesses.id, t.businessId));
      }
    });

    test("Direct Record mode answers the same way (greeting + message prompt)", async () => {
      const [b] = await t.db.db.select().from(businesses).where(eq(businesses.id, t.businessId));
      await t.db.db.update(businesses).set({ settings: { ...b!.settings, callMode: "record" } }).where(eq(businesses.id, t.businessId));
      try {
        const urls = plays(await (await post("/twilio/voice", ring("CA_direct_2"))).text());
        expect(urls[0]).toContain("/static/greeting_he.mp3?business=");
        expect(urls[1]).toContain("/static/message_prompt_he.mp3");
      } finally {
        await t.db.db.update(businesses).set({ settings: b!.settings }).where(eq(businesses.id, t.businessId));
      }
    });

    test("the watchdog fallback (a real fault) is the only place the fault apology is played", async () => {
      await post("/twilio/voice", ring("CA_fault"));
      const urls = plays(await (await post("/twilio/fallback", { CallSid: "CA_fault" })).text());
      expect(urls[0]).toContain("/static/record_prompt_he.mp3?business=");
      const msg = plays(await (await post("/twilio/fallback?step=message", { CallSid: "CA_fault" })).text());
      expect(msg[0]).toContain("/static/message_prompt_he.mp3");
      expect(msg.some((u) => u.includes("record_prompt_he"))).toBe(false);
    });

    test("unanswered transfer: the caller is told and can leave a message; one callback task (Twilio retries)", async () => {
      await post("/twilio/voice", ring("CA_dial", "+972541239876"));
      for (const status of ["no-answer", "no-answer"]) {
        const xml = await (await post("/twilio/fallback?step=dialed", { CallSid: "CA_dial", DialCallStatus: status })).text();
        expect(plays(xml)[0]).toContain("/static/transfer_failed_he.mp3");
        expect(xml).toContain("<Record");
      }
      const row = (await callRow("CA_dial"))!;
      const found = await t.db.db.select().from(tasks).where(and(eq(tasks.callId, row.id), eq(tasks.title, MISSED_TRANSFER_TITLE)));
      expect(found).toHaveLength(1);
      expect(found[0]!.businessId).toBe(t.businessId);
      expect(found[0]!.customerId).toBe(row.customerId);
      expect(found[0]!.priority).toBe("high");
      expect(found[0]!.description).toContain("+972541239876");
      expect(found[0]!.description).toContain("לא נענתה");
    });

    test("busy and failed transfers also create the task; a completed one does not", async () => {
      for (const [sid, status] of [["CA_busy", "busy"], ["CA_failed", "failed"], ["CA_done", "completed"]] as const) {
        await post("/twilio/voice", ring(sid));
        const xml = await (await post("/twilio/fallback?step=dialed", { CallSid: sid, DialCallStatus: status })).text();
        const row = (await callRow(sid))!;
        const n = (await t.db.db.select().from(tasks).where(eq(tasks.callId, row.id))).length;
        expect(n).toBe(status === "completed" ? 0 : 1);
        expect(xml.includes("<Record")).toBe(status !== "completed");
      }
    });

    test("forged fallback request → 403 and no task", async () => {
      await post("/twilio/voice", ring("CA_forged"));
      const req = signedTwilioPost(`${HOST}/twilio/fallback?step=dialed`, { CallSid: "CA_forged", DialCallStatus: "no-answer" }, { signature: "forged" });
      expect((await t.app.request(req)).status).toBe(403);
      const row = (await callRow("CA_forged"))!;
      expect(await t.db.db.select().from(tasks).where(eq(tasks.callId, row.id))).toHaveLength(0);
    });

    test("/ready is 503 until the prompts are made, then 200; /health stays 200 meanwhile", async () => {
      const before = await t.app.request("/ready");
      expect(before.status).toBe(503);
      expect(((await before.json()) as { prompts: string }).prompts).toBe("warming");
      expect((await t.app.request("/health")).status).toBe(200);
      await t.deps.audio.warm(t.db.db);
      const after = await t.app.request("/ready");
      expect(after.status).toBe(200);
      expect(await after.json()).toMatchObject({ ok: true, db: kind, prompts: "ready" });
    });
  });
}

describe("readiness when the database is gone", () => {
  test("/ready is 503 with the prompts ready but the database unreachable", async () => {
    const t = await createTestApp("pglite");
    await t.deps.audio.warm();
    await t.db.close();
    const res = await t.app.request("/ready");
    expect(res.status).toBe(503);
    expect(((await res.json()) as { db: string }).db).toBe("unreachable");
  });
});

describe("the simulator switch keeps streams for call-sim", () => {
  test("VOICE_SIMULATOR=on without a key → <Connect><Stream>", async () => {
    const t = await createTestApp("pglite", { VOICE_SIMULATOR: "on" });
    try {
      const xml = await (await t.app.request(signedTwilioPost(`${HOST}/twilio/voice`, ring("CA_sim")))).text();
      expect(xml).toContain("<Connect><Stream");
    } finally {
      await t.close();
    }
  });
});
