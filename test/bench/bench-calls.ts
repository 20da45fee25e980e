/**
 * `bun run bench:calls [--calls 200] [--ramp 2000]` — N concurrent simulated
 * Twilio calls against one media server (spawned as its own process with
 * delay-only provider doubles). Each call: greeting, one caller turn, a
 * barge-in during the reply, a second reply, hang-up. Caller audio is real
 * μ-law Hebrew speech (espeak), sent in real time, with marks echoed.
 * Prints inbound-frame handling p50/p95/p99, Kesher's own overhead per turn,
 * greeting first-frame latency, barge-in clear latency, frames lost, CPU and
 * RSS per call.
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import twilio from "twilio";
import { quantile } from "../../realtime/metrics";
import { synthesizeMulaw } from "../../core/conversation/providers/tts/local";
import { trimSilence } from "../../realtime/tools/call-sim";
import { createSimPhone } from "../../realtime/tools/sim-phone";

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const CALLS = arg("calls", 200);
const RAMP_MS = arg("ramp", 2000);
const LINES = ["שלום, אני מחפש דירת ארבעה חדרים ברמת גן.", "כן, הראשונה בבקשה."];

interface TCallResult {
  ok: boolean;
  error?: string;
  greetingMs: number | null;
  replyMs: number | null;
  clearMs: number | null;
  framesSent: number;
}

/** A throwaway auth token for this run: the server checks upgrades and stream tokens with it, as with Twilio's. */
const AUTH_TOKEN = randomBytes(16).toString("hex");

async function oneCall(url: string, audio: Uint8Array[], idx: number): Promise<TCallResult> {
  // As Twilio: the voice webhook registers the call (the bench server's /ring), then a signed upgrade.
  const callSid = `CAbench${idx}${randomBytes(8).toString("hex")}`;
  const caller = `+97254${String(1_000_000 + idx).padStart(7, "0")}`;
  const ring = await fetch(`${url.replace("ws://", "http://").replace("/ws/twilio-media", "")}/ring?callSid=${callSid}&from=${encodeURIComponent(caller)}`, { method: "POST" });
  if (!ring.ok) throw new Error(`ring failed: ${ring.status}`);
  const params = (await ring.json()) as Record<string, string>;
  const ws = new WebSocket(url, { headers: { "x-twilio-signature": twilio.getExpectedTwilioSignature(AUTH_TOKEN, url, {}) } } as unknown as string[]);
  await new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onerror = () => reject(new Error("ws open failed"));
  });
  let closed = false;
  ws.onclose = () => (closed = true);
  const starts: number[] = [];
  const firstStartAfter = (t: number) => starts.find((x) => x >= t);
  const phone = createSimPhone({
    callSid,
    send: (t) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(t);
    },
    onEvent: (e) => {
      if (e.type === "kesher-start") starts.push(performance.now());
    },
  });
  ws.onmessage = (m) => phone.receive(String(m.data));
  const r: TCallResult = { ok: false, greetingMs: null, replyMs: null, clearMs: null, framesSent: 0 };
  try {
    phone.start({ ...params, simScript: JSON.stringify(LINES) });
    await phone.waitFor(() => phone.stats.firstAudioAt >= 0, 5000, "greeting");
    r.greetingMs = phone.stats.firstAudioAt; // ms after the phone sent `start`
    await phone.waitFor(() => !phone.kesherSpeaking && phone.kesherSilentForMs > 600, 30_000, "greeting end");
    const before = starts.length;
    await phone.say(audio[0]!);
    const said = performance.now();
    await phone.waitFor(() => starts.length > before && firstStartAfter(said) !== undefined, 15_000, "reply");
    r.replyMs = firstStartAfter(said)! - said;
    await Bun.sleep(800);
    const clears = phone.stats.clears;
    const speakAt = performance.now();
    const barge = phone.say(audio[1]!);
    await phone.waitFor(() => phone.stats.clears > clears, 5000, "clear");
    r.clearMs = performance.now() - speakAt;
    await barge;
    const before2 = starts.length;
    await phone.waitFor(() => starts.length > before2, 15_000, "second reply");
    await phone.waitFor(() => !phone.kesherSpeaking && phone.kesherSilentForMs > 600, 30_000, "second reply end");
    r.ok = true;
  } catch (err) {
    r.error = err instanceof Error ? err.message : String(err);
  } finally {
    r.framesSent = phone.stats.framesSent;
    phone.stop();
    await Bun.sleep(50);
    if (!closed) ws.close();
  }
  return r;
}

const fmt = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(0));
const dist = (xs: number[]) => `p50 ${fmt(quantile(xs, 0.5))} · p95 ${fmt(quantile(xs, 0.95))} · p99 ${fmt(quantile(xs, 0.99))} · max ${fmt(xs.length ? Math.max(...xs) : 0)}`;

