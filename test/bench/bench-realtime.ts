/**
 * bench:realtime — the reference workload of the OpenAI Realtime bridge (#18),
 * three processes so neither side measures the other's CPU:
 *   - the fake Realtime server (realtime-fake.ts): 1 s of caller speech, a 2 s
 *     reply, a barge-in every second reply; reply audio carries a timing marker;
 *   - Kesher's media server (bench-realtime-server.ts): the real bridge, database, admission;
 *   - this process: the Twilio generator (signed upgrades, 20 ms μ-law frames in
 *     real time, outbound audio played back in real time, marks echoed when
 *     played, `clear` honoured).
 * Reports first model audio → Twilio (p50/p99), barge-in → clear (p99), frames
 * lost, playback gaps per 100 replies, CPU seconds per call-minute (server and
 * PostgreSQL separately), RSS idle and per call, and admission refusals.
 *
 *   bun run bench:realtime [--calls 100] [--seconds 20] [--ramp 50] [--max-calls N] [--batch 80] [--profile DIR] [--workers N] [--floor [--greeting-ms MS]]
 *   DATABASE_URL=postgres://… bun run bench:realtime   (PostgreSQL; its CPU is read from /proc)
 * `--workers N` (PostgreSQL): N server processes on one port with reusePort, as MEDIA_WORKERS=N
 * runs them; CPU and RSS are summed over the workers, and each worker's share of the calls is shown.
 * `--floor` runs the same workload against realtime-floor-server.ts, a bare bridge (no Kesher, no database):
 * its CPU per call-minute is what the workload itself costs in Bun on this machine.
 */
import { randomBytes } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import twilio from "twilio";
import { quantile } from "../../realtime/metrics";

const arg = (name: string, def: string | undefined) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : def;
};
const CALLS = Number(arg("calls", "100"));
const SECONDS = Number(arg("seconds", "20"));
const RAMP = Number(arg("ramp", "50"));
const MAX_CALLS = arg("max-calls", undefined);
const BATCH = arg("batch", undefined);
const PROFILE = arg("profile", undefined);
const MAX_LAG = arg("max-lag", undefined);
const WORKERS = Number(arg("workers", "1"));
// --floor: the same workload against realtime-floor-server.ts (a bridge with none of Kesher in it, no database).
const FLOOR = process.argv.includes("--floor");
const GREETING_MS = arg("greeting-ms", undefined);
if (WORKERS > 1 && !process.env.DATABASE_URL) throw new Error("--workers needs DATABASE_URL: worker processes share one PostgreSQL database");
const AUTH_TOKEN = randomBytes(16).toString("hex");
const abs = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function spawnAndRead(cmd: string[], env: Record<string, string | undefined>, keys: string[]) {
  const proc = Bun.spawn(cmd, { stdout: "pipe", stderr: "inherit", env: { ...process.env, ...env } });
  const reader = proc.stdout.getReader();
  const found: Record<string, string> = {};
  let out = "";
  while (keys.some((k) => !(k in found))) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`${cmd.join(" ")} exited before printing ${keys.join(", ")}`);
    out += new TextDecoder().decode(value);
    for (const k of keys) {
      const m = new RegExp(`${k}=(\\S+)`).exec(out);
      if (m) found[k] = m[1]!;
    }
  }
  return { proc, found };
}

/** CPU seconds of every PostgreSQL process on the machine (the benchmark database is the only busy one). */
function postgresCpuS(): number {
  let ticks = 0;
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      if (!stat.includes("(postgres)")) continue;
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(f[11]) + Number(f[12]);
    } catch {
      // the process ended
    }
  }
  return ticks / 100;
}

