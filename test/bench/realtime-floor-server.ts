/**
 * The transport floor of `bench:realtime --floor`: a bridge with none of
 * Kesher in it, to tell how much of the server's CPU per call-minute is the
 * workload itself (WebSocket frames through loopback TCP, TLS to the model,
 * base64, timers) and how much is Kesher. It speaks the same wire as
 * bench-realtime-server.ts — POST /ring, Twilio media streams in, OpenAI
 * Realtime GA out over TLS — and does only what any bridge must: batch caller
 * frames into 80 ms appends (decode and re-encode, as Kesher does), cut model
 * deltas into 40 ms media messages paced 120 ms ahead with a mark every
 * 200 ms, play a greeting of GREETING_MS (pass the length a Kesher run of
 * bench:realtime prints, `--greeting-ms`, to compare like with like), and on `speech_started`
 * send `clear`, `response.cancel` and a truncate. No database, no
 * signature checks, no logs, no metrics. Not a product: a measuring stick.
 *
 * Env: FAKE_BASE_URL, FAKE_CA_FILE, GREETING_MS (default 4800), FLOOR_LEAD_MS (default 120; a huge
 * value sends every delta at once, as the official Twilio sample does, to price the pacing).
 */
import { readFileSync } from "node:fs";
import type { ServerWebSocket } from "bun";

const env = process.env;
const ca = readFileSync(env.FAKE_CA_FILE!, "utf8");
const upstreamUrl = `${env.FAKE_BASE_URL!.replace(/^http/, "ws")}/realtime?model=gpt-realtime`;
const greeting = new Uint8Array(Number(env.GREETING_MS ?? 4800) * 8).fill(0xff);
const CHUNK = 320; // 40 ms of μ-law
const LEAD_MS = Number(process.env.FLOOR_LEAD_MS ?? 120);

interface TConn {
  streamSid: string;
  up?: WebSocket;
  upOpen: boolean;
  pending: string[];
  batch: Uint8Array;
  batchLen: number;
  out: Uint8Array[];
  outOff: number;
  bufferEnd: number;
  sinceMark: number;
  sentMs: number;
  item: string;
  timer?: ReturnType<typeof setTimeout>;
  closed: boolean;
}

const sendUp = (c: TConn, text: string) => {
  if (c.upOpen) c.up!.send(text);
  else c.pending.push(text);
};

function pace(ws: ServerWebSocket<TConn>) {
  const c = ws.data;
  c.timer = undefined;
  if (c.closed) return;
  const now = performance.now();
  if (c.bufferEnd < now) c.bufferEnd = now;
  while (c.out.length && c.bufferEnd - now < LEAD_MS) {
    const head = c.out[0]!;
    const bytes = head.subarray(c.outOff, c.outOff + CHUNK);
    ws.send(`{"event":"media","streamSid":"${c.streamSid}","media":{"payload":"${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("base64")}"}}`);
    c.outOff += bytes.length;
    c.bufferEnd += bytes.length / 8;
    c.sinceMark += bytes.length / 8;
    c.sentMs += bytes.length / 8;
    if (c.outOff >= head.length) {
      c.out.shift();
      c.outOff = 0;
    }
    if (c.sinceMark >= 200 || !c.out.length) {
      ws.send(`{"event":"mark","streamSid":"${c.streamSid}","mark":{"name":"${Math.round(c.sentMs)}"}}`);
      c.sinceMark = 0;
    }
  }
  if (c.out.length) c.timer = setTimeout(() => pace(ws), Math.max(5, Math.min(20, c.bufferEnd - performance.now() - LEAD_MS / 2)));
}

function play(ws: ServerWebSocket<TConn>, audio: Uint8Array) {
  ws.data.out.push(audio);
  if (!ws.data.timer) pace(ws);
}

function onUpstream(ws: ServerWebSocket<TConn>, text: string) {
  const c = ws.data;
  const ev = JSON.parse(text) as { type: string; delta?: string; item_id?: string };
  switch (ev.type) {
    case "response.output_audio.delta":
      c.item = ev.item_id!;
      play(ws, Buffer.from(ev.delta!, "base64"));
      return;
    case "input_audio_buffer.speech_started":
      if (!c.out.length && c.bufferEnd <= performance.now()) return;
      c.out.length = 0;
      c.outOff = 0;
      c.bufferEnd = performance.now();
      clearTimeout(c.timer);
      c.timer = undefined;
      ws.send(`{"event":"clear","streamSid":"${c.streamSid}"}`);
      sendUp(c, `{"type":"response.cancel"}`);
      sendUp(c, JSON.stringify({ type: "conversation.item.truncate", item_id: c.item, content_index: 0, audio_end_ms: 0 }));
      return;
  }
}

