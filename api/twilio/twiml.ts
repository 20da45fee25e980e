import twilio from "twilio";
import { promptUrl, type TBusinessVoice, type TStaticName } from "../static/static-audio";

const { VoiceResponse } = twilio.twiml;

export interface TStreamTwiml {
  /** wss://host/ws/twilio-media */
  streamUrl: string;
  statusCallbackUrl: string;
  parameters: Record<string, string>;
}

/** `<Connect><Stream>`: bidirectional media stream (never `<Start>`, which is one-way). */
export function connectStreamTwiml(t: TStreamTwiml): string {
  const response = new VoiceResponse();
  const connect = response.connect();
  const stream = connect.stream({ url: t.streamUrl, statusCallback: t.statusCallbackUrl, statusCallbackMethod: "POST" });
  for (const [name, value] of Object.entries(t.parameters)) stream.parameter({ name, value });
  return response.toString();
}

export interface TRecordTwiml {
  origin: string;
  /** Where Twilio posts when the recording file is ready. */
  recordingCallbackUrl: string;
  /** Action after <Record> completes (must be set, or Twilio re-requests this document and loops). */
  actionUrl: string;
  /** The business (its greeting text and voice); absent = the default business. */
  business?: TBusinessVoice & { id: string };
  /**
   * What is played before the beep. Default: the fault apology (the watchdog
   * moved a broken call here). A call answered straight into the message flow
   * gets [greeting, message prompt]; after hours, the after-hours prompt.
   */
  intro?: TStaticName[];
}

/** Take a message: intro prompts → `<Record>` → `<Play>` goodbye → `<Hangup>`. */
export function recordTwiml(t: TRecordTwiml): string {
  const response = new VoiceResponse();
  for (const name of t.intro ?? ["record_prompt_he.mp3"]) response.play(promptUrl(t.origin, name, t.business));
  response.record({
    action: t.actionUrl,
    method: "POST",
    maxLength: 120,
    timeout: 5,
    playBeep: true,
    recordingStatusCallback: t.recordingCallbackUrl,
    recordingStatusCallbackMethod: "POST",
    recordingStatusCallbackEvent: ["completed"],
  });
  response.play(promptUrl(t.origin, "fallback_he.mp3", t.business));
  response.hangup();
  return response.toString();
}

/** After a recording: thank the caller and hang up. */
export function goodbyeTwiml(origin: string, business?: TBusinessVoice & { id: string }): string {
  const response = new VoiceResponse();
  response.play(promptUrl(origin, "fallback_he.mp3", business));
  response.hangup();
  return response.toString();
}
