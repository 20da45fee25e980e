/**
 * Twilio Media Streams wire format as a pure function pair: parse an inbound
 * WebSocket message into a typed event, serialize outbound `media` / `mark` /
 * `clear` as the text JSON Twilio expects (binary frames draw warning 31950,
 * extra fields 31951). Malformed input is reported, never thrown.
 */

export interface TTwilioStart {
  event: "start";
  streamSid: string;
  callSid: string;
  accountSid: string;
  tracks: string[];
  customParameters: Record<string, string>;
  mediaFormat: { encoding: string; sampleRate: number; channels: number };
}

export type TTwilioInbound =
  | { event: "connected"; protocol: string; version: string }
  | TTwilioStart
  | { event: "media"; streamSid: string; track: string; chunk: number; timestamp: number; payload: Uint8Array }
  | { event: "dtmf"; streamSid: string; digit: string }
  | { event: "mark"; streamSid: string; name: string }
  | { event: "stop"; streamSid: string; callSid: string };

export type TParseResult = { ok: true; msg: TTwilioInbound } | { ok: false; reason: string };

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decode strict base64 (Buffer.from alone silently skips junk characters). */
export function decodeBase64(s: string): Uint8Array | null {
  if (s.length % 4 !== 0 || !BASE64.test(s)) return null;
  return new Uint8Array(Buffer.from(s, "base64"));
}

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown): number | undefined => {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
  return undefined;
};
const obj = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;

/**
 * Parse one inbound message. Twilio sends numbers as strings (`"chunk": "2"`),
 * so both forms are accepted.
 *
 * @example
 *   const r = parseTwilioMessage(text);
 *   if (r.ok && r.msg.event === "media") vad.push(r.msg.payload);
 */
export function parseTwilioMessage(raw: string | ArrayBuffer | Uint8Array): TParseResult {
  if (typeof raw !== "string") return { ok: false, reason: "binary frame" };
  let data: Record<string, unknown> | undefined;
  try {
    data = obj(JSON.parse(raw));
  } catch {
    return { ok: false, reason: "malformed JSON" };
  }
  if (!data) return { ok: false, reason: "not a JSON object" };
  const event = str(data.event);
  const streamSid = str(data.streamSid) ?? "";
  switch (event) {
    case "connected":
      return { ok: true, msg: { event, protocol: str(data.protocol) ?? "", version: str(data.version) ?? "" } };
    case "start": {
      const start = obj(data.start);
      const sid = str(start?.streamSid) ?? streamSid;
      if (!start || !sid) return { ok: false, reason: "start without streamSid" };
      const params: Record<string, string> = {};
      for (const [k, v] of Object.entries(obj(start.customParameters) ?? {})) if (typeof v === "string") params[k] = v;
      const fmt = obj(start.mediaFormat);
      return {
        ok: true,
        msg: {
          event,
          streamSid: sid,
          callSid: str(start.callSid) ?? params.callSid ?? "",
          accountSid: str(start.accountSid) ?? "",
          tracks: Array.isArray(start.tracks) ? start.tracks.filter((t): t is string => typeof t === "string") : ["inbound"],
          customParameters: params,
          mediaFormat: {
            encoding: str(fmt?.encoding) ?? "audio/x-mulaw",
            sampleRate: num(fmt?.sampleRate) ?? 8000,
            channels: num(fmt?.channels) ?? 1,
          },
        },
      };
    }
    case "media": {
      const media = obj(data.media);
      const b64 = str(media?.payload);
      if (!media || b64 === undefined) return { ok: false, reason: "media without payload" };
      const payload = decodeBase64(b64);
      if (!payload) return { ok: false, reason: "media payload is not valid base64" };
      return {
        ok: true,
        msg: {
          event,
          streamSid,
          track: str(media.track) ?? "inbound",
          chunk: num(media.chunk) ?? 0,
          timestamp: num(media.timestamp) ?? 0,
          payload,
        },
      };
    }
    case "dtmf": {
      const digit = str(obj(data.dtmf)?.digit);
      if (!digit) return { ok: false, reason: "dtmf without digit" };
      return { ok: true, msg: { event, streamSid, digit } };
    }
    case "mark": {
      const name = str(obj(data.mark)?.name);
      if (!name) return { ok: false, reason: "mark without name" };
      return { ok: true, msg: { event, streamSid, name } };
    }
    case "stop":
      return { ok: true, msg: { event, streamSid, callSid: str(obj(data.stop)?.callSid) ?? "" } };
    default:
      return { ok: false, reason: `unknown event ${JSON.stringify(event ?? null).slice(0, 40)}` };
  }
}

