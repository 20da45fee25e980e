/**
 * Provider interfaces. Each kind has one interface; implementations live in
 * core/conversation/providers/<kind>/<vendor>.ts and are chosen by config
 * (env.providers) in core/conversation/providers/select-providers.ts.
 *
 * Audio conventions: STT takes PCM16 mono (any rate, usually 8 kHz from the
 * phone); TTS yields μ-law 8 kHz mono chunks ready for Twilio (no header).
 */

export interface TSttRequest {
  pcm: Int16Array;
  sampleRate: number;
  language: "he";
  signal?: AbortSignal;
  /**
   * Simulator side channel only: call-sim may announce the scripted text of the
   * utterance it is playing. The `local` STT uses it; it is not speech recognition.
   */
  simulatorHint?: string;
}

export interface TSttResult {
  text: string;
  /** 0..1 when the provider reports it. */
  confidence?: number;
  /** Provider time in ms (for per-turn metrics). */
  ms: number;
}

export interface TSttProvider {
  readonly name: string;
  transcribe(req: TSttRequest): Promise<TSttResult>;
}

export interface TTtsRequest {
  text: string;
  voice?: string;
  signal?: AbortSignal;
}

export interface TTtsProvider {
  readonly name: string;
  /** The voice a request without one gets (configuration); part of a kept prompt's key, so changing it is heard. */
  readonly defaultVoice?: string;
  /** μ-law 8 kHz mono chunks; the first chunk should come as early as possible. */
  synthesize(req: TTtsRequest): AsyncIterable<Uint8Array>;
}
