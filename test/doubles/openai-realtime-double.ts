/**
 * Local double of the OpenAI Realtime API (GA WebSocket protocol) on
 * 127.0.0.1 over TLS — the SDK's Realtime classes always use wss://, so the
 * double serves a self-signed certificate generated at start (tests hand its
 * PEM to the socket as `ca`). It records every client event, keeps the caller
 * audio it received, validates truncation against the audio it sent, and
 * lets a test script the model: speech started/stopped, audio replies with
 * transcripts, function calls, or a dropped connection.
 */
import type { ServerWebSocket } from "bun";
import selfsigned from "selfsigned";

export interface TRealtimeConn {
  /** Query of the upgrade request (model) and its Authorization header. */
  url: string;
  authorization: string | null;
  /** Every client event, parsed, in order. */
  received: Array<{ type: string } & Record<string, unknown>>;
  /** Caller audio received through input_audio_buffer.append (decoded μ-law bytes, one entry per append). */
  audioIn: Uint8Array[];
  /** Ids of the items created by the client (conversation.item.create). */
  items: Set<string>;
  /** Error events sent to the client (e.g. item_not_found on a bad truncate). */
  errors: Array<{ code?: string; message?: string }>;
  /** Send a server event. */
  emit(event: Record<string, unknown>): void;
  /** Stream a spoken reply: audio deltas + transcript, then optionally a function call, then response.done. */
  respond(r: TScriptedReply): Promise<{ responseId: string; itemId: string }>;
  /** Drop the connection (provider failure). */
  drop(code?: number): void;
}

export interface TScriptedReply {
  audio?: Uint8Array;
  transcript?: string;
  /** Bytes per audio delta (default 800 = 100 ms of μ-law). */
  chunkBytes?: number;
  /** Pause between deltas. */
  chunkDelayMs?: number;
  functionCall?: { name: string; arguments: Record<string, unknown> };
}

export interface TRealtimeDouble {
  /** baseURL for the OpenAI client (https://127.0.0.1:PORT/v1). */
  baseURL: string;
  /** PEM of the self-signed certificate (pass as `ca`). */
  ca: string;
  connections: TRealtimeConn[];
  /** Called on every client event (after the built-in handling). */
  onEvent?: (conn: TRealtimeConn, event: { type: string } & Record<string, unknown>) => void;
  close(): Promise<void>;
}

