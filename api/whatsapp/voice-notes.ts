/**
 * WhatsApp voice notes → text. Voice notes are Ogg Opus (48 kHz); they are
 * decoded with a WASM Opus decoder, mixed to mono, resampled to 16 kHz PCM16
 * and handed to the configured STT provider. Without a real STT provider the
 * note is stored as media only and the AI answers "[הודעה קולית]".
 */
import { OggOpusDecoder } from "ogg-opus-decoder";
import { resamplePcm16 } from "../../core/conversation/audio/resample";
import type { TSttProvider } from "../../core/conversation/providers/types";
import type { TLogger } from "../../core/kernel/logger";
import type { TInboundMessage } from "./types";

const STT_RATE = 16_000;
/** WhatsApp caps voice notes far below this; a larger file is not a voice note we should decode in-process. */
const MAX_BYTES = 16 * 1024 * 1024;

/** Decode an Ogg Opus file to mono PCM16 at 16 kHz; null when it holds no decodable audio. */
export async function decodeOggOpus(bytes: Uint8Array): Promise<{ pcm: Int16Array; sampleRate: number } | null> {
  const decoder = new OggOpusDecoder();
  try {
    await decoder.ready;
    const audio = await decoder.decodeFile(bytes);
    if (!audio.samplesDecoded || audio.channelData.length === 0) return null;
    const n = audio.samplesDecoded;
    const pcm48 = new Int16Array(n);
    const channels = audio.channelData;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (const ch of channels) s += ch[i] ?? 0;
      s /= channels.length;
      pcm48[i] = Math.max(-32768, Math.min(32767, Math.round(s * 32767)));
    }
    return { pcm: resamplePcm16(pcm48, audio.sampleRate, STT_RATE), sampleRate: STT_RATE };
  } finally {
    decoder.free();
  }
}

export interface TVoiceNoteDeps {
  stt: TSttProvider;
  log: TLogger;
  /** Fetch a Twilio media URL (authenticated; retargeted to a double in tests). */
  fetchTwilioMedia?: (url: string) => Promise<Uint8Array>;
}

/** Transcript of a voice note, or null when it cannot be fetched, decoded or understood. Never throws. */
export async function transcribeVoiceNote(deps: TVoiceNoteDeps, msg: TInboundMessage): Promise<string | null> {
  const log = deps.log.child({ providerMessageId: msg.providerMessageId, provider: msg.provider });
  try {
    let bytes: Uint8Array | null = null;
    if (msg.download) bytes = await msg.download();
    else if (msg.mediaUrl && deps.fetchTwilioMedia) bytes = await deps.fetchTwilioMedia(msg.mediaUrl);
    if (!bytes || bytes.length === 0) return null;
    if (bytes.length > MAX_BYTES) {
      log.warn({ bytes: bytes.length }, "voice note too large to transcribe");
      return null;
    }
    const decoded = await decodeOggOpus(bytes);
    if (!decoded) {
      log.warn({ bytes: bytes.length, mime: msg.mediaMime }, "voice note could not be decoded");
      return null;
    }
    const result = await deps.stt.transcribe({ pcm: decoded.pcm, sampleRate: decoded.sampleRate, language: "he" });
    log.info({ ms: Math.round(result.ms), seconds: decoded.pcm.length / decoded.sampleRate, chars: result.text.length }, "voice note transcribed");
    return result.text.trim() || null;
  } catch (err) {
    log.warn({ err }, "voice note transcription failed");
    return null;
  }
}

/** Fetch Twilio media with the account's Basic auth, following Twilio's redirect to storage. */
export function twilioMediaFetcher(cfg: { accountSid?: string; authToken?: string; apiBaseUrl?: string }): ((url: string) => Promise<Uint8Array>) | undefined {
  if (!cfg.accountSid || !cfg.authToken) return undefined;
  const auth = `Basic ${Buffer.from(`${cfg.accountSid}:${cfg.authToken}`).toString("base64")}`;
  return async (url: string) => {
    let target = new URL(url);
    if (cfg.apiBaseUrl && /(^|\.)twilio\.com$/.test(target.hostname)) {
      const base = new URL(cfg.apiBaseUrl);
      target = new URL(`${base.pathname.replace(/\/+$/, "")}${target.pathname}${target.search}`, base.origin);
    }
    const res = await fetch(target, { headers: { authorization: auth }, redirect: "follow", signal: AbortSignal.timeout(15_000) });
    if (!res.ok) throw new Error(`twilio media fetch failed: HTTP ${res.status}`);
    return new Uint8Array(await res.arrayBuffer());
  };
}
