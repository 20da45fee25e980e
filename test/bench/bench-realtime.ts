/**
 * bench:realtime — N concurrent calls through the OpenAI Realtime bridge:
 * simulated Twilio phones (real-time 20 ms frames, echoed marks) ↔ engine
 * sessions ↔ the real SDK WebSocket over TLS ↔ the local Realtime double,
 * on an in-memory PGlite. Prints what the bridge itself adds:
 *   - caller frame → upstream (phone send → double receipt),
 *   - model audio → Twilio (double emits the first delta → first media frame out),
 *   - barge-in (speech_started emitted → Twilio clear out; → truncate received),
 *   - per-frame handling cost in the session.
 *
 *   bun run bench:realtime [--calls 20]
 */
import OpenAI from "openai";
import { createDb } from "../../db/client";
import { seedDemo } from "../../db/seed/seed-demo";
import { registerIncomingCall } from "../../api/services/calls/register-incoming-call";
import { createLogger } from "../../core/kernel/logger";
import { startRealtimeDouble, type TRealtimeConn } from "../doubles/openai-realtime-double";
import { pcm16ToMulaw } from "../../core/conversation/audio/mulaw";
import { LatencyHistogram, quantile } from "../../realtime/metrics";
import { createRealtimeSession } from "../../realtime/engines/realtime-session";
import { createSimPhone } from "../../realtime/tools/sim-phone";
import { createVoicePrompts } from "../../core/conversation/voice-prompts";
import { createLocalTts } from "../../core/conversation/providers/tts/local";

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const CALLS = arg("calls", 20);
const log = createLogger("warn");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tone = (ms: number) => pcm16ToMulaw(Int16Array.from({ length: ms * 8 }, (_, i) => Math.round(Math.sin(i / 4) * 6000)));
const fmt = (xs: number[]) => (xs.length ? `p50 ${quantile(xs, 0.5).toFixed(2)} ms · p95 ${quantile(xs, 0.95).toFixed(2)} ms · p99 ${quantile(xs, 0.99).toFixed(2)} ms · max ${Math.max(...xs).toFixed(2)} ms (n=${xs.length})` : "n=0");

const dbh = await createDb({});
await dbh.migrate();
const businessId = (await seedDemo(dbh.db, { adminPassword: "bench-password-123" })).businessId!;
const rt = await startRealtimeDouble({ apiKey: "sk-bench" });
const client = new OpenAI({ apiKey: "sk-bench", baseURL: rt.baseURL, maxRetries: 0 });
const prompts = createVoicePrompts({ tts: createLocalTts(), fallbackTts: createLocalTts(), log });
await prompts.warm();

const inbound: number[] = [];
const outbound: number[] = [];
const clearMs: number[] = [];
const truncateMs: number[] = [];
const frameCost = new LatencyHistogram();
const sentAt = new Map<TRealtimeConn | string, number[]>();
const received = new Map<TRealtimeConn, number>();
const truncateAt = new Map<TRealtimeConn, number>();
rt.onEvent = (conn, ev) => {
  if (ev.type === "input_audio_buffer.append") {
    const n = received.get(conn) ?? 0;
    received.set(conn, n + 1);
    const times = sentAt.get(conn.url);
    const t0 = times?.[n];
    if (t0 !== undefined) inbound.push(performance.now() - t0);
  } else if (ev.type === "conversation.item.truncate") truncateAt.set(conn, performance.now());
};

async function oneCall(i: number) {
  const callSid = `CA${crypto.randomUUID().replace(/-/g, "")}`;
  const reg = await registerIncomingCall(dbh.db, { callSid, from: `+9725400${String(10000 + i)}`, to: null });
  const key = `?model=bench-${i}`;
  const times: number[] = [];
  sentAt.set(key, times);
  let firstMediaAfter = 0;
  let firstMediaAt = 0;
  let clearAt = 0;
  let phone!: ReturnType<typeof createSimPhone>;
  const session = createRealtimeSession(
    { providers: { stt: { name: "none", transcribe: async () => ({ text: "", ms: 0 }) }, tts: createLocalTts(), agent: { name: "none", reply: async function* () {} } }, prompts, db: dbh.db, log, send: (m) => {
      const now = performance.now();
      if (firstMediaAfter && !firstMediaAt && m.includes('"media"')) firstMediaAt = now;
      if (!clearAt && m.includes('"clear"')) clearAt = now;
      queueMicrotask(() => phone.receive(m));
    } },
    { client, model: `bench-${i}`, wsOptions: { ca: rt.ca } },
  );
  phone = createSimPhone({
    callSid,
    send: (m) => {
      if (m.includes('"media"')) times.push(performance.now());
      session.handle(m);
    },
  });
  phone.start({ callSid, callId: reg.callId, businessId, caller: "+972541234567" });
  let conn: TRealtimeConn | undefined;
  while (!(conn = rt.connections.find((c) => c.url === key))) await sleep(10);
  sentAt.set(conn, times);
  sentAt.set(conn.url, times);
  await phone.waitFor(() => !phone.kesherSpeaking && phone.stats.firstAudioAt >= 0, 20_000, "greeting");
  await phone.say(tone(600));
  firstMediaAfter = performance.now();
  const reply = conn.respond({ audio: tone(2000), transcript: "יש לנו כמה דירות מתאימות ברמת גן", chunkDelayMs: 20 });
  await phone.waitFor(() => firstMediaAt > 0, 10_000, "reply audio");
  outbound.push(firstMediaAt - firstMediaAfter);
  await sleep(500);
  const tBarge = performance.now();
  conn.emit({ type: "input_audio_buffer.speech_started", audio_start_ms: 0, item_id: "caller" });
  await phone.waitFor(() => clearAt > 0 && truncateAt.has(conn), 5_000, "barge-in");
  clearMs.push(clearAt - tBarge);
  truncateMs.push(truncateAt.get(conn)! - tBarge);
  await reply;
  phone.stop();
  await session.end("stop");
  frameCost.merge(session.stats.frameHandling);
}

const t0 = performance.now();
await Promise.all(Array.from({ length: CALLS }, (_, i) => sleep(i * 50).then(() => oneCall(i))));
const wall = performance.now() - t0;
const costs = [0.5, 0.95, 0.99].map((q) => frameCost.quantile(q).toFixed(3));
console.log(`bench:realtime — ${CALLS} concurrent calls through the OpenAI Realtime bridge (TLS WebSocket double, PGlite), ${(wall / 1000).toFixed(1)} s`);
console.log(`  caller frame → upstream        ${fmt(inbound)}`);
console.log(`  model audio → Twilio media     ${fmt(outbound)}`);
console.log(`  barge-in → Twilio clear        ${fmt(clearMs)}`);
console.log(`  barge-in → truncate upstream   ${fmt(truncateMs)}`);
console.log(`  frame handling in the session  p50 ${costs[0]} ms · p95 ${costs[1]} ms · p99 ${costs[2]} ms (n=${frameCost.count})`);
await rt.close();
await dbh.close();
process.exit(0);
