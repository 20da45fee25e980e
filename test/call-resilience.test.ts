/**
 * Tools on live calls, DTMF, the watchdog and Record mode, end to end on a
 * real database with the real Twilio SDK against the local Twilio REST double
 * (and the OpenAI STT double for recordings): signed webhooks in, REST calls
 * out, rows checked.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { and, asc, eq } from "drizzle-orm";
import OpenAI from "openai";
import { createApp } from "../api/app";
import { createLogger } from "../core/kernel/logger";
import { analyzeCall } from "../api/services/analysis/analyze-call";
import { transcribeRecording, twilioRecordingDownloader } from "../api/services/calls/transcribe-recording";
import { businesses, callLogs, conversationTurns, customers, tasks } from "../db/schema";
import { pcm16ToWav } from "../core/conversation/audio/wav";
import type { TAgent, TAgentEvent } from "../core/conversation/brain/types";
import { createCallServices, type TCallServices } from "../api/runtime/call-services";
import { createEngineSession } from "../realtime/engines/engine-session";
import type { TCallSession } from "../realtime/call-session";
import { LatencyHistogram } from "../realtime/metrics";
import { createLocalTts } from "../core/conversation/providers/tts/local";
import { createOpenAiStt } from "../core/conversation/providers/stt/openai";
import { createSimPhone } from "../realtime/tools/sim-phone";
import { createVoicePrompts, type TVoicePrompts } from "../core/conversation/voice-prompts";
import { startOpenAiDouble, type TOpenAiDouble } from "./doubles/openai-double";
import { startTwilioRestDouble, type TTwilioRestDouble } from "./doubles/twilio-rest";
import { createTestApp, signedTwilioPost, TEST_AUTH_TOKEN, type TTestApp } from "./helpers/app";
import { DB_KINDS } from "./helpers/db";
import { hintStt, scriptedAgent, toneTts } from "./helpers/voice-doubles";
import { waitFor } from "./helpers/wait-for";

const log = createLogger("silent");
const ORIGIN = "https://kesher.example.com";
// Wednesday 12:00 in Jerusalem (open) and Saturday 12:00 (closed) for the demo business hours.
const OPEN = () => new Date("2026-11-25T10:00:00Z");
const CLOSED = () => new Date("2026-11-28T10:00:00Z");
let prompts: TVoicePrompts;

beforeAll(async () => {
  prompts = createVoicePrompts({ tts: toneTts(), fallbackTts: createLocalTts(), log });
  await prompts.warm();
}, 30_000);

const sid = (p: string) => `${p}${crypto.randomUUID().replace(/-/g, "")}`;
const startMsg = (callSid: string, streamSid: string, params: Record<string, string>) =>
  JSON.stringify({ event: "start", sequenceNumber: "1", streamSid, start: { streamSid, callSid, accountSid: "AC0", tracks: ["inbound"], customParameters: { callSid, ...params }, mediaFormat: { encoding: "audio/x-mulaw", sampleRate: 8000, channels: 1 } } });
const mediaMsg = (streamSid: string, chunk: number) =>
  JSON.stringify({ event: "media", streamSid, media: { track: "inbound", chunk: String(chunk), timestamp: String(chunk * 20), payload: Buffer.from(new Uint8Array(160).fill(0xff)).toString("base64") } });
const dtmfMsg = (streamSid: string, digit: string) => JSON.stringify({ event: "dtmf", streamSid, dtmf: { track: "inbound_track", digit } });

/** An agent that says one sentence and then asks for an action (as the transfer/end tools do). */
function actingAgent(action: "transfer" | "hangup", say: string): TAgent {
  return {
    name: "acting",
    async *reply(): AsyncIterable<TAgentEvent> {
      yield { type: "metrics", firstTokenMs: 1 };
      yield { type: "text", delta: say };
      yield { type: "tool", name: action === "transfer" ? "transfer_to_human" : "end_call", args: {}, result: { action } };
      yield { type: "action", action };
    },
  };
}