/** What the media fast path found (one object per session, reused: nothing is allocated per frame). */
export interface TMediaScan {
  /** The base64 μ-law payload, as Twilio sent it (strict base64, checked). */
  payload: string;
  chunk: number;
  /** `inbound` / `inbound_track` (or no track given). */
  inbound: boolean;
}

/** Index just past `"key":` (and any spaces) at or after `from`, or -1. */
function valueAt(raw: string, key: string, from: number): number {
  const k = raw.indexOf(key, from);
  if (k < 0) return -1;
  let i = k + key.length;
  while (raw.charCodeAt(i) === 32) i++;
  if (raw.charCodeAt(i) !== 58 /* : */) return -1;
  i++;
  while (raw.charCodeAt(i) === 32) i++;
  return i;
}

/**
 * Fast path for Twilio's hot event (50 `media` messages a second per call):
 * finds the payload, track and chunk by position instead of a general
 * `JSON.parse`, and leaves the payload base64 (the Realtime engine passes it
 * upstream as is). Accepts only Twilio's own shape — `{"event":"media",…
 * "media":{…"payload":"…"}…}`, compact or with spaces, no escapes — and
 * returns false for anything else, which then goes through
 * `parseTwilioMessage` (and its errors).
 *
 * @example
 *   const scan: TMediaScan = { payload: "", chunk: 0, inbound: false };
 *   if (scanTwilioMedia(text, scan) && scan.inbound) engine.audioBase64(scan.payload);
 */
export function scanTwilioMedia(raw: string, out: TMediaScan): boolean {
  if (raw.charCodeAt(0) !== 123 /* { */ || raw.charCodeAt(raw.length - 1) !== 125 /* } */) return false;
  const e = valueAt(raw, '"event"', 1);
  if (e < 0 || e > 16 || !raw.startsWith('"media"', e) || raw.includes("\\")) return false;
  const m = valueAt(raw, '"media"', e + 7);
  if (m < 0 || raw.charCodeAt(m) !== 123) return false;
  const start = valueAt(raw, '"payload"', m) + 1;
  if (start <= 0 || raw.charCodeAt(start - 1) !== 34 /* " */) return false;
  const end = raw.indexOf('"', start);
  if (end < 0) return false;
  const payload = raw.slice(start, end);
  if (payload.length % 4 !== 0 || !BASE64.test(payload)) return false;
  const t = valueAt(raw, '"track"', m);
  out.inbound = t < 0 || raw.startsWith('"inbound', t);
  let chunk = 0;
  let i = valueAt(raw, '"chunk"', m);
  if (i >= 0) {
    if (raw.charCodeAt(i) === 34) i++;
    for (let d = raw.charCodeAt(i); d >= 48 && d <= 57; d = raw.charCodeAt(++i)) chunk = chunk * 10 + (d - 48);
  }
  out.chunk = chunk;
  out.payload = payload;
  return true;
}

/** Outbound audio: base64 μ-law 8 kHz, no file header. */
export function serializeMedia(streamSid: string, mulaw: Uint8Array): string {
  return mediaSerializer(streamSid)(mulaw);
}

/**
 * `serializeMedia` for one stream, for the hot path: the envelope is built
 * once, each chunk is a template around its base64 (base64 needs no JSON
 * escaping), and the bytes are encoded without copying them first.
 */
export function mediaSerializer(streamSid: string): (mulaw: Uint8Array) => string {
  const head = `{"event":"media","streamSid":${JSON.stringify(streamSid)},"media":{"payload":"`;
  return (mulaw) => `${head}${Buffer.from(mulaw.buffer, mulaw.byteOffset, mulaw.byteLength).toString("base64")}"}}`;
}

/** A named mark: Twilio echoes it once the audio sent before it has played (or was cleared). */
export function serializeMark(streamSid: string, name: string): string {
  return JSON.stringify({ event: "mark", streamSid, mark: { name } });
}

/** Drop every buffered outbound sample (barge-in). */
export function serializeClear(streamSid: string): string {
  return JSON.stringify({ event: "clear", streamSid });
}
