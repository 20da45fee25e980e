/**
 * Google Cloud Text-to-Speech, he-IL (Wavenet/Standard/Chirp voices from the
 * business settings), MULAW 8 kHz — exactly Twilio's format, so no transcoding.
 * The API wraps MULAW in a WAV header; it is stripped before anything is sent.
 * REST transport (`fallback: true`): one HTTPS request per sentence, and
 * `GOOGLE_TTS_ENDPOINT` can point it at a local emulator or test double.
 */
import type { TextToSpeechClient } from "@google-cloud/text-to-speech";
import type { TLogger } from "../../../kernel/logger";
import { stripWavHeader } from "../../audio/wav";
import type { TTtsProvider, TTtsRequest } from "../types";

export const DEFAULT_GOOGLE_VOICE = "he-IL-Wavenet-A";
const CHUNK_BYTES = 8 * 200; // 200 ms of μ-law per yielded chunk

export interface TGoogleTtsOptions {
  log: TLogger;
  /** GOOGLE_TTS_ENDPOINT: "host", "host:port" or "http(s)://host:port". */
  endpoint?: string;
  /** GOOGLE_APPLICATION_CREDENTIALS (service-account JSON file). */
  keyFilename?: string;
  voice?: string;
  /** Per-request timeout (ms). */
  timeoutMs?: number;
}

/** Google accepts at most 5,000 bytes of input per request (Hebrew is 2 bytes a letter in UTF-8). */
export const MAX_INPUT_BYTES = 4800;

/** Split long text at sentence ends (else at spaces) into pieces under the request limit. */
export function splitForGoogle(text: string, maxBytes = MAX_INPUT_BYTES): string[] {
  const bytes = (s: string) => Buffer.byteLength(s, "utf8");
  if (bytes(text) <= maxBytes) return [text];
  const out: string[] = [];
  let current = "";
  for (const unit of text.match(/[^.!?\n]+[.!?\n]*\s*/g) ?? [text]) {
    const parts = bytes(unit) <= maxBytes ? [unit] : unit.split(/(?<=\s)/);
    for (const part of parts) {
      if (current && bytes(current + part) > maxBytes) {
        out.push(current.trim());
        current = "";
      }
      current += part;
    }
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

/** Client options for an endpoint string; plain http means a local emulator/double. */
export function googleClientOptions(opts: Pick<TGoogleTtsOptions, "endpoint" | "keyFilename">): Record<string, unknown> {
  const base: Record<string, unknown> = { fallback: true };
  if (opts.keyFilename) base.keyFilename = opts.keyFilename;
  if (!opts.endpoint) return base;
  const withScheme = /^[a-z]+:\/\//i.test(opts.endpoint) ? opts.endpoint : `https://${opts.endpoint}`;
  const url = new URL(withScheme);
  base.apiEndpoint = url.hostname;
  base.protocol = url.protocol.replace(":", "");
  if (url.port) base.port = Number(url.port);
  // A plain-http emulator has no OAuth token service to reach; it accepts a placeholder API key.
  if (url.protocol === "http:" && !opts.keyFilename) base.apiKey = "local-emulator";
  return base;
}

export function createGoogleTts(opts: TGoogleTtsOptions): TTtsProvider & { close(): Promise<void> } {
  // The client library (~40 MB resident) loads at the first synthesis, not when the provider is chosen (#18 lean idle).
  let client: Promise<TextToSpeechClient> | undefined;
  const getClient = () =>
    (client ??= import("@google-cloud/text-to-speech").then((m) => new m.TextToSpeechClient(googleClientOptions(opts) as ConstructorParameters<typeof TextToSpeechClient>[0])));
  const log = opts.log.child({ provider: "tts:google" });
  return {
    name: "google",
    defaultVoice: opts.voice ?? DEFAULT_GOOGLE_VOICE,
    async *synthesize(req: TTtsRequest) {
      if (req.signal?.aborted || !req.text.trim()) return;
      const voice = req.voice ?? opts.voice ?? DEFAULT_GOOGLE_VOICE;
      for (const piece of splitForGoogle(req.text)) {
        const [res] = await (await getClient()).synthesizeSpeech(
          {
            input: { text: piece },
            voice: { languageCode: "he-IL", name: voice },
            audioConfig: { audioEncoding: "MULAW", sampleRateHertz: 8000 },
          },
          { timeout: opts.timeoutMs ?? 8000, retry: null } as never,
        );
        if (req.signal?.aborted) return;
        const raw = res.audioContent;
        const bytes = typeof raw === "string" ? Uint8Array.from(Buffer.from(raw, "base64")) : new Uint8Array(raw ?? []);
        const mulaw = stripWavHeader(bytes);
        log.debug({ chars: piece.length, bytes: mulaw.length }, "synthesized");
        for (let o = 0; o < mulaw.length; o += CHUNK_BYTES) {
          if (req.signal?.aborted) return;
          yield mulaw.subarray(o, o + CHUNK_BYTES);
        }
      }
    },
    close: async () => {
      if (client) await (await client).close();
    },
  };
}
