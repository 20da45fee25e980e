/**
 * Voice activity detection for 8 kHz phone audio, one 20 ms frame at a time.
 * Energy against an adaptive noise floor (fast down, slow up), with a
 * zero-crossing check so steady hiss is not mistaken for speech. Reports
 * speech onset (for barge-in), short pauses (speculative transcription) and
 * the endpoint (configurable silence, default 500 ms).
 */

export interface TVadOptions {
  sampleRate?: number;
  /** Silence after speech that ends the utterance. */
  endpointMs?: number;
  /** Silence after which a `pause` is reported (early endpoint if the words look complete). */
  pauseMs?: number;
  /** Consecutive speech needed to call it speech. */
  onsetMs?: number;
  /** Speech shorter than this is dropped as a click or cough. */
  minSpeechMs?: number;
  /** Audio kept from before the onset so the first syllable is not cut. */
  preRollMs?: number;
  /** dB above the noise floor counted as speech. */
  marginDb?: number;
  /** Longest utterance kept (the rest is still detected, not buffered). */
  maxUtteranceMs?: number;
}

export type TVadEvent =
  | { type: "onset"; atMs: number }
  | { type: "pause"; silenceMs: number }
  | { type: "resume" }
  | { type: "end"; pcm: Int16Array; speechMs: number }
  | { type: "discard"; speechMs: number };

export interface TVad {
  /** Feed one frame (usually 160 samples); returns what changed, if anything. */
  push(frame: Int16Array): TVadEvent | null;
  readonly speaking: boolean;
  /** Speech heard so far in the current utterance. */
  readonly speechMs: number;
  readonly noiseFloorDb: number;
  /** The audio of the utterance so far (for a speculative transcription at a pause). */
  current(): Int16Array;
  /** Forget the current utterance (e.g. after an endpoint was forced). */
  reset(): void;
}

/** Energy of a frame in dB (re 1 LSB²) and its zero-crossing rate (0..1). */
export function frameFeatures(frame: Int16Array): { db: number; zcr: number } {
  let energy = 0;
  let crossings = 0;
  let prev = frame[0] ?? 0;
  for (let i = 0; i < frame.length; i++) {
    const s = frame[i]!;
    energy += s * s;
    if (prev >= 0 !== s >= 0) crossings++;
    prev = s;
  }
  const n = Math.max(1, frame.length);
  return { db: 10 * Math.log10(energy / n + 1), zcr: crossings / n };
}

/**
 * @example
 *   const vad = createVad({ endpointMs: 500 });
 *   const ev = vad.push(pcmFrame); // { type: "end", pcm } when the caller stopped talking
 */
export function createVad(opts: TVadOptions = {}): TVad {
  const rate = opts.sampleRate ?? 8000;
  const endpointMs = opts.endpointMs ?? 500;
  const pauseMs = Math.min(opts.pauseMs ?? 240, endpointMs);
  const onsetMs = opts.onsetMs ?? 60;
  const minSpeechMs = opts.minSpeechMs ?? 160;
  const preRollMs = opts.preRollMs ?? 200;
  const marginDb = opts.marginDb ?? 12;
  const maxSamples = Math.round(((opts.maxUtteranceMs ?? 30_000) * rate) / 1000);
  const ABS_MIN_DB = 42; // rms ≈ 125: below this nothing is speech, whatever the floor.

  let floorDb = 35;
  let speaking = false;
  let runMs = 0; // consecutive speech while not yet speaking
  let speechMs = 0;
  let silenceMs = 0;
  let paused = false;
  let clockMs = 0;
  let preRoll: Int16Array[] = [];
  let preRollLen = 0;
  let utter: Int16Array[] = [];
  let utterLen = 0;

  const reset = () => {
    speaking = false;
    runMs = 0;
    speechMs = 0;
    silenceMs = 0;
    paused = false;
    utter = [];
    utterLen = 0;
  };

  const concat = (parts: Int16Array[], len: number) => {
    const out = new Int16Array(len);
    let o = 0;
    for (const p of parts) {
      out.set(p.subarray(0, Math.min(p.length, len - o)), o);
      o += p.length;
      if (o >= len) break;
    }
    return out;
  };

  return {
    get speaking() {
      return speaking;
    },
    get speechMs() {
      return speechMs;
    },
    get noiseFloorDb() {
      return floorDb;
    },
    reset,
    current: () => concat(utter, Math.min(utterLen, maxSamples)),
    push(frame) {
      const ms = (frame.length * 1000) / rate;
      clockMs += ms;
      const { db, zcr } = frameFeatures(frame);
      const threshold = Math.max(floorDb + marginDb, ABS_MIN_DB);
      // Hiss: many zero crossings with energy barely above the threshold.
      const hiss = zcr > 0.35 && db < threshold + 10;
      // The first 200 ms only calibrate the floor (the line settles, the greeting plays).
      const calibrating = clockMs <= 200;
      const voiced = !calibrating && db > threshold && !hiss;
      if (!voiced) floorDb += (db - floorDb) * (calibrating ? 0.5 : db < floorDb ? 0.3 : 0.03);

      if (!speaking) {
        preRoll.push(frame);
        preRollLen += frame.length;
        while (preRoll.length > 1 && preRollLen - preRoll[0]!.length >= (preRollMs * rate) / 1000) preRollLen -= preRoll.shift()!.length;
        runMs = voiced ? runMs + ms : 0;
        if (runMs >= onsetMs) {
          speaking = true;
          speechMs = runMs;
          silenceMs = 0;
          utter = preRoll;
          utterLen = preRollLen;
          preRoll = [];
          preRollLen = 0;
          return { type: "onset", atMs: clockMs - runMs };
        }
        return null;
      }

      if (utterLen < maxSamples) {
        utter.push(frame);
        utterLen += frame.length;
      }
      if (voiced) {
        speechMs += ms;
        silenceMs = 0;
        if (paused) {
          paused = false;
          return { type: "resume" };
        }
        return null;
      }
      silenceMs += ms;
      if (silenceMs >= endpointMs) {
        const total = speechMs;
        const pcm = concat(utter, Math.min(utterLen, maxSamples));
        reset();
        return total >= minSpeechMs ? { type: "end", pcm, speechMs: total } : { type: "discard", speechMs: total };
      }
      if (!paused && silenceMs >= pauseMs && speechMs >= minSpeechMs) {
        paused = true;
        return { type: "pause", silenceMs };
      }
      return null;
    },
  };
}
