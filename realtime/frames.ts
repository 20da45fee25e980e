/**
 * Frames flowing through the voice pipeline (after pipecat's frames.py).
 * `system` frames (start, stop, interruption, error) jump the queue and are
 * never dropped; `data` and `control` frames go in order and are cancelled by
 * an interruption.
 */
import type { TTurnMetrics } from "../db/schema/calls";

export type TSystemFrame =
  | { kind: "system"; type: "start" }
  | { kind: "system"; type: "stop" }
  /** Caller barge-in (or a fallback taking over): flush queues, abort generation. */
  | { kind: "system"; type: "interruption"; reason: string }
  /** A stage failed; call-session decides to fall back or hang up. */
  | { kind: "system"; type: "error"; stage: string; turnId: number; error: unknown };

export type TDataFrame =
  /** The caller's finished utterance, already transcribed. */
  | { kind: "data"; type: "transcript"; turnId: number; text: string; metrics: TTurnMetrics }
  /** A delta of the assistant's reply text. */
  | { kind: "data"; type: "text"; turnId: number; delta: string }
  /** A whole sentence of the reply, ready for TTS. */
  | { kind: "data"; type: "sentence"; turnId: number; seq: number; text: string }
  /** μ-law 8 kHz audio of one sentence (one or more chunks per sentence). */
  | { kind: "data"; type: "audio"; turnId: number; seq: number; text: string; mulaw: Uint8Array }
  /** A tool the agent ran (persisted as a `tool` turn). */
  | { kind: "data"; type: "tool"; turnId: number; name: string; args: unknown; result: unknown };

export type TControlFrame =
  | { kind: "control"; type: "reply-start"; turnId: number }
  | { kind: "control"; type: "reply-end"; turnId: number }
  | { kind: "control"; type: "metrics"; turnId: number; metrics: TTurnMetrics }
  | { kind: "control"; type: "action"; turnId: number; action: "transfer" | "hangup" }
  /** The reply guard: no reply audio yet — bridge with a filler, or give up (timeout). */
  | { kind: "control"; type: "guard"; turnId: number; reason: "filler" | "timeout" };

export type TFrame = TSystemFrame | TDataFrame | TControlFrame;

export const isSystem = (f: TFrame): f is TSystemFrame => f.kind === "system";

/** Build an error frame from anything thrown. */
export function errorFrame(stage: string, turnId: number, error: unknown): TSystemFrame {
  return { kind: "system", type: "error", stage, turnId, error };
}
