/**
 * A local Google Cloud Text-to-Speech double on 127.0.0.1 speaking the REST
 * protocol the real client uses with `fallback: true`:
 *   POST /v1/text:synthesize  {input:{text}, voice:{languageCode,name}, audioConfig:{audioEncoding,sampleRateHertz}}
 *   → {"audioContent": base64}
 * Like the real API, MULAW and LINEAR16 audio come wrapped in a WAV header.
 * The audio is a deterministic pattern whose length follows the text, so tests
 * can check that exactly the data chunk (no header) reached the caller.
 */

export interface TGoogleTtsRequest {
  text: string;
  languageCode: string;
  voiceName: string | undefined;
  audioEncoding: string;
  sampleRateHertz: number;
  headers: Record<string, string>;
}

export interface TGoogleTtsDouble {
  /** Value for GOOGLE_TTS_ENDPOINT, e.g. http://127.0.0.1:PORT */
  endpoint: string;
  requests: TGoogleTtsRequest[];
  /** The audio payload (without header) returned for each request, in order. */
  payloads: Uint8Array[];
  /** Fail the next N requests with this status. */
  failNext(count: number, status?: number): void;
  close(): Promise<void>;
}

/** Google's enum numbers, for clients that send enums as integers. */
const ENCODINGS: Record<number, string> = { 0: "AUDIO_ENCODING_UNSPECIFIED", 1: "LINEAR16", 2: "MP3", 3: "OGG_OPUS", 5: "MULAW", 6: "ALAW" };

function wav(format: 1 | 7, sampleRate: number, data: Uint8Array): Uint8Array {
  const bits = format === 1 ? 16 : 8;
  const out = new Uint8Array(44 + data.length);
  const v = new DataView(out.buffer);
  const ascii = (o: number, s: string) => [...s].forEach((c, i) => (out[o + i] = c.charCodeAt(0)));
  ascii(0, "RIFF");
  v.setUint32(4, 36 + data.length, true);
  ascii(8, "WAVE");
  ascii(12, "fmt ");
  v.setUint32(16, 16, true);
  v.setUint16(20, format, true);
  v.setUint16(22, 1, true);
  v.setUint32(24, sampleRate, true);
  v.setUint32(28, (sampleRate * bits) / 8, true);
  v.setUint16(32, bits / 8, true);
  v.setUint16(34, bits, true);
  ascii(36, "data");
  v.setUint32(40, data.length, true);
  out.set(data, 44);
  return out;
}

export function startGoogleTtsDouble(): TGoogleTtsDouble {
  const state = { requests: [] as TGoogleTtsRequest[], payloads: [] as Uint8Array[], failures: 0, failStatus: 500 };
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    async fetch(req) {
      const url = new URL(req.url);
      if (req.method !== "POST" || url.pathname !== "/v1/text:synthesize") {
        return Response.json({ error: { code: 404, message: `no route ${url.pathname}`, status: "NOT_FOUND" } }, { status: 404 });
      }
      const body = (await req.json()) as {
        input?: { text?: string; ssml?: string };
        voice?: { languageCode?: string; name?: string };
        audioConfig?: { audioEncoding?: string | number; sampleRateHertz?: number };
      };
      const encoding = typeof body.audioConfig?.audioEncoding === "number" ? ENCODINGS[body.audioConfig.audioEncoding] ?? "?" : body.audioConfig?.audioEncoding ?? "?";
      const request: TGoogleTtsRequest = {
        text: body.input?.text ?? body.input?.ssml ?? "",
        languageCode: body.voice?.languageCode ?? "",
        voiceName: body.voice?.name,
        audioEncoding: encoding,
        sampleRateHertz: body.audioConfig?.sampleRateHertz ?? 24000,
        headers: Object.fromEntries(req.headers.entries()),
      };
      state.requests.push(request);
      if (state.failures > 0) {
        state.failures--;
        return Response.json({ error: { code: state.failStatus, message: "scripted failure", status: "UNAVAILABLE" } }, { status: state.failStatus });
      }
      if (!request.text.trim() || !request.languageCode) {
        return Response.json({ error: { code: 400, message: "input text and voice.languageCode are required", status: "INVALID_ARGUMENT" } }, { status: 400 });
      }
      // ~60 ms of audio per character, a recognisable byte pattern.
      const samples = Math.max(160, Math.round((request.sampleRateHertz * 0.06) * [...request.text].length));
      let audio: Uint8Array;
      if (encoding === "MULAW") {
        const data = new Uint8Array(samples);
        for (let i = 0; i < samples; i++) data[i] = 0x80 | (i % 64);
        state.payloads.push(data);
        audio = wav(7, request.sampleRateHertz, data);
      } else if (encoding === "LINEAR16") {
        const data = new Uint8Array(samples * 2);
        const v = new DataView(data.buffer);
        for (let i = 0; i < samples; i++) v.setInt16(i * 2, Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / request.sampleRateHertz)), true);
        state.payloads.push(data);
        audio = wav(1, request.sampleRateHertz, data);
      } else {
        return Response.json({ error: { code: 400, message: `encoding ${encoding} not supported by the double`, status: "INVALID_ARGUMENT" } }, { status: 400 });
      }
      return Response.json({ audioContent: Buffer.from(audio).toString("base64") });
    },
  });
  return {
    endpoint: `http://127.0.0.1:${server.port}`,
    requests: state.requests,
    payloads: state.payloads,
    failNext(count, status = 503) {
      state.failures = count;
      state.failStatus = status;
    },
    close: async () => {
      await server.stop(true);
    },
  };
}
