/**
 * The fake OpenAI Realtime server of `bench:realtime`, in its own process (a
 * fake starved of CPU would measure itself, not Kesher). GA WebSocket
 * protocol over TLS (self-signed; the PEM path is printed). Each connection,
 * once configured, plays the mixed workload: the caller talks for 1 s, the
 * model answers with 2 s of μ-law (100 ms deltas, twice real time, as the
 * real API streams), and every second reply the caller barges in after 1 s
 * (`speech_started`). The first bytes of each reply carry a marker (magic +
 * absolute time) so the generator can time model audio → Twilio across
 * processes; barge-in times are kept by reply and served on GET /report.
 * The first turn waits for the greeting to play (GET /config?greetingMs=).
 *
 *   bun test/bench/realtime-fake.ts   → prints FAKE_BASE_URL=…, FAKE_CA_FILE=…, FAKE_CTL=…
 */
import type { ServerWebSocket } from "bun";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import selfsigned from "selfsigned";

const REPLY_MS = Number(process.env.FAKE_REPLY_MS ?? 2000);
const CALLER_MS = Number(process.env.FAKE_CALLER_MS ?? 1000);
const BARGE_AFTER_MS = Number(process.env.FAKE_BARGE_AFTER_MS ?? 1000);
// The caller listens to the whole greeting before the first turn (set by the driver: /config?greetingMs=).
let greetingMs = 0;
export const MARKER = [0x4b, 0x53, 0x48, 0x52]; // "KSHR"
const abs = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// One reply's audio: a tone; each connection copies it and stamps the marker.
const tone = new Uint8Array(REPLY_MS * 8);
for (let i = 0; i < tone.length; i++) tone[i] = 0x80 | Math.round(Math.abs(Math.sin(i / 4)) * 0x3f);

interface TConn {
  items: Map<string, number>; // item id → ms of audio
  active: string | null;
  closed: boolean;
  configured: boolean;
}
const report = { connections: 0, appendBytes: 0, appends: 0, replies: 0, bargeIns: [] as { replyAt: number; bargeAt: number }[], truncates: 0, errors: {} as Record<string, number> };
let seq = 0;
const id = (p: string) => `${p}_${(++seq).toString(36)}`;

const pems = await selfsigned.generate([{ name: "commonName", value: "127.0.0.1" }], {
  keyType: "ec",
  algorithm: "sha256",
  extensions: [{ name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }] }],
});
const caFile = join(tmpdir(), `kesher-fake-ca-${process.pid}.pem`);
writeFileSync(caFile, pems.cert);

function send(ws: ServerWebSocket<TConn>, ev: Record<string, unknown>) {
  if (ws.data.closed) return;
  if (ev.type === "error") {
    const code = String((ev.error as { code?: string }).code);
    report.errors[code] = (report.errors[code] ?? 0) + 1;
  }
  ws.send(JSON.stringify(ev));
}

async function reply(ws: ServerWebSocket<TConn>, barge: boolean) {
  const c = ws.data;
  const responseId = id("resp");
  const itemId = id("item");
  c.active = responseId;
  send(ws, { type: "input_audio_buffer.speech_stopped", audio_end_ms: 0, item_id: id("item") });
  send(ws, { type: "response.created", response: { id: responseId, status: "in_progress" } });
  const audio = tone.slice();
  const replyAt = abs();
  audio.set(MARKER, 0);
  new DataView(audio.buffer).setFloat64(4, replyAt, true);
  report.replies++;
  c.items.set(itemId, 0);
  const bargeAt = barge ? replyAt + BARGE_AFTER_MS : Infinity;
  for (let o = 0; o < audio.length; o += 800) {
    if (c.active !== responseId || c.closed) break;
    if (abs() >= bargeAt) break;
    const part = audio.subarray(o, o + 800);
    c.items.set(itemId, (c.items.get(itemId) ?? 0) + part.length / 8);
    send(ws, { type: "response.output_audio.delta", response_id: responseId, item_id: itemId, output_index: 0, content_index: 0, delta: Buffer.from(part).toString("base64") });
    if (o === 0) send(ws, { type: "response.output_audio_transcript.delta", response_id: responseId, item_id: itemId, delta: "יש לנו כמה דירות מתאימות" });
    await sleep(50);
  }
  if (barge && !c.closed) {
    const wait = bargeAt - abs();
    if (wait > 0) await sleep(wait);
    report.bargeIns.push({ replyAt, bargeAt: abs() });
    send(ws, { type: "input_audio_buffer.speech_started", audio_start_ms: 0, item_id: id("item") });
    return;
  }
  if (c.active === responseId) {
    c.active = null;
    send(ws, { type: "response.output_audio.done", response_id: responseId, item_id: itemId, output_index: 0, content_index: 0 });
    send(ws, { type: "response.output_audio_transcript.done", response_id: responseId, item_id: itemId, transcript: "יש לנו כמה דירות מתאימות" });
    send(ws, { type: "response.done", response: { id: responseId, status: "completed" } });
  }
}

