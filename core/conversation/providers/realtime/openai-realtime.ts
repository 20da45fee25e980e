/**
 * OpenAI Realtime API over WebSocket (the SDK's `openai/realtime/ws` class):
 * the connection and the session configuration for a phone call — μ-law
 * (`audio/pcmu`) in and out so Twilio audio passes through untouched, Hebrew
 * instructions with the language pinned, input transcription in Hebrew,
 * semantic or server VAD, and the same tools as the pipeline engine.
 */
import type OpenAI from "openai";
import { OpenAIRealtimeWS } from "openai/realtime/ws";
import { openAiTools } from "../../brain/tools/tool-registry";

/** `ws` socket options as the SDK takes them (e.g. `ca` for a test certificate). */
export type TWsOptions = NonNullable<ConstructorParameters<typeof OpenAIRealtimeWS>[0]["options"]>;

export type TRealtimeVad = "semantic_vad" | "server_vad";

export interface TRealtimeSessionConfig {
  instructions: string;
  vad?: TRealtimeVad;
  voice?: string;
  /** Model used for the caller's transcript (stored as turns). */
  transcriptionModel?: string;
  /** server_vad: silence that ends the caller's turn. */
  silenceMs?: number;
}

/** Realtime function tools: the pipeline's tool registry, flattened to the Realtime shape. */
export function realtimeTools(): Array<{ type: "function"; name: string; description: string; parameters: Record<string, unknown> }> {
  return openAiTools().map((t) => ({ type: "function" as const, name: t.function.name, description: t.function.description, parameters: t.function.parameters }));
}

/** The `session.update` event for a Hebrew phone call. */
export function sessionUpdateEvent(cfg: TRealtimeSessionConfig) {
  const turnDetection =
    (cfg.vad ?? "semantic_vad") === "semantic_vad"
      ? { type: "semantic_vad" as const, eagerness: "auto" as const, create_response: true, interrupt_response: true }
      : { type: "server_vad" as const, threshold: 0.5, prefix_padding_ms: 300, silence_duration_ms: cfg.silenceMs ?? 500, create_response: true, interrupt_response: true };
  return {
    type: "session.update" as const,
    session: {
      type: "realtime" as const,
      instructions: `${cfg.instructions}\n- Speak Hebrew only (he-IL), even if the caller mixes languages.`,
      output_modalities: ["audio" as const],
      audio: {
        input: {
          format: { type: "audio/pcmu" as const },
          transcription: { model: cfg.transcriptionModel ?? "gpt-4o-transcribe", language: "he" },
          turn_detection: turnDetection,
        },
        output: { format: { type: "audio/pcmu" as const }, voice: cfg.voice ?? "marin" },
      },
      tools: realtimeTools(),
      tool_choice: "auto" as const,
    },
  };
}

export interface TRealtimeConnectOptions {
  client: OpenAI;
  model?: string;
  /** Options for the `ws` socket (tests pass the double's CA certificate). */
  wsOptions?: TWsOptions;
}

/** Open the Realtime socket (connects at once; listen for `socket.on("open")`). */
export function connectRealtime(opts: TRealtimeConnectOptions): OpenAIRealtimeWS {
  return new OpenAIRealtimeWS({ model: opts.model ?? "gpt-realtime", ...(opts.wsOptions ? { options: opts.wsOptions } : {}) }, opts.client);
}
