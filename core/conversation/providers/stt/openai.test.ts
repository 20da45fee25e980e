/** The real `openai` SDK against the local OpenAI double (wire-level). */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import OpenAI from "openai";
import { createLogger } from "../../../kernel/logger";
import { startOpenAiDouble, type TOpenAiDouble } from "../../../../test/doubles/openai-double";
import { parseWav, wavToPcm16 } from "../../audio/wav";
import { createSimulatorStt } from "./local";
import { createOpenAiStt } from "./openai";

const log = createLogger("silent");
const tone = (ms: number, rate = 8000) => {
  const pcm = new Int16Array((rate * ms) / 1000);
  for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(6000 * Math.sin((2 * Math.PI * 300 * i) / rate));
  return pcm;
};

describe("openai STT through the double", () => {
  let double: TOpenAiDouble;
  let client: OpenAI;
  beforeAll(() => {
    double = startOpenAiDouble({ apiKey: "sk-test" });
    client = new OpenAI({ apiKey: "sk-test", baseURL: double.baseURL, maxRetries: 0 });
  });
  afterAll(async () => {
    await double.close();
  });

  test("uploads the PCM as a WAV file with model and language he, returns the transcript", async () => {
    double.transcripts = ["אני מחפש דירה ברמת גן"];
    const pcm = tone(1500);
    const stt = createOpenAiStt({ client, log });
    const res = await stt.transcribe({ pcm, sampleRate: 8000, language: "he", simulatorHint: "ignored by real STT" });
    expect(res.text).toBe("אני מחפש דירה ברמת גן");
    expect(res.ms).toBeGreaterThanOrEqual(0);
    const req = double.requests.at(-1)!;
    expect(req.path).toBe("/v1/audio/transcriptions");
    expect(req.headers.authorization).toBe("Bearer sk-test");
    const body = req.body as Record<string, unknown> & { file: { name: string; head: string; bytes: Uint8Array } };
    expect(body.model).toBe("gpt-4o-transcribe");
    expect(body.language).toBe("he");
    expect(body.file.head).toBe("RIFF");
    const wav = parseWav(body.file.bytes);
    expect(wav.sampleRate).toBe(8000);
    expect(Array.from(wavToPcm16(wav))).toEqual(Array.from(pcm));
  });

  test("whisper-1 is an option; hallucinated transcripts come back empty", async () => {
    double.transcripts = ["תורגם על ידי: אבי", "Thanks for watching!", "שלום שלום שלום שלום שלום"];
    const stt = createOpenAiStt({ client, log, model: "whisper-1" });
    for (let i = 0; i < 3; i++) {
      const res = await stt.transcribe({ pcm: tone(800), sampleRate: 8000, language: "he" });
      expect(res.text).toBe("");
    }
    expect((double.requests.at(-1)!.body as { model: string }).model).toBe("whisper-1");
  });

  test("audio too short to hold a word is not sent", async () => {
    const before = double.requests.length;
    const res = await createOpenAiStt({ client, log }).transcribe({ pcm: tone(60), sampleRate: 8000, language: "he" });
    expect(res.text).toBe("");
    expect(double.requests.length).toBe(before);
  });

  test("an API error surfaces as an error (the session falls back)", async () => {
    double.transcripts = [{ status: 500 }];
    const stt = createOpenAiStt({ client, log });
    let failed = false;
    try {
      await stt.transcribe({ pcm: tone(500), sampleRate: 8000, language: "he" });
    } catch (err) {
      failed = err instanceof OpenAI.APIError && err.status === 500;
    }
    expect(failed).toBe(true);
  });
});

describe("local simulator STT", () => {
  test("returns the simulator hint, never pretends to recognise audio", async () => {
    const stt = createSimulatorStt({ log });
    expect((await stt.transcribe({ pcm: tone(500), sampleRate: 8000, language: "he", simulatorHint: " ארבעה חדרים " })).text).toBe("ארבעה חדרים");
    expect((await stt.transcribe({ pcm: tone(500), sampleRate: 8000, language: "he" })).text).toBe("");
  });
});