for (const kind of DB_KINDS) {
  describe(`call resilience (${kind})`, () => {
    let twilio: TTwilioRestDouble;
    let oa: TOpenAiDouble;
    let t: TTestApp;
    let services: TCallServices;
    let app: ReturnType<typeof createApp>;
    let stt: ReturnType<typeof createOpenAiStt> | null = null;

    beforeAll(async () => {
      twilio = await startTwilioRestDouble({ authToken: TEST_AUTH_TOKEN });
      oa = startOpenAiDouble({ apiKey: "sk-test" });
      t = await createTestApp(kind, { TWILIO_ACCOUNT_SID: twilio.accountSid, TWILIO_API_BASE_URL: twilio.baseUrl, PUBLIC_BASE_URL: ORIGIN });
      services = createCallServices({ db: t.db.db, log, events: t.deps.events, config: t.deps.config, openai: null, watchdog: { startTimeoutMs: 150, mediaGapMs: 300, checkEveryMs: 25 }, now: OPEN });
      const download = twilioRecordingDownloader(t.deps.config.twilio);
      app = createApp(t.deps, {
        onStreamAnswered: (c) => services.watchdog.expectStream(c.callSid),
        onRecording: (r) => void transcribeRecording({ db: t.db.db, log, events: t.deps.events, stt, download, analyze: (id) => analyzeCall({ db: t.db.db, log }, id) }, r),
      });
    }, 300_000);
    afterAll(async () => {
      services.close();
      await twilio.close();
      await oa.close();
      await t.close();
    });

    const ring = async (callSid: string, from = "+972541230000") => {
      const res = await app.request(signedTwilioPost(`${ORIGIN}/twilio/voice`, { CallSid: callSid, From: from, To: "+97235550100", AccountSid: twilio.accountSid }));
      expect(res.status).toBe(200);
      const xml = await res.text();
      const params = Object.fromEntries([...xml.matchAll(/<Parameter name="([^"]+)" value="([^"]*)"\/>/g)].map((m) => [m[1]!, m[2]!]));
      return { xml, params };
    };
    const updatesFor = (callSid: string) => twilio.callUpdates.filter((u) => u.callSid === callSid);
    const callRow = async (callSid: string) => (await t.db.db.select().from(callLogs).where(eq(callLogs.callSid, callSid)))[0]!;

    test("transfer_to_human in business hours: REST update with <Dial> to the agent phone and no second announcement", async () => {
      const callSid = sid("CA");
      await ring(callSid);
      const out = await services.transfer({ callSid, businessId: t.businessId });
      expect(out?.kind).toBe("dial");
      const [u] = updatesFor(callSid);
      // The agent's own sentence was the announcement: the TwiML adds none.
      expect(u!.params.Twiml).not.toContain("<Say");
      expect(u!.params.Twiml).not.toContain("<Play");
      expect(u!.params.Twiml).toContain("<Number>+972501234567</Number>");
      expect(u!.params.Twiml).toContain(`action="${ORIGIN}/twilio/fallback?step=dialed"`);
      expect((await callRow(callSid)).transferred).toBe(true);
      // The <Dial> action: a conversation that happened ends the call, an unanswered one records a message.
      const done = await app.request(signedTwilioPost(`${ORIGIN}/twilio/fallback?step=dialed`, { CallSid: callSid, DialCallStatus: "completed" }));
      const doneXml = await done.text();
      expect(doneXml).toContain("<Hangup/>");
      expect(doneXml).not.toContain("<Record");
      const missed = await app.request(signedTwilioPost(`${ORIGIN}/twilio/fallback?step=dialed`, { CallSid: callSid, DialCallStatus: "no-answer" }));
      expect(await missed.text()).toContain("<Record");
    });

    test("transfer outside business hours takes a message instead (Record flow)", async () => {
      const closed = createCallServices({ db: t.db.db, log, config: t.deps.config, openai: null, now: CLOSED });
      const callSid = sid("CA");
      await ring(callSid);
      services.watchdog.stopped(callSid);
      const out = await closed.transfer({ callSid, businessId: t.businessId });
      closed.close();
      expect(out?.kind).toBe("message");
      const [u] = updatesFor(callSid);
      expect(u!.params.Twiml).not.toContain("<Dial");
      // The message prompt, never the fault apology.
      expect(u!.params.Twiml).toContain(`<Redirect method="POST">${ORIGIN}/twilio/fallback?step=message</Redirect>`);
      expect(u!.params.Twiml).not.toContain("<Say");
      expect((await callRow(callSid)).transferred).toBe(false);
    });

    test("watchdog: the stream never starts → the live call is redirected to /twilio/fallback", async () => {
      const callSid = sid("CA");
      await ring(callSid);
      const u = await waitFor(() => updatesFor(callSid)[0], "watchdog redirect", 5000);
      expect(u.params.Url).toBe(`${ORIGIN}/twilio/fallback`);
      expect(u.params.Method).toBe("POST");
      expect(services.watchdog.redirects.some((r) => r.callSid === callSid && r.why === "no-start")).toBe(true);
    });

    test("watchdog: a stream that started in another process (split api/realtime) is not a missing start", async () => {
      const callSid = sid("CA");
      await ring(callSid);
      // The realtime process attached the stream: the row says so (status, stream sid).
      await t.db.db.update(callLogs).set({ status: "in_progress", streamSid: sid("MZ") }).where(eq(callLogs.callSid, callSid));
      // The start timer fires, the watchdog looks at the row and lets the call be.
      const decided = await waitFor(() => services.watchdog.decisions.find((d) => d.callSid === callSid), "watchdog decision", 5000);
      expect(decided).toMatchObject({ why: "no-start", outcome: "not-needed" });
      expect(updatesFor(callSid)).toHaveLength(0);
      expect(services.watchdog.redirects.some((r) => r.callSid === callSid)).toBe(false);
    });

    test("watchdog: media stops mid-call → redirect; a normal stop → none", async () => {
      const mk = async () => {
        const callSid = sid("CA");
        const streamSid = sid("MZ");
        const { params } = await ring(callSid);
        const sent: string[] = [];
        const s = createEngineSession({ services, defaultEngine: "pipeline" }, { providers: { stt: hintStt(), tts: toneTts(), agent: scriptedAgent(["כן."]) }, prompts, db: t.db.db, log, events: t.deps.events, send: (m) => sent.push(m) });
        s.handle(startMsg(callSid, streamSid, params));
        for (let i = 1; i <= 5; i++) s.handle(mediaMsg(streamSid, i));
        return { callSid, streamSid, s };
      };
      const dying = await mk();
      const healthy = await mk();
      healthy.s.handle(JSON.stringify({ event: "stop", streamSid: healthy.streamSid, stop: { callSid: healthy.callSid } }));
      await healthy.s.end("socket closed");
      const u = await waitFor(() => updatesFor(dying.callSid)[0], "mid-call redirect", 5000);
      expect(u.params.Url).toBe(`${ORIGIN}/twilio/fallback`);
      expect(services.watchdog.redirects.find((r) => r.callSid === dying.callSid)?.why).toBe("media-stopped");
      // Both went quiet at the same moment; the stopped one is no longer watched, so no check can fire for it.
      expect(services.watchdog.watching(healthy.callSid)).toBe(false);
      await services.watchdog.check();
      expect(services.watchdog.decisions.some((d) => d.callSid === healthy.callSid)).toBe(false);
      expect(updatesFor(healthy.callSid)).toHaveLength(0);
      await dying.s.end("test");
    });

    test("watchdog: a session that crashes → the call is redirected at once", async () => {
      const callSid = sid("CA");
      const streamSid = sid("MZ");
      const { params } = await ring(callSid);
      // Fault injection: an engine whose message handling throws (a bug), behind the real wrapper.
      const crashing = (): TCallSession => ({
        handle: (raw) => {
          if (String(raw).includes('"media"')) throw new Error("engine bug");
        },
        end: async () => {},
        stats: { frameHandling: new LatencyHistogram(), framesIn: 0, framesLost: 0, malformed: 0, bargeIns: 0, bargeInClearMs: [], turnOverheadMs: [], turnFirstFrameMs: [], fallbacks: 0 },
        streamSid,
      });
      const s = createEngineSession({ services, defaultEngine: "pipeline", createRealtime: crashing }, { providers: { stt: hintStt(), tts: toneTts(), agent: scriptedAgent(["כן."]) }, prompts, db: t.db.db, log, send: () => {} });
      s.handle(startMsg(callSid, streamSid, { ...params, engine: "realtime" }));
      s.handle(mediaMsg(streamSid, 1));
      const u = await waitFor(() => updatesFor(callSid)[0], "crash redirect", 3000);
      expect(u.params.Url).toBe(`${ORIGIN}/twilio/fallback`);
      expect(services.watchdog.redirects.find((r) => r.callSid === callSid)?.why).toBe("crash");
    });

    test("DTMF 0 → transfer; digits then # → fed to the agent as text", async () => {
      const callSid = sid("CA");
      const streamSid = sid("MZ");
      const { params } = await ring(callSid);
      const seen: string[] = [];
      const s = createEngineSession({ services, defaultEngine: "pipeline" }, { providers: { stt: hintStt(), tts: toneTts(), agent: scriptedAgent(["רשמתי."], { seen }) }, prompts, db: t.db.db, log, send: () => {} });
      s.handle(startMsg(callSid, streamSid, params));
      for (const d of ["2", "5", "0", "0", "#"]) s.handle(dtmfMsg(streamSid, d));
      await waitFor(() => seen.includes("2500"), "digits reach the agent", 3000);
      expect(updatesFor(callSid)).toHaveLength(0);
      s.handle(dtmfMsg(streamSid, "0"));
      const u = await waitFor(() => updatesFor(callSid)[0], "dtmf transfer", 3000);
      expect(u.params.Twiml).toContain("<Dial");
      expect(u.params.Twiml).toContain("+972501234567");
      await s.end("stop");
    });

    for (const action of ["transfer", "hangup"] as const) {
      test(`agent tool ${action === "transfer" ? "transfer_to_human" : "end_call"}: sentence played, then the REST call; tool turn stored`, async () => {
        const callSid = sid("CA");
        const { params } = await ring(callSid);
        let phone!: ReturnType<typeof createSimPhone>;
        const s = createEngineSession(
          { services, defaultEngine: "pipeline" },
          { providers: { stt: hintStt(), tts: toneTts({ msPerChar: 5 }), agent: actingAgent(action, "בשמחה, רגע אחד.") }, prompts, db: t.db.db, log, send: (m) => queueMicrotask(() => phone.receive(m)), hangup: () => {} },
        );
        phone = createSimPhone({ send: (m) => s.handle(m), callSid });
        phone.start({ ...params, simScript: JSON.stringify(["אני רוצה לדבר עם נציג"]) });
        s.injectText!("אני רוצה לדבר עם נציג");
        // The action's own REST update (on a starved event loop the watchdog may have redirected the call first).
        const u = await waitFor(() => updatesFor(callSid).find((x) => (action === "transfer" ? x.params.Twiml : x.params.Status)), `${action} REST call`, 8000);
        if (action === "transfer") expect(u.params.Twiml).toContain("<Dial");
        else expect(u.params.Status).toBe("completed");
        phone.stop();
        await s.end("stop");
        const row = await callRow(callSid);
        const turns = await t.db.db.select().from(conversationTurns).where(eq(conversationTurns.callId, row.id)).orderBy(asc(conversationTurns.seq));
        expect(turns.some((x) => x.speaker === "tool" && x.toolName === (action === "transfer" ? "transfer_to_human" : "end_call"))).toBe(true);
        expect(turns.some((x) => x.speaker === "assistant" && x.text.includes("בשמחה"))).toBe(true);
        // The session's stop ran the post-call analysis.
        expect((await callRow(callSid)).summary).toBeTruthy();
      });
    }

    test("Record mode: the recording is downloaded with account auth, transcribed in Hebrew, stored as a turn, the lead updated and analysed", async () => {
      stt = createOpenAiStt({ client: new OpenAI({ apiKey: "sk-test", baseURL: oa.baseURL, maxRetries: 0 }), log, filter: false });
      oa.transcripts.push("שלום, אני מחפש דירה לקנות בגבעתיים עד שני מיליון שקל, תחזרו אליי");
      const callSid = sid("CA");
      const from = "+972547770001";
      await ring(callSid, from);
      services.watchdog.stopped(callSid);
      const pcm = new Int16Array(8000).map((_, i) => Math.round(Math.sin(i / 5) * 4000));
      const rec = twilio.addRecording(pcm16ToWav(pcm, 8000));
      const res = await app.request(signedTwilioPost(`${ORIGIN}/twilio/recording`, { CallSid: callSid, RecordingSid: rec.sid, RecordingUrl: rec.url, RecordingStatus: "completed", RecordingDuration: "1" }));
      expect(res.status).toBe(204);
      const row = await callRow(callSid);
      const turn = await waitFor(async () => (await t.db.db.select().from(conversationTurns).where(and(eq(conversationTurns.callId, row.id), eq(conversationTurns.speaker, "caller"))))[0], "transcript turn", 5000);
      expect(turn.text).toContain("גבעתיים");
      const req = oa.requests.find((r) => r.path === "/v1/audio/transcriptions")!;
      expect((req.body as { language: string }).language).toBe("he");
      expect((req.body as { file: { head: string } }).file.head).toBe("RIFF");
      expect(twilio.requests.some((r) => r.path.endsWith(`/Recordings/${rec.sid}.wav`))).toBe(true);
      // The lead is updated right after the turn is stored.
      const cust = await waitFor(async () => (await t.db.db.select().from(customers).where(and(eq(customers.businessId, t.businessId), eq(customers.phone, from))))[0]?.requirements.cities && (await t.db.db.select().from(customers).where(and(eq(customers.businessId, t.businessId), eq(customers.phone, from))))[0], "lead requirements", 5000);
      expect(cust.requirements.cities).toContain("גבעתיים");
      expect(cust.requirements.budgetMax).toBe(2_000_000);
      const analysed = await waitFor(async () => (await callRow(callSid)).summary, "analysis", 5000);
      expect(analysed).toContain("גבעתיים");
      expect((await callRow(callSid)).recordingSid).toBe(rec.sid);
    });

    test("Direct Record business without STT: recording stored, no invented transcript, a task to listen", async () => {
      stt = null;
      await t.db.db.update(businesses).set({ settings: { callMode: "record" } }).where(eq(businesses.id, t.businessId));
      const callSid = sid("CA");
      const { xml } = await ring(callSid, "+972547770002");
      expect(xml).toContain("<Record");
      expect(xml).not.toContain("<Stream");
      const rec = twilio.addRecording(pcm16ToWav(new Int16Array(800), 8000));
      await app.request(signedTwilioPost(`${ORIGIN}/twilio/recording`, { CallSid: callSid, RecordingSid: rec.sid, RecordingUrl: rec.url, RecordingStatus: "completed" }));
      const row = await callRow(callSid);
      const task = await waitFor(async () => (await t.db.db.select().from(tasks).where(eq(tasks.callId, row.id)))[0], "listen task", 5000);
      expect(task.title).toBe("להאזין להקלטת השיחה ולחזור ללקוח");
      expect(task.description).toContain(rec.url);
      const turns = await t.db.db.select().from(conversationTurns).where(eq(conversationTurns.callId, row.id));
      expect(turns.filter((x) => x.speaker === "caller")).toHaveLength(0);
      expect(row.mode).toBe("record");
      // Record mode is not a stream: the watchdog never watched it, so it cannot redirect it.
      expect(services.watchdog.watching(callSid)).toBe(false);
      await services.watchdog.check();
      expect(services.watchdog.decisions.some((d) => d.callSid === callSid)).toBe(false);
      expect(updatesFor(callSid)).toHaveLength(0);
    });
  });
}
