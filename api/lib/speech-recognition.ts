/**
 * Whether this install can understand a caller. Without speech recognition
 * (no OPENAI_API_KEY) a streamed call would only hear apologies, so the voice
 * webhook answers with the message flow instead; start-up warns and the
 * dashboard shows a banner.
 */
import type { TEnv } from "../../env";

export function hasSpeechRecognition(config: Pick<TEnv, "providers" | "openai">): boolean {
  return config.providers.stt === "openai" && Boolean(config.openai.apiKey);
}

/** Streams are still wanted without STT when the call simulator scripts the caller (VOICE_SIMULATOR=on, never in production). */
export function answerWithStream(config: Pick<TEnv, "providers" | "openai" | "voiceSimulator">): boolean {
  return hasSpeechRecognition(config) || config.voiceSimulator === true;
}

export const NO_STT_WARNING =
  "no speech recognition configured (OPENAI_API_KEY missing): calls are answered with the business greeting and a recorded message, not an AI conversation";
