/**
 * CallSession end to end in-process: a simulated Twilio phone (playback,
 * echoed marks, clear) talks to a real session on a real database (PGlite,
 * and PostgreSQL when DATABASE_URL is set). Caller audio is Hebrew speech
 * synthesised with espeak-ng through the phone path. Phone, session and
 * provider doubles share one virtual clock, so a call of several seconds runs
 * in milliseconds; the only real waits are the database's.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, asc, eq } from "drizzle-orm";
import { createEventBus, type TKesherEvent } from "../core/kernel/events";
import { createLogger } from "../core/kernel/logger";
import { registerIncomingCall } from "../api/services/calls/register-incoming-call";
import { seedDemo } from "../db/seed/seed-demo";
import { callLogs, conversationTurns } from "../db/schema";
import { createCallSession, type TCallSession, type TSessionOptions, type TSessionProviders } from "../realtime/call-session";
import { createVirtualClock, type TVirtualClock } from "../realtime/clock";
import { createCallRecorder, type TCallInfo } from "../realtime/persist/call-recorder";
import { createLocalTts, synthesizeMulaw } from "../core/conversation/providers/tts/local";
import { createSimPhone, type TSimEvent, type TSimPhone } from "../realtime/tools/sim-phone";
import { APOLOGY_TEXT, FILLER_TEXT, createVoicePrompts, type TVoicePrompts } from "../core/conversation/voice-prompts";
import { DB_KINDS, createTestDb, type TTestDb, TEST_PASSWORD_COST } from "./helpers/db";
import { failingAgent, hangingAgent, hintStt, scriptedAgent, toneTts } from "./helpers/voice-doubles";

const log = createLogger("silent");
const LINES = ["שלום, אני מחפש דירת ארבעה חדרים ברמת גן.", "התקציב שלי בערך שלושה מיליון שלוש מאות אלף שקל."];
const SHORT = "כן, תודה רבה.";
const speech = new Map<string, Uint8Array>();
let prompts: TVoicePrompts;

beforeAll(async () => {
  for (const l of [...LINES, SHORT]) speech.set(l, await synthesizeMulaw(l));
  const local = createLocalTts();
  prompts = createVoicePrompts({ tts: toneTts(), fallbackTts: local, log });
  await prompts.warm();
}, 120_000);

interface TRig {
  session: TCallSession;
  phone: TSimPhone;
  events: TSimEvent[];
  /** Everything the session sent, recorded synchronously. */
  sent: string[];
  bus: TKesherEvent[];
  callSid: string;
  clock: TVirtualClock;
  /** The call row was found or created (the only real I/O the conversation waits for). */
  attached: Promise<TCallInfo | undefined>;
  finish(): Promise<void>;
}

/** Doubles on the rig's clock: pass a function of the clock to get them. */
type TProvidersOn = Partial<TSessionProviders> | ((clock: TVirtualClock) => Partial<TSessionProviders>);

function rig(db: TTestDb, providersOn: TProvidersOn, params: Record<string, string>, options: TSessionOptions = {}, script = LINES): TRig {
  const clock = createVirtualClock({ auto: true });
  const providers = typeof providersOn === "function" ? providersOn(clock) : providersOn;
  const bus = createEventBus();
  const busEvents: TKesherEvent[] = [];
  bus.subscribe((e) => busEvents.push(e));
  const events: TSimEvent[] = [];
  const callSid = params.callSid ?? `CA${crypto.randomUUID().replace(/-/g, "")}`;
  let phone!: TSimPhone;
  const sent: string[] = [];
  const recorder = createCallRecorder({ db: db.db, log, events: bus });
  const attach = recorder.attach.bind(recorder);
  let attached: Promise<TCallInfo | undefined> = Promise.resolve(undefined);
  recorder.attach = (id) => {
    const p = attach(id);
    attached = p.catch(() => undefined);
    return p;
  };
  const session = createCallSession({
    providers: { stt: hintStt(5, [], clock), tts: toneTts({ clock }), agent: scriptedAgent(["בשמחה."], { clock }), ...providers },
    prompts,
    db: db.db,
    log,
    events: bus,
    recorder,
    clock,
    send: (t) => {
      sent.push(t);
      queueMicrotask(() => phone.receive(t));
    },
    options,
  });
  phone = createSimPhone({ send: (t) => session.handle(t), callSid, onEvent: (e) => events.push(e), clock });
  phone.start({ callSid, simScript: JSON.stringify(script), ...params });
  return {
    session,
    phone,
    events,
    sent,
    bus: busEvents,
    callSid,
    clock,
    get attached() {
      return attached;
    },
    async finish() {
      phone.stop();
      await session.end("test");
      clock.stop();
    },
  };
}