const fake = await spawnAndRead([process.execPath, join(import.meta.dir, "realtime-fake.ts")], {}, ["FAKE_BASE_URL", "FAKE_CA_FILE", "FAKE_CTL"]);
const serverCmd = [process.execPath, ...(PROFILE ? ["--cpu-prof", "--cpu-prof-md", `--cpu-prof-dir=${PROFILE}`] : []), join(import.meta.dir, FLOOR ? "realtime-floor-server.ts" : "bench-realtime-server.ts")];
const serverEnv = { LOG_LEVEL: "error", TWILIO_AUTH_TOKEN: AUTH_TOKEN, ...fake.found, MAX_CALLS, APPEND_BATCH_MS: BATCH, ADMISSION_MAX_LAG_MS: MAX_LAG, GREETING_MS };
const first = await spawnAndRead(serverCmd, serverEnv, ["BENCH_PORT", "BENCH_CTL", ...(process.env.DATABASE_URL && !FLOOR ? ["BENCH_DB_URL"] : [])]);
// Further workers join the first one's port (reusePort) and database.
const servers = [first];
for (let i = 1; i < WORKERS; i++) servers.push(await spawnAndRead(serverCmd, { ...serverEnv, BENCH_PORT: first.found.BENCH_PORT, BENCH_SHARED_DB_URL: first.found.BENCH_DB_URL }, ["BENCH_PORT", "BENCH_CTL"]));
const base = `http://127.0.0.1:${first.found.BENCH_PORT}`;
const wsUrl = `ws://127.0.0.1:${first.found.BENCH_PORT}/ws/twilio-media`;
const ctl = fake.found.FAKE_CTL!;
const each = async <T>(path: string) => Promise.all(servers.map(async (w) => (await (await fetch(`${w.found.BENCH_CTL}${path}`)).json()) as T));
await sleep(3000); // start-up work (JIT, prompts) out of the way, as on a server that has been up a while
const idle = { rssMb: (await each<{ rssMb: number }>("/reset")).reduce((a, r) => a + r.rssMb, 0) };
await fetch(`${ctl}/reset`);
const { greetingAudioMs } = (await each<{ greetingAudioMs: number }>("/stats"))[0]!;
await fetch(`${ctl}/config?greetingMs=${Math.ceil(greetingAudioMs)}`);

interface TCall {
  ws: WebSocket;
  sid: string;
  streamSid: string;
  startedAt: number;
  chunk: number;
  playUntil: number;
  inReply: boolean;
  marks: { name: string; at: number }[];
  replies: { replyAt: number; firstAt: number; clearAt?: number; behindMs: number }[];
  /** When the greeting's first frame arrived (abs ms), and when the greeting would have finished playing. */
  greetingAt?: number;
  open: boolean;
}
const SILENCE = Buffer.alloc(160, 0xff).toString("base64");
const live = new Set<TCall>();
const done: TCall[] = [];
let refused = 0;
let failed = 0;
let framesSent = 0;
let gaps = 0;

function onMessage(c: TCall, text: string) {
  const t = abs();
  const m = JSON.parse(text) as { event: string; media?: { payload: string }; mark?: { name: string } };
  if (m.event === "media") {
    const p = m.media!.payload;
    const ms = ((p.length * 3) / 4 - (p.endsWith("==") ? 2 : p.endsWith("=") ? 1 : 0)) / 8;
    if (c.greetingAt === undefined) c.greetingAt = t;
    if (p.startsWith("S1NI")) {
      const head = Buffer.from(p.slice(0, 16), "base64");
      // behindMs: audio still queued for playback when the reply's first frame arrived (the greeting, for a first reply).
      c.replies.push({ replyAt: head.readDoubleLE(4), firstAt: t, behindMs: Math.max(0, c.playUntil - t) });
      c.inReply = true;
    } else if (c.inReply && t > c.playUntil + 5) gaps++;
    c.playUntil = Math.max(c.playUntil, t) + ms;
  } else if (m.event === "mark") c.marks.push({ name: m.mark!.name, at: Math.max(c.playUntil, t) });
  else if (m.event === "clear") {
    for (const k of c.marks.splice(0)) send(c, { event: "mark", streamSid: c.streamSid, mark: { name: k.name } });
    c.playUntil = t;
    c.inReply = false;
    const last = c.replies[c.replies.length - 1];
    if (last && last.clearAt === undefined) last.clearAt = t;
  }
}
const send = (c: TCall, msg: unknown) => {
  if (c.open) c.ws.send(typeof msg === "string" ? msg : JSON.stringify(msg));
};

