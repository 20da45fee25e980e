/**
 * Bookkeeping of the Realtime engine: its options, one assistant audio item per turn, the
 * heard part of a transcript after barge-in, and the per-call metrics summary
 * (the same shape the pipeline engine stores).
 */
import type OpenAI from "openai";
import type { TFollowUpQueue } from "../../core/conversation/brain/tools/follow-up-queue";
import type { TRealtimeVad, TWsOptions } from "../../core/conversation/providers/realtime/openai-realtime";
import type { TTurnMetrics } from "../../db/schema/calls";

export { summarizeCall } from "../metrics";

export interface TAssistantItem {
  turnId: number;
  itemId: string;
  transcript: string;
  audioMs: number;
  startedAt: Date;
  metrics: TTurnMetrics;
  done: boolean;
  persisted: boolean;
}

/** Heard part of a transcript, cut at a word boundary in proportion to the audio played. */
export function truncateTranscript(text: string, playedMs: number, totalMs: number): string {
  if (playedMs >= totalMs) return text;
  const words = text.split(/\s+/).filter(Boolean);
  const n = Math.floor(words.length * Math.max(0, playedMs) / Math.max(1, totalMs));
  return n > 0 ? `${words.slice(0, n).join(" ")}…` : "";
}

/** Tool arguments as JSON when they parse, else the raw string (stored as given). */
export function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}

export interface TRealtimeEngineOptions {
  client: OpenAI;
  model?: string;
  vad?: TRealtimeVad;
  wsOptions?: TWsOptions;
  /** Caller audio kept while the upstream socket is not ready (default 15 s of 20 ms frames). */
  maxBufferedFrames?: number;
  /**
   * Caller audio per upstream `input_audio_buffer.append` (default 80 ms: 4 Twilio frames a
   * message instead of 4 messages). ≤ 20 passes each frame's base64 through untouched.
   */
  appendBatchMs?: number;
  /** How long the socket's configuration waits for the call row before going ahead with the generic prompt (default 1 s). */
  infoWaitMs?: number;
  now?: () => Date;
  /** The process's follow-up queue (the composition root's); absent: one for this call. */
  followUps?: TFollowUpQueue;
}

export interface TRealtimeHooks {
  /** The upstream failed mid-call: the wrapper moves the call to the Record fallback. */
  fatal(err: unknown): void;
}


/** One Twilio media frame: 20 ms of μ-law. */

/** The assistant items of one call, by the API's item id and by our turn number (0 = the greeting). */
export function createAssistantItems() {
  const items = new Map<string, TAssistantItem>();
  const byTurn = new Map<number, TAssistantItem>();
  let turnSeq = 0;
  return {
    items,
    byTurn,
    /** Turns numbered so far (the greeting is 0 and not counted). */
    turns: () => turnSeq,
    /** A turn of our own with no API item (the local apology). */
    nextTurn: () => ++turnSeq,
    /** The item of an API item id, numbered as the next turn when first seen. */
    itemFor(itemId: string): TAssistantItem {
      let it = items.get(itemId);
      if (!it) {
        it = { turnId: ++turnSeq, itemId, transcript: "", audioMs: 0, startedAt: new Date(), metrics: {}, done: false, persisted: false };
        items.set(itemId, it);
        byTurn.set(it.turnId, it);
      }
      return it;
    },
  };
}
