/**
 * The Twilio side of a media stream, simulated: a 20 ms clock sends inbound
 * μ-law frames (the caller's audio, or line silence), plays Kesher's outbound
 * audio in real time, echoes each mark once the audio before it has played,
 * and drops buffered audio on `clear` (echoing the pending marks at once), as
 * Twilio does. Transport-agnostic: call-sim and the benchmark drive it over a
 * WebSocket, tests drive a CallSession with it directly.
 */
import { MULAW_SILENCE } from "../../core/conversation/audio/mulaw";
import { systemClock, type TClock, type TTimer } from "../clock";
import { decodeBase64 } from "../stages/twilio-serializer";

export interface TSimPhoneOptions {
  send: (text: string) => void;
  streamSid?: string;
  callSid?: string;
  /** Called for each outbound message (after the phone handled it). */
  onEvent?: (e: TSimEvent) => void;
  now?: () => number;
  /** Timers and time (default: the system clock; tests pass a virtual clock). */
  clock?: TClock;
}

export type TSimEvent =
  | { type: "kesher-start"; atMs: number }
  | { type: "kesher-end"; atMs: number; audioMs: number }
  | { type: "sentence"; text: string }
  | { type: "clear"; atMs: number }
  | { type: "mark"; name: string };

export interface TSimPhone {
  start(customParameters: Record<string, string>): void;
  /** Queue caller audio; resolves once its last frame was sent. */
  say(mulaw: Uint8Array): Promise<void>;
  /** Handle one message from Kesher. */
  receive(text: string): void;
  /** Send `stop` and halt the clock. */
  stop(): void;
  /** Kesher audio is buffered or playing. */
  readonly kesherSpeaking: boolean;
  /** Ms since Kesher last had audio playing (Infinity if never). */
  readonly kesherSilentForMs: number;
  readonly stats: { framesSent: number; audioInMs: number; marksEchoed: number; clears: number; outboundMessages: number; lastClearAt: number; firstAudioAt: number };
  /** Resolve when `pred()` holds (checked every 20 ms tick), reject after `timeoutMs`. */
  waitFor(pred: () => boolean, timeoutMs: number, what?: string): Promise<void>;
}

