/**
 * Turn agent text into audio a browser <audio> element plays: the TTS
 * provider's μ-law 8 kHz chunks → PCM16 → MP3 (small, universal).
 */
import { encodeMp3 } from "../../../core/conversation/audio/mp3";
import { mulawToPcm16 } from "../../../core/conversation/audio/mulaw";
import type { TTtsProvider } from "../../../core/conversation/providers/types";
import { AppError } from "../../../core/kernel/errors";

export interface TSpokenAudio {
  audioBase64: string;
  mimeType: "audio/mpeg";
  /** Audio length in ms. */
  durationMs: number;
  /** Time to the provider's first audio chunk. */
  firstByteMs: number;
  /** Total synthesis time. */
  synthMs: number;
}

const MAX_CHARS = 1000;

/** Synthesise `text`; a TTS failure is a Hebrew UNAVAILABLE, never a crash. */
export async function synthesizeAnswer(tts: TTtsProvider, text: string, opts: { voice?: string; signal?: AbortSignal } = {}): Promise<TSpokenAudio> {
  const clean = text.replace(/\s+/g, " ").trim().slice(0, MAX_CHARS);
  if (!clean) throw new AppError("BAD_REQUEST", "empty text to speak", { userMessage: "אין טקסט להשמעה" });
  const t0 = performance.now();
  let firstByteMs = -1;
  const chunks: Uint8Array[] = [];
  try {
    for await (const chunk of tts.synthesize({ text: clean, voice: opts.voice, signal: opts.signal })) {
      if (firstByteMs < 0) firstByteMs = performance.now() - t0;
      chunks.push(chunk);
    }
  } catch (err) {
    throw new AppError("UNAVAILABLE", `tts ${tts.name} failed`, { userMessage: "הפקת הקול נכשלה, נסו שוב", cause: err });
  }
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const mulaw = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    mulaw.set(c, o);
    o += c.length;
  }
  const mp3 = encodeMp3(mulawToPcm16(mulaw), 8000, 32);
  return {
    audioBase64: Buffer.from(mp3).toString("base64"),
    mimeType: "audio/mpeg",
    durationMs: Math.round(total / 8),
    firstByteMs: Math.max(0, Math.round(firstByteMs)),
    synthMs: Math.round(performance.now() - t0),
  };
}
