/**
 * One Twilio media stream on the pipeline engine: the shared media session
 * (realtime/media-session.ts: parsing, start, greeting, recorder, pacer,
 * marks, stop) driving the STT → agent → sentences → TTS pipeline
 * (realtime/engines/pipeline-engine.ts), whose reply guard turns a slow reply
 * into a spoken filler and, after `hardTimeoutMs`, the apology — never silence.
 */
import { createPipelineEngine } from "./engines/pipeline-engine";
import { createMediaSession, type TCallSession, type TCallSessionDeps } from "./media-session";

export type { TCallSession, TCallSessionDeps, TEngine, TEngineContext, TSessionOptions, TSessionProviders, TSessionStats } from "./media-session";

/** The pipeline session for one media stream. */
export function createCallSession(deps: TCallSessionDeps): TCallSession {
  return createMediaSession(deps, createPipelineEngine(deps));
}
