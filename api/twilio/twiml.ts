import twilio from "twilio";

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
}

/** Record mode: prompt → `<Record>` → `<Play>` fallback → `<Hangup>`. */
export function recordTwiml(t: TRecordTwiml): string {
  const response = new VoiceResponse();
  response.play(`${t.origin}/static/record_prompt_he.mp3`);
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
  response.play(`${t.origin}/static/fallback_he.mp3`);
  response.hangup();
  return response.toString();
}

/** After a recording: thank the caller and hang up. */
export function goodbyeTwiml(origin: string): string {
  const response = new VoiceResponse();
  response.play(`${origin}/static/fallback_he.mp3`);
  response.hangup();
  return response.toString();
}
