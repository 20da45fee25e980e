/**
 * The Twilio <Play> prompts are spoken by the configured TTS: Google he-IL
 * (the real client against the local REST double) when set, espeak only
 * without keys; cached by engine + voice + text in memory and on disk, so a
 * changed greeting or voice is synthesised anew and an unchanged one never is.
 */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "../core/kernel/logger";
import { createStaticAudio, PROMPT_TEXTS, promptUrl } from "../api/static/static-audio";
import { createGoogleTts } from "../core/conversation/providers/tts/google";
import { startGoogleTtsDouble, type TGoogleTtsDouble } from "./doubles/google-tts-double";

const log = createLogger("silent");
const isMp3 = (b: Uint8Array) => b.length > 100 && b[0] === 0xff && (b[1]! & 0xe0) === 0xe0;

describe("prompts in the configured voice", () => {
  let google: TGoogleTtsDouble;
  beforeAll(() => {
    google = startGoogleTtsDouble();
  });
  afterAll(() => google.close());

  test("Google configured: the greeting is synthesised by Google in the business voice, cached by text + voice (memory and disk)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kesher-prompts-"));
    const tts = () => createGoogleTts({ log, endpoint: google.endpoint });
    const audio = createStaticAudio(dir, { tts: tts(), log });
    expect(audio.engine).toBe("google");
    const text = "שלום, הגעתם לשי דירות ומשרדים. במה אפשר לעזור?";
    const before = google.requests.length;
    const a = await audio.render(text, "he-IL-Wavenet-B");
    expect(isMp3(a.mp3)).toBe(true);
    expect(a.seconds).toBeGreaterThan(0);
    const req = google.requests.slice(before);
    expect(req).toHaveLength(1);
    expect(req[0]).toMatchObject({ text, languageCode: "he-IL", voiceName: "he-IL-Wavenet-B", audioEncoding: "MULAW" });
    // Same text and voice: no new synthesis, in this process or after a restart (disk).
    await audio.render(text, "he-IL-Wavenet-B");
    await createStaticAudio(dir, { tts: tts(), log }).render(text, "he-IL-Wavenet-B");
    expect(google.requests.length).toBe(before + 1);
    // A new voice or a new text: synthesised again.
    await audio.render(text, "he-IL-Wavenet-C");
    await audio.render(`${text} `.trim() + " תודה.", "he-IL-Wavenet-B");
    expect(google.requests.slice(before).map((r) => r.voiceName)).toEqual(["he-IL-Wavenet-B", "he-IL-Wavenet-C", "he-IL-Wavenet-B"]);
  });

  test("Google failing: the prompt still exists (the local voice), and that stopgap is not cached as Google's", async () => {
    const audio = createStaticAudio(undefined, { tts: createGoogleTts({ log, endpoint: google.endpoint, timeoutMs: 2000 }), log });
    google.failNext(1, 500);
    const r = await audio.render(PROMPT_TEXTS["message_prompt_he.mp3"]);
    expect(isMp3(r.mp3)).toBe(true);
    const before = google.requests.length;
    // Google is back: the next request asks it again instead of keeping the stopgap voice.
    await audio.render(PROMPT_TEXTS["message_prompt_he.mp3"]);
    expect(google.requests.length).toBeGreaterThan(before);
    expect(google.requests.at(-1)!.text).toBe(PROMPT_TEXTS["message_prompt_he.mp3"]);
  });

  test("no keys: espeak speaks the prompts; warm makes every prompt and then reports ready", async () => {
    const audio = createStaticAudio(undefined);
    expect(audio.engine).toBe("espeak");
    expect(audio.ready()).toBe(false);
    await audio.warm();
    expect(audio.ready()).toBe(true);
    expect(isMp3(await audio.get("message_prompt_he.mp3"))).toBe(true);
  });

  test("prompt URLs: the version changes with the greeting text and the voice, not otherwise", () => {
    const b = { id: "7da780f4-152c-4dbd-80b4-04ab1d433d3e", name: "שי דירות", settings: { greetingText: "שלום!", voice: "he-IL-Wavenet-A" } };
    const u1 = promptUrl("https://k.example", "greeting_he.mp3", b);
    expect(u1).toStartWith(`https://k.example/static/greeting_he.mp3?business=${b.id}&v=`);
    expect(promptUrl("https://k.example", "greeting_he.mp3", { ...b })).toBe(u1);
    expect(promptUrl("https://k.example", "greeting_he.mp3", { ...b, settings: { ...b.settings, greetingText: "היי!" } })).not.toBe(u1);
    expect(promptUrl("https://k.example", "greeting_he.mp3", { ...b, settings: { ...b.settings, voice: "he-IL-Wavenet-D" } })).not.toBe(u1);
    expect(promptUrl("https://k.example", "fallback_he.mp3")).toBe("https://k.example/static/fallback_he.mp3");
  });
});