const server = Bun.spawn([process.execPath, join(import.meta.dir, "bench-server.ts")], { stdout: "pipe", stderr: "inherit", env: { ...process.env, LOG_LEVEL: "warn", TWILIO_AUTH_TOKEN: AUTH_TOKEN } });
try {
  const reader = (server.stdout as ReadableStream<Uint8Array>).getReader();
  let out = "";
  let port = 0;
  while (!port) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`bench server exited:\n${out}`);
    out += new TextDecoder().decode(value);
    port = Number(/BENCH_PORT=(\d+)/.exec(out)?.[1] ?? 0);
  }
  const base = `http://127.0.0.1:${port}`;
  const audio = await Promise.all(LINES.map(async (l) => trimSilence(await synthesizeMulaw(l))));
  console.log(`bench:calls — ${CALLS} concurrent calls, ramp ${RAMP_MS} ms, server pid ${server.pid}`);
  await fetch(`${base}/reset`);
  const t0 = performance.now();
  const results = await Promise.all(
    Array.from({ length: CALLS }, async (_, i) => {
      await Bun.sleep((RAMP_MS * i) / CALLS);
      return oneCall(`ws://127.0.0.1:${port}/ws/twilio-media`, audio, i);
    }),
  );
  // Sessions report when they end (after their persistence flushed): wait for all of them.
  let s = (await (await fetch(`${base}/stats`)).json()) as Record<string, any>;
  for (let i = 0; i < 120 && (s.active > 0 || s.sessions < CALLS); i++) {
    await Bun.sleep(250);
    s = (await (await fetch(`${base}/stats`)).json()) as Record<string, any>;
  }
  const wall = performance.now() - t0;
  const ok = results.filter((r) => r.ok).length;
  const sent = results.reduce((n, r) => n + r.framesSent, 0);
  const cores = s.cpuMs / s.wallMs;
  console.log(
    [
      ``,
      `calls completed:              ${ok}/${CALLS} (${results.filter((r) => !r.ok).map((r) => r.error).slice(0, 3).join("; ") || "no errors"})`,
      `peak concurrent sessions:     ${s.peakActive} (database: ${s.db}; ${s.sessions} sessions reported)`,
      `inbound frame handling (ms):  p50 ${fmt(s.frameHandlingMs.p50)} · p95 ${fmt(s.frameHandlingMs.p95)} · p99 ${fmt(s.frameHandlingMs.p99)} · max ${fmt(s.frameHandlingMs.max)} (${s.frameHandlingMs.n} frames)`,
      `frames lost:                  ${sent - s.framesIn} (sent ${sent}, received ${s.framesIn}; chunk gaps ${s.framesLost})`,
      `own overhead per turn (ms):   p50 ${fmt(s.ownOverheadMs.p50)} · p95 ${fmt(s.ownOverheadMs.p95)} · p99 ${fmt(s.ownOverheadMs.p99)} (${s.ownOverheadMs.n} turns)`,
      `endpoint → first frame (ms):  p50 ${fmt(s.firstFrameAfterEndpointMs.p50)} · p95 ${fmt(s.firstFrameAfterEndpointMs.p95)} (provider doubles: STT 250, LLM first token 350, TTS first byte 120)`,
      `greeting first frame (ms):    server p50 ${fmt(s.greetingFirstFrameMs.p50)} · p99 ${fmt(s.greetingFirstFrameMs.p99)} · max ${fmt(s.greetingFirstFrameMs.max)}`,
      `greeting, caller side (ms):   ${dist(results.map((r) => r.greetingMs).filter((x): x is number => x !== null))} (start sent → first audio received)`,
      `barge-in → clear (ms):        server (deciding frame → clear sent) p50 ${fmt(s.bargeInClearMs.p50)} · p99 ${fmt(s.bargeInClearMs.p99)} (${s.bargeInClearMs.n})`,
      `                              caller side (speech start → clear received, incl. ~60 ms onset + 120 ms confirmation) ${dist(results.map((r) => r.clearMs).filter((x): x is number => x !== null))}`,
      `reply latency, caller side:   ${dist(results.map((r) => r.replyMs).filter((x): x is number => x !== null))} (end of speech → first audio, incl. endpointing)`,
      `slow replies bridged (filler): ${s.fillers}; apologies (error or hard timeout): ${s.fallbacks}`,
      `server CPU:                   ${(cores * 100).toFixed(0)}% of one core over ${(s.wallMs / 1000).toFixed(1)} s → ${((cores * 100) / Math.max(1, s.peakActive)).toFixed(2)}% of a core per concurrent call`,
      `server RSS:                   base ${s.baseRssMb.toFixed(0)} MB, peak ${s.peakRssMb.toFixed(0)} MB → ${(((s.peakRssMb - s.baseRssMb) * 1024) / Math.max(1, s.peakActive)).toFixed(0)} KB per concurrent call`,
      `wall time:                    ${(wall / 1000).toFixed(1)} s`,
    ].join("\n"),
  );
} finally {
  server.kill("SIGTERM");
  await Promise.race([server.exited, Bun.sleep(5000)]);
}
process.exit(0);