async function dial(i: number) {
  const sid = `CAbench${i}${randomBytes(8).toString("hex")}`;
  const ring = await fetch(`${base}/ring?callSid=${sid}&from=${encodeURIComponent(`+97254${String(1_000_000 + i)}`)}`, { method: "POST" });
  const params = (await ring.json()) as Record<string, string> & { refused?: boolean };
  if (params.refused) return void refused++;
  const ws = new WebSocket(wsUrl, { headers: { "x-twilio-signature": twilio.getExpectedTwilioSignature(AUTH_TOKEN, wsUrl, {}) } } as unknown as string[]);
  const c: TCall = { ws, sid, streamSid: `MZ${randomBytes(16).toString("hex")}`, startedAt: 0, chunk: 0, playUntil: 0, inReply: false, marks: [], replies: [], open: false };
  ws.onmessage = (e) => onMessage(c, String(e.data));
  ws.onclose = () => {
    if (c.open) failed++;
    c.open = false;
    live.delete(c);
  };
  await new Promise<void>((resolve) => {
    ws.onopen = () => resolve();
    ws.onerror = () => (failed++, resolve());
  });
  if (ws.readyState !== WebSocket.OPEN) return;
  c.open = true;
  send(c, { event: "connected", protocol: "Call", version: "1.0.0" });
  const { refused: _r, ...custom } = params;
  send(c, { event: "start", sequenceNumber: "1", start: { accountSid: `AC${"0".repeat(32)}`, streamSid: c.streamSid, callSid: sid, tracks: ["inbound"], customParameters: custom, mediaFormat: { encoding: "audio/x-mulaw", sampleRate: 8000, channels: 1 } }, streamSid: c.streamSid });
  c.startedAt = abs();
  live.add(c);
}

// One 20 ms clock for every call: frames due by elapsed time (a late tick catches up, as Twilio's stream would), marks echoed once played.
const ticker = setInterval(() => {
  const t = abs();
  for (const c of live) {
    const due = Math.floor((t - c.startedAt) / 20);
    while (c.chunk < due) {
      c.chunk++;
      framesSent++;
      send(c, `{"event":"media","sequenceNumber":"${c.chunk + 1}","media":{"track":"inbound","chunk":"${c.chunk}","timestamp":"${c.chunk * 20}","payload":"${SILENCE}"},"streamSid":"${c.streamSid}"}`);
    }
    while (c.marks.length && c.marks[0]!.at <= t) send(c, { event: "mark", streamSid: c.streamSid, mark: { name: c.marks.shift()!.name } });
    if (t - c.startedAt >= SECONDS * 1000) {
      send(c, { event: "stop", streamSid: c.streamSid, stop: { callSid: c.sid } });
      c.open = false;
      c.ws.close(1000);
      live.delete(c);
      done.push(c);
    }
  }
}, 20);

const cpuPg0 = postgresCpuS();
const t0 = abs();
const dials: Promise<void>[] = [];
for (let i = 0; i < CALLS; i++) {
  dials.push(dial(i).catch(() => void failed++));
  await sleep(1000 / RAMP);
}
await Promise.all(dials);
while (live.size) await sleep(100);
const wallS = (abs() - t0) / 1000;
await sleep(1500); // sessions flush
const cpuPg = postgresCpuS() - cpuPg0;
clearInterval(ticker);
const perWorker = await each<Record<string, any>>("/stats");
const sum = (k: string) => perWorker.reduce((a, w) => a + Number(w[k] ?? 0), 0);
const s: Record<string, any> = {
  ...perWorker[0],
  framesIn: sum("framesIn"),
  framesLost: sum("framesLost"),
  underruns: sum("underruns"),
  maxLeadMs: Math.max(...perWorker.map((w) => w.maxLeadMs)),
  peakActive: sum("peakActive"),
  cpuS: sum("cpuS"),
  peakRssMb: sum("peakRssMb"),
  admission: { ...perWorker[0]!.admission, refused: { capacity: perWorker.reduce((a, w) => a + w.admission.refused.capacity, 0), lag: perWorker.reduce((a, w) => a + w.admission.refused.lag, 0) }, lagMs: Math.max(...perWorker.map((w) => w.admission.lagMs)) },
};
const f = (await (await fetch(`${ctl}/report`)).json()) as { appendBytes: number; appends: number; replies: number; truncates: number; errors: Record<string, number>; bargeIns: { replyAt: number; bargeAt: number }[]; cpuS: number };

