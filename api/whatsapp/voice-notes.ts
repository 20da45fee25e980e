/**
 * WhatsApp voice notes → text. Voice notes are Ogg Opus (48 kHz); they are
 * decoded with a WASM Opus decoder, mixed to mono, resampled to 16 kHz PCM16
 * and handed to the configured STT provider. Without a real STT provider the
 * note is stored as media only and the AI answers "[הודעה קולית]".
 *
 * With the job engine, a note is a `whatsapp-voice-note` job (api/jobs), keyed by
 * the stored message: transcribed with retries and backoff on any instance, the
 * transcript put on the message, then answered by the AI; a note that keeps
 * failing is dead-lettered with its reason on the admin jobs page.
 */
import { and, eq, sql } from "drizzle-orm";
import type { TDb } from "../../db/client";
import { whatsappMessages } from "../../db/schema";
import { resamplePcm16 } from "../../core/conversation/audio/resample";
import type { TSttProvider } from "../../core/conversation/providers/types";
import type { TLogger } from "../../core/kernel/logger";
import type { TInboundMessage } from "./types";

const STT_RATE = 16_000;
/** WhatsApp caps voice notes far below this; a larger file is not a voice note we should decode in-process. */
const MAX_BYTES = 16 * 1024 * 1024;

/** Decode an Ogg Opus file to mono PCM16 at 16 kHz; null when it holds no decodable audio. */
export async function decodeOggOpus(bytes: Uint8Array): Promise<{ pcm: Int16Array; sampleRate: number } | null> {
  // The decoder (WASM, ~14 MB resident once imported) loads with the first voice note (#18 lean idle).
  const { OggOpusDecoder } = await import("ogg-opus-decoder");
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

/** Fetch, decode and transcribe; throws with a readable reason (the job retries and, at the end, shows it). */
async function transcribeBytes(deps: TVoiceNoteDeps, bytes: Uint8Array, log: TLogger, mime?: string | null): Promise<string> {
  if (bytes.length === 0) throw new Error("voice note is empty");
  if (bytes.length > MAX_BYTES) throw new Error(`voice note too large to transcribe (${bytes.length} bytes)`);
  const decoded = await decodeOggOpus(bytes);
  if (!decoded) {
    log.warn({ bytes: bytes.length, mime }, "voice note could not be decoded");
    throw new Error(`voice note could not be decoded (${mime ?? "unknown type"}, ${bytes.length} bytes)`);
  }
  const result = await deps.stt.transcribe({ pcm: decoded.pcm, sampleRate: decoded.sampleRate, language: "he" });
  log.info({ ms: Math.round(result.ms), seconds: decoded.pcm.length / decoded.sampleRate, chars: result.text.length }, "voice note transcribed");
  return result.text.trim();
}

/** Transcript of a voice note, or null when it cannot be fetched, decoded or understood. Never throws (the in-process path). */
export async function transcribeVoiceNote(deps: TVoiceNoteDeps, msg: TInboundMessage): Promise<string | null> {
  const log = deps.log.child({ providerMessageId: msg.providerMessageId, provider: msg.provider });
  try {
    let bytes: Uint8Array | null = null;
    if (msg.download) bytes = await msg.download();
    else if (msg.mediaUrl && deps.fetchTwilioMedia) bytes = await deps.fetchTwilioMedia(msg.mediaUrl);
    if (!bytes || bytes.length === 0) return null;
    return (await transcribeBytes(deps, bytes, log, msg.mediaMime)) || null;
  } catch (err) {
    log.warn({ err }, "voice note transcription failed");
    return null;
  }
}

/** A voice note is one job, however often it is delivered. */
export const voiceNoteKey = (messageId: string) => `whatsapp-voice:${messageId}`;

/** Bytes carried in the job itself (Baileys media is downloadable only with the session's keys, on its owner). */
export const MAX_INLINE_VOICE_BYTES = 4 * 1024 * 1024;

/** What the job needs to transcribe and answer a stored voice note on any instance. */
export interface TVoiceNoteJobData {
  businessId: string;
  messageId: string;
  provider: TInboundMessage["provider"];
  peerAddress: string;
  peerPhone: string;
  mediaMime?: string | null;
  /** Twilio: fetched with the account's auth by whichever instance runs the job. */
  mediaUrl?: string;
  /** Baileys: the note, downloaded by the session's owner when it arrived. */
  audioBase64?: string;
}

/** The job's data for a voice note just stored, or null when its audio cannot be handed over (it stays media only). */
export async function voiceNoteJobData(businessId: string, messageId: string, msg: TInboundMessage): Promise<TVoiceNoteJobData | null> {
  const base = { businessId, messageId, provider: msg.provider, peerAddress: msg.peerAddress, peerPhone: msg.peerPhone, mediaMime: msg.mediaMime };
  if (msg.mediaUrl) return { ...base, mediaUrl: msg.mediaUrl };
  if (!msg.download) return null;
  const bytes = await msg.download();
  if (!bytes.length || bytes.length > MAX_INLINE_VOICE_BYTES) return null;
  return { ...base, audioBase64: Buffer.from(bytes).toString("base64") };
}

export interface TVoiceNoteJobDeps extends TVoiceNoteDeps {
  db: TDb;
  /** Answer the stored message with the AI, as if it had just arrived with this text (the WhatsApp hub). */
  answer(data: TVoiceNoteJobData): Promise<unknown>;
}

/**
 * The voice-note job: transcribe (unless an earlier attempt already did), put the transcript
 * on the message, then let the AI answer it. Idempotent: a note answered once is not answered
 * again; a failure throws with its reason so the job is retried and, in the end, dead-lettered.
 */
export async function runVoiceNoteJob(deps: TVoiceNoteJobDeps, data: TVoiceNoteJobData): Promise<void> {
  const log = deps.log.child({ messageId: data.messageId, businessId: data.businessId });
  const [row] = await deps.db
    .select({ body: whatsappMessages.body, raw: whatsappMessages.raw })
    .from(whatsappMessages)
    .where(and(eq(whatsappMessages.id, data.messageId), eq(whatsappMessages.businessId, data.businessId)));
  if (!row) return log.info("voice note deleted before its transcription");
  if ((row.raw as { voiceNoteAnswered?: boolean } | null)?.voiceNoteAnswered) return;
  if (!row.body) {
    let bytes: Uint8Array;
    if (data.audioBase64) bytes = new Uint8Array(Buffer.from(data.audioBase64, "base64"));
    else if (data.mediaUrl && deps.fetchTwilioMedia) bytes = await deps.fetchTwilioMedia(data.mediaUrl);
    else throw new Error("voice note audio unavailable (no media URL or Twilio credentials)");
    const text = await transcribeBytes(deps, bytes, log, data.mediaMime);
    if (text) {
      await deps.db
        .update(whatsappMessages)
        .set({ body: text, raw: sql`coalesce(${whatsappMessages.raw}, '{}'::jsonb) || ${JSON.stringify({ transcribed: true })}::jsonb` })
        .where(eq(whatsappMessages.id, data.messageId));
    }
  }
  await deps.answer(data);
  await deps.db
    .update(whatsappMessages)
    .set({ raw: sql`coalesce(${whatsappMessages.raw}, '{}'::jsonb) || ${JSON.stringify({ voiceNoteAnswered: true })}::jsonb` })
    .where(eq(whatsappMessages.id, data.messageId));
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
