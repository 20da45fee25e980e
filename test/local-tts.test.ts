import { describe, expect, test } from "bun:test";
import { mulawToPcm16 } from "../core/conversation/audio/mulaw";
import { isWav } from "../core/conversation/audio/wav";
import { frameFeatures } from "../realtime/stages/vad";
import { createLocalTts } from "../core/conversation/providers/tts/local";

async function collect(it: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const c of it) out.push(c);
  return out;
}

describe("local TTS (espeak-ng → μ-law 8 kHz)", () => {
  test("yields headerless μ-law in ≤ 200 ms chunks with audible speech", async () => {
    const tts = createLocalTts();
    const chunks = await collect(tts.synthesize({ text: "שלום, איך אפשר לעזור?" }));
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.every((c) => c.length <= 1600)).toBe(true);
    const all = Buffer.concat(chunks);
    expect(isWav(all)).toBe(false);
    // About a second or two of speech at 8000 bytes per second.
    expect(all.length).toBeGreaterThan(8000 * 0.8);
    expect(all.length).toBeLessThan(8000 * 5);
    const loudest = Math.max(...chunks.map((c) => frameFeatures(mulawToPcm16(c)).db));
    expect(loudest).toBeGreaterThan(55);
  }, 20_000);

  test("a sentence said again comes from the cache, byte for byte", async () => {
    const tts = createLocalTts();
    const a = Buffer.concat(await collect(tts.synthesize({ text: "תודה רבה." })));
    const b = Buffer.concat(await collect(tts.synthesize({ text: "תודה רבה." })));
    expect(b.equals(a)).toBe(true);
  }, 20_000);

  test("an aborted request yields nothing", async () => {
    const ac = new AbortController();
    ac.abort();
    expect(await collect(createLocalTts().synthesize({ text: "שלום", signal: ac.signal }))).toEqual([]);
  });
});