async function converse(ws: ServerWebSocket<TConn>) {
  await sleep(greetingMs);
  for (let k = 0; !ws.data.closed; k++) {
    await sleep(CALLER_MS);
    if (ws.data.closed) return;
    const barge = k % 2 === 1;
    await reply(ws, barge);
    // The reply plays out (≈ REPLY_MS from its start, the deltas went at twice real time), then the caller talks again.
    if (!barge) await sleep(REPLY_MS / 2);
  }
}

const server = Bun.serve<TConn>({
  hostname: "127.0.0.1",
  port: 0,
  tls: { cert: pems.cert, key: pems.private },
  fetch(req, srv) {
    if (new URL(req.url).pathname !== "/v1/realtime") return new Response("not found", { status: 404 });
    if (srv.upgrade(req, { data: { items: new Map(), active: null, closed: false, configured: false } })) return undefined;
    return new Response("expected a websocket", { status: 400 });
  },
  websocket: {
    perMessageDeflate: false,
    open(ws) {
      report.connections++;
      send(ws, { type: "session.created", session: { id: id("sess"), type: "realtime" } });
    },
    message(ws, message) {
      const text = String(message);
      // The hot event, counted without a parse (the fake must stay cheap).
      if (text.startsWith('{"type":"input_audio_buffer.append"')) {
        const a = text.indexOf('"audio":"') + 9;
        const b64 = text.length - a - 2;
        report.appends++;
        report.appendBytes += (b64 * 3) / 4 - (text.charCodeAt(a + b64 - 1) === 61 ? (text.charCodeAt(a + b64 - 2) === 61 ? 2 : 1) : 0);
        return;
      }
      const ev = JSON.parse(text) as { type: string } & Record<string, unknown>;
      const c = ws.data;
      switch (ev.type) {
        case "session.update":
          send(ws, { type: "session.updated", session: ev.session });
          if (!c.configured) {
            c.configured = true;
            void converse(ws);
          }
          return;
        case "input_audio_buffer.append": {
          const b = Buffer.from(String(ev.audio), "base64").length;
          report.appends++;
          report.appendBytes += b;
          return;
        }
        case "conversation.item.create": {
          const item = ev.item as { id?: string; role?: string; content?: { type?: string; audio?: string }[] };
          const itemId = item.id ?? id("item");
          const audio = item.role === "assistant" ? item.content?.find((x) => x.type === "output_audio")?.audio : undefined;
          if (audio) c.items.set(itemId, Buffer.from(audio, "base64").length / 8);
          send(ws, { type: "conversation.item.added", item: { ...item, id: itemId } });
          return;
        }
        case "conversation.item.truncate": {
          report.truncates++;
          const total = c.items.get(String(ev.item_id));
          if (total === undefined) send(ws, { type: "error", error: { type: "invalid_request_error", code: "item_not_found" } });
          else if (Number(ev.audio_end_ms) > total) send(ws, { type: "error", error: { type: "invalid_request_error", code: "invalid_value" } });
          else send(ws, { type: "conversation.item.truncated", item_id: ev.item_id, audio_end_ms: ev.audio_end_ms });
          return;
        }
        case "response.cancel":
          if (c.active) {
            const was = c.active;
            c.active = null;
            send(ws, { type: "response.done", response: { id: was, status: "cancelled" } });
          }
          return;
      }
    },
    close(ws) {
      ws.data.closed = true;
    },
  },
});

const ctl = Bun.serve({
  hostname: "127.0.0.1",
  port: 0,
  fetch(req) {
    const path = new URL(req.url).pathname;
    if (path === "/report") {
      const cpu = process.cpuUsage();
      return Response.json({ ...report, cpuS: (cpu.user + cpu.system) / 1e6 });
    }
    if (path === "/config") {
      greetingMs = Number(new URL(req.url).searchParams.get("greetingMs") ?? 0);
      return Response.json({ greetingMs });
    }
    if (path === "/reset") {
      report.appendBytes = 0;
      report.appends = 0;
      report.replies = 0;
      report.bargeIns = [];
      report.truncates = 0;
      report.errors = {};
      return Response.json({ ok: true });
    }
    return new Response("not found", { status: 404 });
  },
});

console.log(`FAKE_BASE_URL=https://127.0.0.1:${server.port}/v1`);
console.log(`FAKE_CA_FILE=${caFile}`);
console.log(`FAKE_CTL=http://127.0.0.1:${ctl.port}`);