const replies = done.flatMap((c) => c.replies);
const firstAudio = replies.map((r) => r.firstAt - r.replyAt);
// A call's first reply can queue behind the greeting if the fake's turn starts before the greeting has played.
const laterAudio = done.flatMap((c) => c.replies.slice(1)).map((r) => r.firstAt - r.replyAt);
const byReply = new Map(replies.map((r) => [r.replyAt, r]));
// Barge-ins on replies the caller heard (the fake goes on a moment after a call hangs up).
const heard = f.bargeIns.filter((b) => byReply.has(b.replyAt));
const clearMs = heard.map((b) => (byReply.get(b.replyAt)!.clearAt ?? NaN) - b.bargeAt).filter((x) => Number.isFinite(x));
const noClear = heard.length - clearMs.length;
const accepted = done.length;
const callMin = (accepted * SECONDS) / 60;
const fmt = (xs: number[]) => (xs.length ? `p50 ${quantile(xs, 0.5).toFixed(1)} ms · p99 ${quantile(xs, 0.99).toFixed(1)} ms · max ${Math.max(...xs).toFixed(1)} ms (n=${xs.length})` : "n=0");
const upFrames = f.appendBytes / 160;

console.log(`bench:realtime — ${CALLS} offered calls (${RAMP}/s), ${SECONDS} s each, ${s.db}; server${WORKERS > 1 ? ` (${WORKERS} workers on one port)` : ""}, fake Realtime and generator in separate processes; wall ${wallS.toFixed(1)} s`);
console.log(`  accepted ${accepted} · refused (Record flow) ${refused} · failed ${failed} · peak live ${s.peakActive} · admission ${JSON.stringify(s.admission.refused)} (lag now ${Math.round(s.admission.lagMs)} ms)`);
console.log(`  greeting (${(greetingAudioMs / 1000).toFixed(1)} s of audio): start → first frame ${fmt(done.filter((c) => c.greetingAt !== undefined).map((c) => c.greetingAt! - c.startedAt))}`);
console.log(`  first model audio → Twilio   ${fmt(firstAudio)}`);
const firstReplies = done.flatMap((c) => c.replies.slice(0, 1));
console.log(`    (first replies)            ${fmt(firstReplies.map((r) => r.firstAt - r.replyAt))} · ${firstReplies.filter((r) => r.behindMs > 20).length} arrived while earlier audio was still playing`);
console.log(`    (replies after the first)  ${fmt(laterAudio)}`);
console.log(`  barge-in → Twilio clear      ${fmt(clearMs)}${noClear ? ` · ${noClear} barge-ins without a clear` : ""}`);
console.log(`  frames lost                  server ${s.framesLost} of ${s.framesIn} · upstream ${(framesSent - upFrames).toFixed(0)} of ${framesSent} sent not appended (≤ 3 per call stay in the last batch) · ${f.appends} appends`);
console.log(`  playback gaps                ${gaps} in ${replies.length} replies = ${((100 * gaps) / Math.max(1, replies.length)).toFixed(2)} per 100 · server underruns ${s.underruns} · max lead ${Math.round(s.maxLeadMs)} ms`);
console.log(`  truncates                    ${f.truncates} · API errors ${JSON.stringify(f.errors)}`);
console.log(`  CPU per call-minute          server ${(s.cpuS / callMin).toFixed(3)} s${s.db === "postgres" ? ` · PostgreSQL ${(cpuPg / callMin).toFixed(3)} s (every postgres process on the machine)` : " (PGlite in the server process)"} · fake ${(f.cpuS / callMin).toFixed(3)} s (${s.cpuS.toFixed(1)} s server over ${callMin.toFixed(1)} call-min)`);
if (WORKERS > 1) console.log(`  per worker                   ${perWorker.map((w, i) => `#${i}: ${w.sessions} calls, ${Number(w.cpuS).toFixed(1)} s CPU, peak ${Number(w.peakRssMb).toFixed(0)} MB`).join(" · ")}`);
console.log(`  RSS${WORKERS > 1 ? " (sum of workers)" : "                    "}      idle ${idle.rssMb.toFixed(0)} MB · peak ${s.peakRssMb.toFixed(0)} MB · ${((s.peakRssMb - idle.rssMb) / Math.max(1, s.peakActive)).toFixed(2)} MB per live call`);
// The first worker last: it drops the throwaway database.
for (const w of servers.slice(1)) w.proc.kill("SIGTERM");
await Promise.all(servers.slice(1).map((w) => w.proc.exited));
first.proc.kill("SIGTERM");
fake.proc.kill("SIGTERM");
await first.proc.exited;
process.exit(0);