interface TWsData {
  conn?: TRealtimeConn;
  url: string;
  authorization: string | null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startRealtimeDouble(opts: { apiKey?: string } = {}): Promise<TRealtimeDouble> {
  const pems = await selfsigned.generate([{ name: "commonName", value: "127.0.0.1" }], {
    keyType: "ec",
    algorithm: "sha256",
    extensions: [{ name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }] }],
  });
  let seq = 0;
  const id = (p: string) => `${p}_${(++seq).toString(36).padStart(6, "0")}`;
  const state: TRealtimeDouble = { baseURL: "", ca: pems.cert, connections: [], close: async () => {} };

  const makeConn = (ws: ServerWebSocket<TWsData>): TRealtimeConn => {
    const itemAudio = new Map<string, number>();
    let active: string | null = null;
    const emit = (event: Record<string, unknown>) => {
      if (event.type === "error") conn.errors.push(event.error as { code?: string; message?: string });
      if (ws.readyState === 1) ws.send(JSON.stringify({ event_id: id("event"), ...event }));
    };
    const conn: TRealtimeConn = {
      url: ws.data.url,
      authorization: ws.data.authorization,
      received: [],
      audioIn: [],
      items: new Set(),
      errors: [],
      emit,
      async respond(r) {
        const responseId = id("resp");
        const itemId = id("item");
        active = responseId;
        emit({ type: "response.created", response: { id: responseId, object: "realtime.response", status: "in_progress", output: [] } });
        emit({ type: "response.output_item.added", response_id: responseId, output_index: 0, item: { id: itemId, type: "message", role: "assistant", status: "in_progress", content: [] } });
        const audio = r.audio ?? new Uint8Array(0);
        const step = r.chunkBytes ?? 800;
        itemAudio.set(itemId, 0);
        for (let o = 0; o < audio.length; o += step) {
          if (active !== responseId) break;
          const part = audio.subarray(o, o + step);
          itemAudio.set(itemId, (itemAudio.get(itemId) ?? 0) + part.length / 8);
          emit({ type: "response.output_audio.delta", response_id: responseId, item_id: itemId, output_index: 0, content_index: 0, delta: Buffer.from(part).toString("base64") });
          if (o === 0 && r.transcript) emit({ type: "response.output_audio_transcript.delta", response_id: responseId, item_id: itemId, output_index: 0, content_index: 0, delta: r.transcript });
          if (r.chunkDelayMs) await sleep(r.chunkDelayMs);
        }
        if (active === responseId) {
          emit({ type: "response.output_audio.done", response_id: responseId, item_id: itemId, output_index: 0, content_index: 0 });
          if (r.transcript !== undefined) emit({ type: "response.output_audio_transcript.done", response_id: responseId, item_id: itemId, output_index: 0, content_index: 0, transcript: r.transcript });
          if (r.functionCall) {
            const fcItem = id("item");
            emit({ type: "response.function_call_arguments.done", response_id: responseId, item_id: fcItem, output_index: 1, call_id: id("call"), name: r.functionCall.name, arguments: JSON.stringify(r.functionCall.arguments) });
          }
          active = null;
          emit({ type: "response.done", response: { id: responseId, object: "realtime.response", status: "completed", output: [] } });
        }
        return { responseId, itemId };
      },
      drop(code = 1011) {
        ws.close(code, "double dropped the connection");
      },
    };
    // Built-in behaviour of the real API for the events a bridge sends.
    (conn as TRealtimeConn & { handle(ev: { type: string } & Record<string, unknown>): void }).handle = (ev) => {
      conn.received.push(ev);
      switch (ev.type) {
        case "session.update":
          emit({ type: "session.updated", session: ev.session });
          break;
        case "conversation.item.create": {
          // As the API: a client id must be new; an assistant audio item's audio (pcmu: 8 bytes/ms) can be truncated later.
          const item = (ev.item ?? {}) as { id?: string; type?: string; role?: string; content?: Array<{ type?: string; audio?: string }> };
          const itemId = item.id ?? id("item");
          if (item.id && (itemAudio.has(item.id) || conn.items.has(item.id))) {
            emit({ type: "error", error: { type: "invalid_request_error", code: "item_already_exists", message: `item ${item.id} already exists` } });
            break;
          }
          conn.items.add(itemId);
          const audio = item.role === "assistant" ? item.content?.find((c) => c.type === "output_audio")?.audio : undefined;
          if (audio !== undefined) itemAudio.set(itemId, Buffer.from(audio, "base64").length / 8);
          emit({ type: "conversation.item.added", previous_item_id: null, item: { ...item, id: itemId } });
          break;
        }
        case "input_audio_buffer.append":
          conn.audioIn.push(new Uint8Array(Buffer.from(String(ev.audio), "base64")));
          break;
        case "conversation.item.truncate": {
          const total = itemAudio.get(String(ev.item_id));
          const end = Number(ev.audio_end_ms);
          if (total === undefined) emit({ type: "error", error: { type: "invalid_request_error", code: "item_not_found", message: `no item ${String(ev.item_id)}` } });
          else if (!(end >= 0) || end > total) emit({ type: "error", error: { type: "invalid_request_error", code: "invalid_value", message: `audio_end_ms ${end} is beyond the item's ${total} ms of audio` } });
          else emit({ type: "conversation.item.truncated", item_id: ev.item_id, content_index: ev.content_index, audio_end_ms: end });
          break;
        }
        case "response.cancel":
          if (active) {
            const was = active;
            active = null;
            emit({ type: "response.done", response: { id: was, object: "realtime.response", status: "cancelled", output: [] } });
          }
          break;
      }
      state.onEvent?.(conn, ev);
    };
    return conn;
  };

  const server = Bun.serve<TWsData>({
    hostname: "127.0.0.1",
    port: 0,
    tls: { cert: pems.cert, key: pems.private },
    fetch(req, srv) {
      const url = new URL(req.url);
      const authorization = req.headers.get("authorization");
      if (url.pathname !== "/v1/realtime") return new Response("not found", { status: 404 });
      if (opts.apiKey && authorization !== `Bearer ${opts.apiKey}`) return Response.json({ error: { message: "bad key" } }, { status: 401 });
      if (srv.upgrade(req, { data: { url: url.search, authorization } })) return undefined;
      return new Response("expected a websocket", { status: 400 });
    },
    websocket: {
      open(ws) {
        const conn = makeConn(ws);
        ws.data.conn = conn;
        state.connections.push(conn);
        conn.emit({ type: "session.created", session: { id: id("sess"), object: "realtime.session", type: "realtime" } });
      },
      message(ws, message) {
        let ev: { type: string } & Record<string, unknown>;
        try {
          ev = JSON.parse(String(message)) as { type: string } & Record<string, unknown>;
        } catch {
          ws.data.conn?.emit({ type: "error", error: { type: "invalid_request_error", message: "invalid JSON" } });
          return;
        }
        (ws.data.conn as TRealtimeConn & { handle(ev: unknown): void }).handle(ev);
      },
    },
  });
  state.baseURL = `https://127.0.0.1:${server.port}/v1`;
  state.close = async () => {
    await server.stop(true);
  };
  return state;
}
