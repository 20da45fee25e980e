/** The real @google-cloud/text-to-speech client (REST) against the local double. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createLogger } from "../../../kernel/logger";
import { startGoogleTtsDouble, type TGoogleTtsDouble } from "../../../../test/doubles/google-tts-double";
import { createGoogleTts, googleClientOptions, splitForGoogle } from "./google";

const collect = async (it: AsyncIterable<Uint8Array>) => {
  const parts: Uint8Array[] = [];
  for await (const c of it) parts.push(c);
  return parts;
};

describe("google TTS through the double", () => {
  let double: TGoogleTtsDouble;
  let tts: ReturnType<typeof createGoogleTts>;
  beforeAll(() => {
    double = startGoogleTtsDouble();
    tts = createGoogleTts({ log: createLogger("silent"), endpoint: double.endpoint, voice: "he-IL-Wavenet-B" });
  });
  afterAll(async () => {
    await tts.close();
    await double.close();
  });

  test("asks for he-IL MULAW 8 kHz and yields the μ-law data with the WAV header stripped", async () => {
    const chunks = await collect(tts.synthesize({ text: "שלום, הגעתם לשי דירות ומשרדים." }));
    const req = double.requests.at(-1)!;
    expect(req).toMatchObject({ languageCode: "he-IL", voiceName: "he-IL-Wavenet-B", audioEncoding: "MULAW", sampleRateHertz: 8000, text: "שלום, הגעתם לשי דירות ומשרדים." });
    const out = Buffer.concat(chunks);
    const expected = double.payloads.at(-1)!;
    expect(out.length).toBe(expected.length);
    expect(out.equals(Buffer.from(expected))).toBe(true);
    expect(out.subarray(0, 4).toString("latin1")).not.toBe("RIFF");
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(1600);
  });

  test("a per-request voice overrides the default; an aborted request yields nothing", async () => {
    await collect(tts.synthesize({ text: "בדיקה", voice: "he-IL-Standard-C" }));
    expect(double.requests.at(-1)!.voiceName).toBe("he-IL-Standard-C");
    const ac = new AbortController();
    ac.abort();
    const before = double.requests.length;
    expect(await collect(tts.synthesize({ text: "לא יושמע", signal: ac.signal }))).toEqual([]);
    expect(double.requests.length).toBe(before);
  });

  test("an API failure is an error, not silence", async () => {
    double.failNext(1, 503);
    let failed = false;
    try {
      await collect(tts.synthesize({ text: "שלום" }));
    } catch {
      failed = true;
    }
    expect(failed).toBe(true);
  });

  test("text over Google's 5,000-byte input limit is sent in sentence-bounded pieces, audio in order", async () => {
    const sentence = "זה משפט ארוך בעברית שחוזר על עצמו כדי לעבור את המגבלה של גוגל. ";
    const text = sentence.repeat(80);
    const before = double.requests.length;
    const out = Buffer.concat(await collect(tts.synthesize({ text })));
    const sent = double.requests.slice(before);
    expect(sent.length).toBeGreaterThan(1);
    for (const r of sent) expect(Buffer.byteLength(r.text, "utf8")).toBeLessThanOrEqual(4800);
    expect(sent.map((r) => r.text).join(" ")).toBe(text.trim());
    expect(out.equals(Buffer.concat(double.payloads.slice(-sent.length)))).toBe(true);
    expect(splitForGoogle("קצר.")).toEqual(["קצר."]);
  });

  test("endpoint parsing: https host, http emulator with port", () => {
    expect(googleClientOptions({ endpoint: "texttospeech.googleapis.com" })).toMatchObject({ apiEndpoint: "texttospeech.googleapis.com", protocol: "https" });
    expect(googleClientOptions({ endpoint: "http://127.0.0.1:9999" })).toMatchObject({ apiEndpoint: "127.0.0.1", port: 9999, protocol: "http" });
    expect(googleClientOptions({})).toEqual({ fallback: true });
  });
});
