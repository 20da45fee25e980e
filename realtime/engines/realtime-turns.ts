/**
 * Bookkeeping of the Realtime engine: one assistant audio item per turn, the
 * heard part of a transcript after barge-in, and the per-call metrics summary
 * (the same shape the pipeline engine stores).
 */
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