function start(ws: ServerWebSocket<TConn>, streamSid: string) {
  const c = ws.data;
  c.streamSid = streamSid;
  const up = new WebSocket(upstreamUrl, { headers: { Authorization: "Bearer sk-bench" }, tls: { ca } } as unknown as string[]);
  c.up = up;
  up.onopen = () => {
    c.upOpen = true;
    up.send(JSON.stringify({ type: "session.update", session: { type: "realtime", audio: { input: { format: { type: "audio/pcmu" } }, output: { format: { type: "audio/pcmu" } } } } }));
    for (const m of c.pending.splice(0)) up.send(m);
  };
  up.onmessage = (e) => onUpstream(ws, String(e.data));
  up.onclose = () => {
    c.upOpen = false;
  };
  play(ws, greeting);
}

function onTwilio(ws: ServerWebSocket<TConn>, text: string) {
  const c = ws.data;
  const p = text.indexOf('"payload":"');
  if (text.startsWith('{"event":"media"') && p > 0) {
    const b64 = text.slice(p + 11, text.indexOf('"', p + 11));
    const bytes = Buffer.from(b64, "base64");
    c.batch.set(bytes, c.batchLen);
    c.batchLen += bytes.length;
    if (c.batchLen >= 640) {
      sendUp(c, `{"type":"input_audio_buffer.append","audio":"${Buffer.from(c.batch.buffer, 0, c.batchLen).toString("base64")}"}`);
      c.batchLen = 0;
    }
    return;
  }
  const m = JSON.parse(text) as { event: string; start?: { streamSid: string } };
  if (m.event === "start") start(ws, m.start!.streamSid);
  else if (m.event === "stop") ws.close(1000);
}

let cpu0 = process.cpuUsage();
let t0 = performance.now();
let peakRss = process.memoryUsage.rss();
let sessions = 0;
let live = 0;
let peakActive = 0;
setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 250).unref();

const control = Bun.serve({
  port: 0,
  hostname: "127.0.0.1",
  fetch(req) {
    const path = new URL(req.url).pathname;
    if (path === "/reset") {
      cpu0 = process.cpuUsage();
      t0 = performance.now();
      peakRss = process.memoryUsage.rss();
      peakActive = 0;
      return Response.json({ ok: true, rssMb: peakRss / 2 ** 20 });
    }
    const cpu = process.cpuUsage(cpu0);
    const none = { p50: 0, p99: 0, n: 0 };
    return Response.json({
      sessions,
      framesIn: 0,
      framesLost: 0,
      bargeIns: 0,
      underruns: 0,
      maxLeadMs: LEAD_MS,
      fallbacks: 0,
      bargeInClear: none,
      greeting: none,
      active: live,
      peakActive,
      admission: { refused: { capacity: 0, lag: 0 }, lagMs: 0 },
      cpuS: (cpu.user + cpu.system) / 1e6,
      wallS: (performance.now() - t0) / 1000,
      db: "none (transport floor)",
      greetingAudioMs: greeting.length / 8,
      rssMb: process.memoryUsage.rss() / 2 ** 20,
      peakRssMb: peakRss / 2 ** 20,
    });
  },
});

let n = 0;
const server = Bun.serve<TConn>({
  port: 0,
  hostname: "127.0.0.1",
  idleTimeout: 120,
  fetch(req, srv) {
    const url = new URL(req.url);
    if (url.pathname === "/ring") {
      n++;
      return Response.json({ callSid: url.searchParams.get("callSid"), caller: url.searchParams.get("from") ?? "", businessId: "floor", callId: String(n), streamToken: "floor", engine: "realtime" });
    }
    const data: TConn = { streamSid: "", upOpen: false, pending: [], batch: new Uint8Array(640 + 160), batchLen: 0, out: [], outOff: 0, bufferEnd: 0, sinceMark: 0, sentMs: 0, item: "", closed: false };
    if (srv.upgrade(req, { data })) return undefined;
    return new Response("not found", { status: 404 });
  },
  websocket: {
    perMessageDeflate: false,
    open() {
      live++;
      peakActive = Math.max(peakActive, live);
    },
    message(ws, message) {
      onTwilio(ws, typeof message === "string" ? message : Buffer.from(message).toString());
    },
    close(ws) {
      live--;
      sessions++;
      ws.data.closed = true;
      clearTimeout(ws.data.timer);
      ws.data.up?.close();
    },
  },
});
console.log(`BENCH_PORT=${server.port} BENCH_CTL=http://127.0.0.1:${control.port}`);
process.on("SIGTERM", () => process.exit(0));
