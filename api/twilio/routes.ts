import { Hono } from "hono";
import { verifyTwilioSignature } from "../middleware/verify-twilio-signature";
import type { TAppDeps, THonoEnv } from "../types";
import { callStatusWebhook, streamStatusWebhook } from "./call-status";
import { fallbackWebhook } from "./fallback";
import { recordingWebhook, type TOnRecording } from "./recording";
import { voiceWebhook, type TOnStreamAnswered } from "./voice-webhook";

/** Every Twilio voice webhook of the contract, each behind the signature check. */
export function twilioVoiceRoutes(deps: TAppDeps, hooks: { onRecording?: TOnRecording; onStreamAnswered?: TOnStreamAnswered } = {}) {
  const app = new Hono<THonoEnv>();
  // Per route, not app.use("*"): a sub-app's "*" middleware would leak onto every path once mounted.
  const signed = verifyTwilioSignature({
    authToken: deps.twilioAuthToken,
    enabled: deps.config.twilio.signatureCheck,
    publicBaseUrl: deps.config.publicBaseUrl,
  });
  const voice = voiceWebhook(deps, hooks.onStreamAnswered);
  const status = callStatusWebhook(deps);
  const streamStatus = streamStatusWebhook(deps);
  const recording = recordingWebhook(deps, hooks.onRecording);
  app.post("/twilio/voice", signed, voice);
  app.post("/incoming_call", signed, voice);
  app.post("/twilio/status", signed, status);
  app.post("/twilio/stream-status", signed, streamStatus);
  app.post("/stream_ended", signed, streamStatus);
  app.post("/twilio/recording", signed, recording);
  app.post("/handle_recording", signed, recording);
  app.post("/twilio/fallback", signed, fallbackWebhook(deps));
  return app;
}
