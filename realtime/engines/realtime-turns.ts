/**
 * Bookkeeping of the Realtime engine: one assistant audio item per turn, the
 * heard part of a transcript after barge-in, and the per-call metrics summary
 * (the same shape the pipeline engine stores).
 */
import type { TCallMetrics, TTurnMetrics } from "../../db/schema/calls";
import type { TSessionStats } from "../call-session";
import { quantile } from "../metrics";

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

/** Per-call metrics from the session counters (stored on call_logs.metrics). */
export function summarizeCall(stats: TSessionStats): TCallMetrics {
  const turns = stats.turnFirstFrameMs;
  return {
    greetingFirstFrameMs: stats.greetingFirstFrameMs === undefined ? undefined : Math.round(stats.greetingFirstFrameMs * 100) / 100,
    turns: turns.length,
    bargeIns: stats.bargeIns,
    framesIn: stats.framesIn,
    framesLost: stats.framesLost,
    malformedMessages: stats.malformed,
    avgTurnMs: turns.length ? Math.round(turns.reduce((a, b) => a + b, 0) / turns.length) : undefined,
    p95TurnMs: turns.length ? Math.round(quantile(turns, 0.95)) : undefined,
  };
}

/** Tool arguments as JSON when they parse, else the raw string (stored as given). */
export function safeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return s;
  }
}