export function createSimPhone(opts: TSimPhoneOptions): TSimPhone {
  const clock = opts.clock ?? systemClock;
  const now = opts.now ?? (() => clock.now());
  const streamSid = opts.streamSid ?? `MZ${crypto.randomUUID().replace(/-/g, "")}`;
  const callSid = opts.callSid ?? `CA${crypto.randomUUID().replace(/-/g, "")}`;
  const playback: ({ kind: "audio"; ms: number } | { kind: "mark"; name: string })[] = [];
  const speech: { bytes: Uint8Array; offset: number; done: () => void }[] = [];
  const waiters = new Set<() => void>();
  const stats = { framesSent: 0, audioInMs: 0, marksEchoed: 0, clears: 0, outboundMessages: 0, lastClearAt: -1, firstAudioAt: -1 };
  let chunk = 0;
  let timer: TTimer | undefined;
  let lastTick = 0;
  let playing = false;
  let turnAudioMs = 0;
  let lastAudioAt = -Infinity;
  const startedAt = now();
  const silence = new Uint8Array(160).fill(MULAW_SILENCE);
  const at = () => now() - startedAt;

  const echo = (name: string) => {
    stats.marksEchoed++;
    opts.send(JSON.stringify({ event: "mark", streamSid, sequenceNumber: String(++chunk), mark: { name } }));
  };

  const tick = () => {
    // The next frame is due 20 ms after this one (a self-rescheduling timer, so a virtual clock drives it too).
    timer = clock.setTimeout(tick, 20);
    const t = now();
    // Play what is buffered for the wall-clock time that passed.
    let budget = t - lastTick;
    lastTick = t;
    while (playback.length) {
      const head = playback[0]!;
      if (head.kind === "mark") {
        playback.shift();
        if (head.name.startsWith("say:")) opts.onEvent?.({ type: "sentence", text: head.name.slice(head.name.indexOf(":", 4) + 1) });
        echo(head.name);
        continue;
      }
      if (budget <= 0) break;
      const take = Math.min(budget, head.ms);
      head.ms -= take;
      budget -= take;
      if (head.ms <= 1e-6) playback.shift();
    }
    const audioLeft = playback.some((p) => p.kind === "audio");
    if (audioLeft) lastAudioAt = t;
    if (playing && !audioLeft) {
      playing = false;
      opts.onEvent?.({ type: "kesher-end", atMs: at(), audioMs: turnAudioMs });
    }
    // One inbound frame per tick: caller speech or line silence.
    const head = speech[0];
    let payload: Uint8Array = silence;
    if (head) {
      payload = head.bytes.subarray(head.offset, head.offset + 160);
      if (payload.length < 160) {
        const padded = silence.slice();
        padded.set(payload);
        payload = padded;
      }
      head.offset += 160;
      stats.audioInMs += 20;
      if (head.offset >= head.bytes.length) {
        speech.shift();
        head.done();
      }
    }
    stats.framesSent++;
    chunk++;
    opts.send(
      JSON.stringify({
        event: "media",
        sequenceNumber: String(chunk),
        media: { track: "inbound", chunk: String(stats.framesSent), timestamp: String(Math.round(at())), payload: Buffer.from(payload).toString("base64") },
        streamSid,
      }),
    );
    for (const w of [...waiters]) w();
  };

  return {
    start(customParameters) {
      opts.send(JSON.stringify({ event: "connected", protocol: "Call", version: "1.0.0" }));
      opts.send(
        JSON.stringify({
          event: "start",
          sequenceNumber: "1",
          start: { accountSid: `AC${"0".repeat(32)}`, streamSid, callSid, tracks: ["inbound"], customParameters, mediaFormat: { encoding: "audio/x-mulaw", sampleRate: 8000, channels: 1 } },
          streamSid,
        }),
      );
      lastTick = now();
      timer = clock.setTimeout(tick, 20);
    },
    say(mulaw) {
      return new Promise((resolve) => speech.push({ bytes: mulaw, offset: 0, done: resolve }));
    },
    receive(text) {
      stats.outboundMessages++;
      let msg: { event?: string; media?: { payload?: string }; mark?: { name?: string } };
      try {
        msg = JSON.parse(text);
      } catch {
        return;
      }
      if (msg.event === "media") {
        const bytes = decodeBase64(msg.media?.payload ?? "");
        if (!bytes) return;
        if (stats.firstAudioAt < 0) stats.firstAudioAt = at();
        if (!playing) {
          playing = true;
          turnAudioMs = 0;
          opts.onEvent?.({ type: "kesher-start", atMs: at() });
        }
        turnAudioMs += bytes.length / 8;
        playback.push({ kind: "audio", ms: bytes.length / 8 });
      } else if (msg.event === "mark" && msg.mark?.name) {
        playback.push({ kind: "mark", name: msg.mark.name });
        opts.onEvent?.({ type: "mark", name: msg.mark.name });
      } else if (msg.event === "clear") {
        stats.clears++;
        stats.lastClearAt = at();
        const marks = playback.filter((p): p is { kind: "mark"; name: string } => p.kind === "mark");
        playback.length = 0;
        for (const m of marks) echo(m.name);
        if (playing) {
          playing = false;
          opts.onEvent?.({ type: "kesher-end", atMs: at(), audioMs: turnAudioMs });
        }
        opts.onEvent?.({ type: "clear", atMs: at() });
      }
    },
    stop() {
      if (timer) clock.clearTimeout(timer);
      timer = undefined;
      opts.send(JSON.stringify({ event: "stop", sequenceNumber: String(++chunk), streamSid, stop: { accountSid: `AC${"0".repeat(32)}`, callSid } }));
      for (const w of [...waiters]) w();
    },
    get kesherSpeaking() {
      return playback.some((p) => p.kind === "audio");
    },
    get kesherSilentForMs() {
      return playback.some((p) => p.kind === "audio") ? 0 : now() - lastAudioAt;
    },
    stats,
    waitFor(pred, timeoutMs, what = "condition") {
      return new Promise((resolve, reject) => {
        if (pred()) return resolve();
        const check = () => {
          if (pred()) {
            clock.clearTimeout(t);
            waiters.delete(check);
            resolve();
          } else if (!timer) {
            clock.clearTimeout(t);
            waiters.delete(check);
            reject(new Error(`phone stopped before ${what}`));
          }
        };
        const t = clock.setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
        }, timeoutMs);
        waiters.add(check);
      });
    },
  };
}
