/**
 * Caller audio on its way up to OpenAI Realtime. Twilio's μ-law frames are
 * batched into one `input_audio_buffer.append` per `batchMs` (decoded in place
 * into one buffer per call, encoded once per batch; a batch of ≤ 20 ms forwards
 * Twilio's base64 untouched), held — bounded — while the upstream socket is not
 * configured, and never dropped silently: a drop is reported to the engine,
 * which counts it and hands the call to the watchdog.
 */
const FRAME_BYTES = 160;
/** Base64 length of the largest frame the batch takes in place (a bit over Twilio's 160 bytes). */
const FRAME_B64_MAX = 4 * Math.ceil(FRAME_BYTES / 3) + 8;

export interface TCallerAudioOptions {
  /** Milliseconds of audio per append (default 80). */
  batchMs?: number;
  /** Frames held while the socket is not ready (default 750 = 15 s). */
  maxBufferedFrames?: number;
  /** Send one append (base64 μ-law) upstream. */
  send(b64: string): void;
  /** Audio could not be held: `frames` lost; `first` for the call's first drop. */
  onDrop(frames: number, bufferedMs: number, first: boolean): void;
}

export interface TCallerAudio {
  /** A Twilio media payload, still base64. */
  base64(payload: string): void;
  /** Raw μ-law (the simulator and tests). */
  mulaw(bytes: Uint8Array): void;
  /** The socket is configured: what waited goes up in order, then audio goes straight up. */
  open(): void;
  /** The socket went away: hold again (bounded). */
  hold(): void;
  /** The call ended: nothing more goes up. */
  end(): void;
}

/** Bytes a base64 string carries (its padding is not audio). */
const b64Bytes = (s: string) => (s.length * 3) / 4 - (s.endsWith("==") ? 2 : s.endsWith("=") ? 1 : 0);

export function createCallerAudio(opts: TCallerAudioOptions): TCallerAudio {
  const maxBufferedBytes = (opts.maxBufferedFrames ?? 750) * FRAME_BYTES;
  const batchBytes = Math.max(0, Math.round((opts.batchMs ?? 80) * 8));
  const batch = batchBytes > FRAME_BYTES ? Buffer.allocUnsafe(batchBytes + 256) : undefined;
  const pending: string[] = [];
  let batched = 0;
  let pendingBytes = 0;
  let dropped = 0;
  let ready = false;
  let ended = false;

  const forward = (b64: string, bytes: number) => {
    if (ended) return;
    if (ready) return opts.send(b64);
    if (pendingBytes + bytes <= maxBufferedBytes) {
      pending.push(b64);
      pendingBytes += bytes;
      return;
    }
    opts.onDrop(Math.max(1, Math.round(bytes / FRAME_BYTES)), pendingBytes / 8, dropped++ === 0);
  };

  const flushBatch = () => {
    if (!batch || batched === 0) return;
    const n = batched;
    batched = 0;
    forward(batch.toString("base64", 0, n), n);
  };

  return {
    base64(payload) {
      if (!batch) return forward(payload, b64Bytes(payload));
      if (payload.length > FRAME_B64_MAX) {
        // Not a Twilio frame (larger than one): keep the order, send it on its own.
        flushBatch();
        return forward(payload, b64Bytes(payload));
      }
      batched += batch.write(payload, batched, "base64");
      if (batched >= batchBytes) flushBatch();
    },
    mulaw(bytes) {
      if (!batch || bytes.length > FRAME_BYTES) {
        flushBatch();
        return forward(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64"), bytes.length);
      }
      batch.set(bytes, batched);
      batched += bytes.length;
      if (batched >= batchBytes) flushBatch();
    },
    open() {
      ready = true;
      for (const audio of pending.splice(0)) opts.send(audio);
      pendingBytes = 0;
    },
    hold() {
      ready = false;
    },
    end() {
      ended = true;
    },
  };
}
