/**
 * OpenAI speech-to-text (gpt-4o-transcribe by default, whisper-1 as an option),
 * Hebrew pinned. The caller's PCM becomes a WAV file (`toFile`) for the
 * multipart upload; the transcript passes the quality filter, and a rejected
 * one comes back as "" so the session ignores it. Real STT ignores the
 * simulator hint.
 */
import OpenAI, { toFile } from "openai";
import type { TLogger } from "../../../kernel/logger";
import { pcm16ToWav } from "../../audio/wav";
import type { TSttProvider, TSttRequest, TSttResult } from "../types";
import { filterTranscript } from "./quality-filter";

export interface TOpenAiSttOptions {
  client: OpenAI;
  log: TLogger;
  /** "gpt-4o-transcribe" (default), "gpt-4o-mini-transcribe" or "whisper-1". */
  model?: string;
  /** Vocabulary hint (names of cities, neighbourhoods) for better recognition. */
  prompt?: string;
  /** Disable the quality filter (tests of the raw provider only). */
  filter?: boolean;
}

/** Shortest audio worth sending (seconds). */
export const MIN_AUDIO_S = 0.15;

export const DEFAULT_STT_PROMPT = "שיחת טלפון עם סוכנות נדל״ן: דירה, משרד, לקנות, לשכור, חדרים, מיליון, שקל, רמת גן, תל אביב, גבעתיים, ירושלים, חיפה.";

export function createOpenAiStt(opts: TOpenAiSttOptions): TSttProvider {
  const model = opts.model ?? "gpt-4o-transcribe";
  const log = opts.log.child({ provider: "stt:openai", model });
  return {
    name: `openai:${model}`,
    async transcribe(req: TSttRequest): Promise<TSttResult> {
      const started = performance.now();
      // Clicks and breaths shorter than this are not words; the API would reject or invent them.
      if (req.pcm.length < req.sampleRate * MIN_AUDIO_S) return { text: "", ms: 0 };
      const wav = pcm16ToWav(req.pcm, req.sampleRate);
      const file = await toFile(wav, "utterance.wav", { type: "audio/wav" });
      const res = await opts.client.audio.transcriptions.create(
        { file, model, language: req.language, prompt: opts.prompt ?? DEFAULT_STT_PROMPT, response_format: "json", temperature: 0 },
        { signal: req.signal },
      );
      const ms = performance.now() - started;
      if (opts.filter === false) return { text: res.text.trim(), ms };
      const audioMs = (req.pcm.length / req.sampleRate) * 1000;
      const verdict = filterTranscript(res.text, { audioMs });
      if (!verdict.ok) {
        log.info({ reason: verdict.reason, text: verdict.text.slice(0, 80) }, "transcript rejected by quality filter");
        return { text: "", ms };
      }
      return { text: verdict.text, ms };
    },
  };
}
