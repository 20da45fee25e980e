/**
 * Voice prompts kept between starts (core/conversation/prompt-store.ts): a
 * restarted server reads its greetings, apology and filler from DATA_DIR/voice
 * instead of synthesising them again, plays the same audio, asks the TTS
 * again only for a changed text or voice, and never keeps a local-voice
 * stopgap as the business voice. The TTS providers are doubles that count
 * their requests; the prompts, the store and the files are the real ones.
 */
import { describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createLogger } from "../core/kernel/logger";
import { createDiskPromptStore, promptKey } from "../core/conversation/prompt-store";
import { APOLOGY_TEXT, createVoicePrompts, DEFAULT_GREETING, FILLER_TEXT } from "../core/conversation/voice-prompts";
import type { TTtsProvider } from "../core/conversation/providers/types";
import { pcm16ToMulaw } from "../core/conversation/audio/mulaw";

const log = createLogger("silent");
const GREETING = "שלום, הגעתם לשי דירות ומשרדים. איך אפשר לעזור לכם היום?";

/** A TTS double that counts what it was asked; `fail` makes it refuse (a provider outage). */
function countingTts(name: string, opts: { fail?: boolean; pitch?: number; defaultVoice?: string } = {}) {
  const asked: string[] = [];
  const tts: TTtsProvider = {
    name,
    defaultVoice: opts.defaultVoice,
    async *synthesize({ text }) {
      asked.push(text);
      if (opts.fail) throw new Error(`${name} 503`);
      const pcm = new Int16Array(text.length * 80).map((_, i) => Math.round(Math.sin(i / (opts.pitch ?? 3)) * 8000));
      yield pcm16ToMulaw(pcm);
    },
  };
  return { tts, asked };
}

const start = (dir: string, tts: TTtsProvider, local: TTtsProvider) => {
  const prompts = createVoicePrompts({ tts, fallbackTts: local, log, store: createDiskPromptStore(dir) });
  return prompts;
};

describe("voice prompts kept between starts", () => {
  test("a restart reads every prompt from the folder: no synthesis, the same audio", async () => {
    const dir = join(mkdtempSync(join(tmpdir(), "kesher-voice-")), "voice");
    const google = countingTts("google");
    const local = countingTts("local", { pitch: 5 });
    const first = start(dir, google.tts, local.tts);
    await first.warm();
    await first.refreshGreeting("b1", GREETING, "he-IL-Wavenet-A");
    expect(google.asked.sort()).toEqual([DEFAULT_GREETING, FILLER_TEXT, GREETING].sort());
    expect(local.asked).toEqual([APOLOGY_TEXT]);
    expect(readdirSync(dir).filter((f) => f.endsWith(".ulaw"))).toHaveLength(4);

    const google2 = countingTts("google");
    const local2 = countingTts("local", { pitch: 5 });
    const again = start(dir, google2.tts, local2.tts);
    await again.warm();
    await again.refreshGreeting("b1", GREETING, "he-IL-Wavenet-A");
    expect(google2.asked).toEqual([]);
    expect(local2.asked).toEqual([]);
    expect(again.isReady()).toBe(true);
    expect(again.greeting("b1")!.mulaw).toEqual(first.greeting("b1")!.mulaw);
    expect(again.greeting(undefined)!.mulaw).toEqual(first.greeting(undefined)!.mulaw);
    expect(again.apology()!.mulaw).toEqual(first.apology()!.mulaw);
    expect(again.filler()!.mulaw).toEqual(first.filler()!.mulaw);
  });

  test("a changed greeting text or voice is synthesised again; the old one is not played", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kesher-voice-"));
    const google = countingTts("google");
    const local = countingTts("local");
    const prompts = start(dir, google.tts, local.tts);
    await prompts.refreshGreeting("b1", GREETING, "he-IL-Wavenet-A");
    google.asked.length = 0;
    await prompts.refreshGreeting("b1", `${GREETING} נשמח לעזור.`, "he-IL-Wavenet-A");
    await prompts.refreshGreeting("b1", `${GREETING} נשמח לעזור.`, "he-IL-Wavenet-B");
    expect(google.asked).toEqual([`${GREETING} נשמח לעזור.`, `${GREETING} נשמח לעזור.`]);
  });

  test("a changed default voice (configuration, no voice in settings) is synthesised again at the next start", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kesher-voice-"));
    const a = countingTts("google", { defaultVoice: "he-IL-Wavenet-A" });
    await start(dir, a.tts, countingTts("local").tts).refreshGreeting("b1", GREETING);
    const sameVoice = countingTts("google", { defaultVoice: "he-IL-Wavenet-A" });
    await start(dir, sameVoice.tts, countingTts("local").tts).refreshGreeting("b1", GREETING);
    expect(sameVoice.asked).toEqual([]);
    const b = countingTts("google", { defaultVoice: "he-IL-Wavenet-D" });
    await start(dir, b.tts, countingTts("local").tts).refreshGreeting("b1", GREETING);
    expect(b.asked).toEqual([GREETING]);
  });

  test("the business voice failing: the local-voice stopgap is kept as local only, so the next start asks the business voice again", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kesher-voice-"));
    const down = countingTts("google", { fail: true });
    const local = countingTts("local");
    const first = start(dir, down.tts, local.tts);
    await first.refreshGreeting("b1", GREETING, "he-IL-Wavenet-A");
    expect(first.greeting("b1")!.mulaw.length).toBeGreaterThan(0);
    expect(local.asked).toEqual([GREETING]);

    const up = countingTts("google", { pitch: 7 });
    const next = start(dir, up.tts, countingTts("local").tts);
    await next.refreshGreeting("b1", GREETING, "he-IL-Wavenet-A");
    expect(up.asked).toEqual([GREETING]);
    expect(next.greeting("b1")!.mulaw).not.toEqual(first.greeting("b1")!.mulaw);
  });

  test("a damaged or unreadable file costs only a synthesis", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kesher-voice-"));
    const local = countingTts("local");
    // An empty file (a disk that filled up) is no prompt.
    writeFileSync(join(dir, `${promptKey("local", undefined, APOLOGY_TEXT)}.ulaw`), new Uint8Array(0));
    const prompts = start(dir, local.tts, local.tts);
    await prompts.warm();
    expect(local.asked).toContain(APOLOGY_TEXT);
    expect(prompts.apology()!.mulaw.length).toBeGreaterThan(0);
    // A folder that cannot be created (a file in its place) does not stop the prompts.
    const blocked = join(mkdtempSync(join(tmpdir(), "kesher-voice-")), "voice");
    writeFileSync(blocked, "not a folder");
    const other = start(blocked, countingTts("local").tts, countingTts("local").tts);
    await other.warm();
    expect(other.isReady()).toBe(true);
  });
});