const turnsOf = (db: TTestDb, callId: string) =>
  db.db.select().from(conversationTurns).where(eq(conversationTurns.callId, callId)).orderBy(asc(conversationTurns.seq));

for (const kind of DB_KINDS) {
  describe(`call session (${kind})`, () => {
    let db: TTestDb;
    let businessId = "";
    beforeAll(async () => {
      db = await createTestDb(kind);
      businessId = (await seedDemo(db.db, { adminPassword: "demo-password-123", passwordCost: TEST_PASSWORD_COST })).businessId!;
    }, 120_000);
    afterAll(() => db.destroy());

    const registered = async (from = "+972541112233") => {
      const callSid = `CA${crypto.randomUUID().replace(/-/g, "")}`;
      const r = await registerIncomingCall(db.db, { callSid, from, to: null });
      return { callSid, callId: r.callId, businessId: r.business.id, caller: from };
    };

    test("greets at once, holds two turns, persists turns, metrics and status, publishes events", async () => {
      const ids = await registered();
      const seen: string[] = [];
      const r = rig(db, (clock) => ({ agent: scriptedAgent(["יש לנו כמה דירות ברמת גן. מה התקציב?", "מצוין, אחפש לך."], { seen, clock }) }), ids);
      // The greeting's first frame left while `start` was being handled: nothing awaited the database.
      expect(r.sent.some((m) => m.includes('"event":"media"'))).toBe(true);
      await r.phone.waitFor(() => r.phone.stats.firstAudioAt >= 0, 1000, "greeting audio");
      await r.attached;
      expect(r.session.stats.greetingFirstFrameMs).toBeDefined();
      await r.phone.waitFor(() => !r.phone.kesherSpeaking, 10_000, "greeting played");
      await r.phone.say(speech.get(LINES[0]!)!);
      await r.phone.waitFor(() => r.events.filter((e) => e.type === "kesher-end").length >= 2, 15_000, "first reply played");
      await r.phone.say(speech.get(LINES[1]!)!);
      await r.phone.waitFor(() => r.events.filter((e) => e.type === "kesher-end").length >= 3, 15_000, "second reply played");
      await r.finish();

      expect(seen).toEqual(LINES);
      const sentences = r.events.filter((e) => e.type === "sentence").map((e) => (e as { text: string }).text);
      expect(sentences).toContain("יש לנו כמה דירות ברמת גן.");
      expect(sentences).toContain("מה התקציב?");
      const turns = await turnsOf(db, ids.callId);
      expect(turns.map((t) => [t.speaker, t.text, t.interrupted])).toEqual([
        ["assistant", "שלום, איך אפשר לעזור לכם היום?", false],
        ["caller", LINES[0]!, false],
        ["assistant", "יש לנו כמה דירות ברמת גן. מה התקציב?", false],
        ["caller", LINES[1]!, false],
        ["assistant", "מצוין, אחפש לך.", false],
      ]);
      const m = turns[2]!.metrics!;
      expect(m.firstFrameMs).toBeGreaterThan(0);
      expect(m.sttMs).toBeGreaterThanOrEqual(0);
      expect(m.ownOverheadMs).toBeGreaterThanOrEqual(0);
      expect(m.llmFirstTokenMs).toBeGreaterThanOrEqual(0);
      const [row] = await db.db.select().from(callLogs).where(eq(callLogs.id, ids.callId));
      expect(row!.status).toBe("completed");
      expect(row!.streamSid).toMatch(/^MZ/);
      expect(row!.answeredAt).toBeInstanceOf(Date);
      expect(row!.endedAt).toBeInstanceOf(Date);
      expect(row!.metrics.turns).toBe(2);
      expect(row!.metrics.framesIn).toBeGreaterThan(100);
      expect(row!.metrics.framesLost).toBe(0);
      expect(row!.metrics.greetingFirstFrameMs).toBeGreaterThanOrEqual(0);
      expect(r.bus.filter((e) => e.type === "call.turn").length).toBe(5);
      expect(r.bus.some((e) => e.type === "call.ended" && e.callId === ids.callId)).toBe(true);
    }, 40_000);

    test("barge-in: clear goes out, the reply stops, the stored turn is cut to what was heard", async () => {
      const ids = await registered("+972541112299");
      const long = "יש לנו שלוש דירות מתאימות ברמת גן. הראשונה ברחוב ביאליק, ארבעה חדרים, קומה שלישית עם מעלית. השנייה בשכונת הבורסה, משופצת לגמרי. השלישית ליד הפארק הלאומי.";
      const r = rig(db, (clock) => ({ agent: scriptedAgent([long], { clock }) }), ids);
      await r.attached;
      await r.phone.waitFor(() => !r.phone.kesherSpeaking && r.phone.stats.firstAudioAt >= 0, 10_000, "greeting played");
      await r.phone.say(speech.get(LINES[0]!)!);
      await r.phone.waitFor(() => r.events.filter((e) => e.type === "kesher-start").length >= 2, 10_000, "reply started");
      // Let the caller hear 1.5 s of the reply before interrupting.
      await r.clock.sleep(1500);
      const clearsBefore = r.phone.stats.clears;
      const talking = r.phone.say(speech.get(LINES[1]!)!);
      await r.phone.waitFor(() => r.phone.stats.clears > clearsBefore, 5000, "clear");
      await talking;
      await r.phone.waitFor(() => r.events.filter((e) => e.type === "kesher-end").length >= 3, 15_000, "reply to the interruption");
      await r.finish();

      expect(r.session.stats.bargeIns).toBe(1);
      const turns = await turnsOf(db, ids.callId);
      const cut = turns.find((t) => t.speaker === "assistant" && t.interrupted)!;
      expect(cut).toBeDefined();
      expect(cut.text.length).toBeGreaterThan(0);
      expect(cut.text.length).toBeLessThan(long.length);
      expect(long.startsWith(cut.text.replace(/…$/, ""))).toBe(true);
      // The caller's interrupting line was heard and answered.
      expect(turns.filter((t) => t.speaker === "caller").map((t) => t.text)).toEqual(LINES);
      expect(turns[turns.length - 1]).toMatchObject({ speaker: "assistant", interrupted: false });
    }, 40_000);

    for (const [name, providers, why] of [
      ["an agent that throws", () => ({ agent: failingAgent() }), "agent error"],
      ["an agent that hangs", (clock: TVirtualClock) => ({ agent: hangingAgent(clock) }), "timeout"],
      ["a TTS that throws", (clock: TVirtualClock) => ({ tts: toneTts({ fail: true, clock }) }), "tts error"],
    ] as const) {
      test(`${name} → the apology is played, not silence`, async () => {
        const ids = await registered("+972541113300");
        const r = rig(db, providers, ids, { replyTimeoutMs: 800, hardTimeoutMs: 2500 }, [SHORT]);
        await r.attached;
        await r.phone.waitFor(() => !r.phone.kesherSpeaking && r.phone.stats.firstAudioAt >= 0, 10_000, "greeting played");
        const startsBefore = r.events.filter((e) => e.type === "kesher-start").length;
        await r.phone.say(speech.get(SHORT)!);
        await r.phone.waitFor(() => r.events.filter((e) => e.type === "kesher-start").length > startsBefore, 5000, "fallback audio");
        await r.phone.waitFor(() => r.events.some((e) => e.type === "sentence" && e.text === APOLOGY_TEXT), 10_000, "the apology");
        await r.phone.waitFor(() => !r.phone.kesherSpeaking, 10_000, "apology played");
        // A hang is bridged by the filler first (never silence), errors go straight to the apology.
        expect(r.events.some((e) => e.type === "sentence" && e.text === FILLER_TEXT)).toBe(why === "timeout");
        await r.finish();
        expect(r.events.some((e) => e.type === "sentence" && e.text === APOLOGY_TEXT)).toBe(true);
        const turns = await turnsOf(db, ids.callId);
        const last = turns[turns.length - 1]!;
        expect(last).toMatchObject({ speaker: "assistant", text: APOLOGY_TEXT });
        expect(last.metrics?.fallback).toBe(why);
        expect(r.session.stats.fallbacks).toBe(1);
      }, 30_000);
    }

    test("a slow reply is bridged by the filler and still delivered (no apology)", async () => {
      const ids = await registered("+972541113311");
      const r = rig(db, (clock) => ({ agent: scriptedAgent(["הנה התשובה."], { tokenDelayMs: 1300, clock }) }), ids, { replyTimeoutMs: 800, hardTimeoutMs: 6000 }, [SHORT]);
      await r.attached;
      await r.phone.waitFor(() => !r.phone.kesherSpeaking && r.phone.stats.firstAudioAt >= 0, 10_000, "greeting played");
      await r.phone.say(speech.get(SHORT)!);
      await r.phone.waitFor(() => r.events.some((e) => e.type === "sentence" && e.text === "הנה התשובה."), 10_000, "the real reply");
      await r.phone.waitFor(() => !r.phone.kesherSpeaking, 10_000, "reply played");
      await r.finish();
      const said = r.events.filter((e) => e.type === "sentence").map((e) => (e as { text: string }).text);
      expect(said.indexOf(FILLER_TEXT)).toBeGreaterThan(-1);
      expect(said.indexOf(FILLER_TEXT)).toBeLessThan(said.indexOf("הנה התשובה."));
      expect(said).not.toContain(APOLOGY_TEXT);
      const turns = await turnsOf(db, ids.callId);
      expect(turns[turns.length - 1]).toMatchObject({ speaker: "assistant", text: "הנה התשובה.", interrupted: false });
      expect(turns[turns.length - 1]!.metrics?.filler).toBe(true);
      expect(r.session.stats.fallbacks).toBe(0);
    }, 30_000);

    test("malformed input is logged and ignored; the call goes on", async () => {
      const ids = await registered("+972541114400");
      const r = rig(db, {}, ids, {}, [SHORT]);
      await r.attached;
      await r.phone.waitFor(() => !r.phone.kesherSpeaking && r.phone.stats.firstAudioAt >= 0, 10_000, "greeting played");
      r.session.handle("{not json");
      r.session.handle(JSON.stringify({ event: "media", streamSid: r.session.streamSid, media: { payload: "%%%" } }));
      r.session.handle(JSON.stringify({ event: "transcription", streamSid: r.session.streamSid }));
      r.session.handle(new Uint8Array([0xff, 0x00, 0x12]));
      r.session.handle(JSON.stringify({ event: "mark", streamSid: r.session.streamSid, mark: { name: "no-such-mark" } }));
      r.session.handle(JSON.stringify({ event: "dtmf", streamSid: r.session.streamSid, dtmf: { digit: "5" } }));
      await r.phone.say(speech.get(SHORT)!);
      await r.phone.waitFor(() => r.events.filter((e) => e.type === "kesher-end").length >= 2, 15_000, "reply after junk");
      await r.finish();
      expect(r.session.stats.malformed).toBe(4);
      const [row] = await db.db.select().from(callLogs).where(eq(callLogs.id, ids.callId));
      expect(row!.metrics.malformedMessages).toBe(4);
      const turns = await turnsOf(db, ids.callId);
      expect(turns.map((t) => t.speaker)).toEqual(["assistant", "caller", "assistant"]);
    }, 30_000);

    test("a stream whose call_logs row is missing (webhook DB failure) creates it", async () => {
      const callSid = `CA${crypto.randomUUID().replace(/-/g, "")}`;
      const r = rig(db, {}, { callSid, businessId, caller: "+972541115500" }, {}, [SHORT]);
      await r.attached;
      await r.phone.waitFor(() => !r.phone.kesherSpeaking && r.phone.stats.firstAudioAt >= 0, 10_000, "greeting played");
      await r.phone.say(speech.get(SHORT)!);
      await r.phone.waitFor(() => r.events.filter((e) => e.type === "kesher-end").length >= 2, 15_000, "reply");
      await r.finish();
      const [row] = await db.db.select().from(callLogs).where(and(eq(callLogs.callSid, callSid), eq(callLogs.businessId, businessId)));
      expect(row).toBeDefined();
      expect(row!.status).toBe("completed");
      expect(row!.fromNumber).toBe("+972541115500");
      expect(row!.customerId).not.toBeNull();
      expect((await turnsOf(db, row!.id)).length).toBe(3);
    }, 30_000);

    test("a forged callId of another business does not attach to that call", async () => {
      const ids = await registered("+972541116600");
      const otherSid = `CA${crypto.randomUUID().replace(/-/g, "")}`;
      // Right callId, wrong business and another CallSid: the session must not touch the real row.
      const r = rig(db, {}, { callSid: otherSid, callId: ids.callId, businessId: "00000000-0000-4000-8000-000000000000" });
      await r.phone.waitFor(() => r.phone.stats.firstAudioAt >= 0, 5000, "greeting");
      await r.finish();
      const [orig] = await db.db.select().from(callLogs).where(eq(callLogs.id, ids.callId));
      expect(orig!.streamSid).toBeNull();
      expect(orig!.status).toBe("ringing");
    }, 20_000);
  });
}
