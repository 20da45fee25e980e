/**
 * VAD on "recorded" audio: Hebrew speech synthesised with espeak-ng, taken
 * through the phone path (8 kHz μ-law), framed as Twilio sends it, with
 * silence and noise around it.
 */
import { beforeAll, describe, expect, test } from "bun:test";
import { mulawToPcm16, pcm16ToMulaw } from "../../core/conversation/audio/mulaw";
import { resamplePcm16 } from "../../core/conversation/audio/resample";
import { espeakSynthesize } from "../../core/conversation/providers/tts/espeak";
import { looksComplete } from "./turn";
import { createVad, frameFeatures, type TVadEvent } from "./vad";

let speech: Int16Array;
let speech2: Int16Array;

/** Through the phone path, with espeak's leading/trailing silence trimmed. */
function phone(pcm: Int16Array, rate: number): Int16Array {
  const p = mulawToPcm16(pcm16ToMulaw(resamplePcm16(pcm, rate, 8000)));
  let a = 0;
  let b = p.length;
  while (a < b && Math.abs(p[a]!) < 300) a++;
  while (b > a && Math.abs(p[b - 1]!) < 300) b--;
  return p.slice(a, b);
}

function noise(ms: number, rms: number, seed = 1): Int16Array {
  let x = seed;
  const out = new Int16Array(ms * 8);
  for (let i = 0; i < out.length; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    out[i] = Math.round(((x / 0x7fffffff) * 2 - 1) * rms * Math.sqrt(3));
  }
  return out;
}

function mix(...parts: Int16Array[]): Int16Array {
  const out = new Int16Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function addNoise(pcm: Int16Array, rms: number): Int16Array {
  const n = noise(pcm.length / 8, rms, 7);
  return pcm.map((s, i) => Math.max(-32768, Math.min(32767, s + (n[i] ?? 0))));
}

function run(pcm: Int16Array, opts = {}): { ev: TVadEvent; atMs: number }[] {
  const vad = createVad(opts);
  const out: { ev: TVadEvent; atMs: number }[] = [];
  for (let i = 0; i + 160 <= pcm.length; i += 160) {
    const ev = vad.push(pcm.subarray(i, i + 160));
    if (ev) out.push({ ev, atMs: (i + 160) / 8 });
  }
  return out;
}

beforeAll(async () => {
  const a = await espeakSynthesize("שלום, אני מחפש דירת ארבעה חדרים ברמת גן.");
  speech = phone(a.pcm, a.sampleRate);
  const b = await espeakSynthesize("כן, תודה.");
  speech2 = phone(b.pcm, b.sampleRate);
});

describe("VAD on synthesised Hebrew phone speech", () => {
  test("silence → speech → silence: one onset near the start, one end ~500 ms after the speech", () => {
    const events = run(mix(new Int16Array(8000), speech, new Int16Array(8000)));
    const types = events.map((e) => e.ev.type).filter((t) => t !== "pause" && t !== "resume");
    expect(types).toEqual(["onset", "end"]);
    const onset = events.find((e) => e.ev.type === "onset")!;
    expect(onset.atMs).toBeGreaterThanOrEqual(1000);
    expect(onset.atMs).toBeLessThan(1000 + 300);
    const end = events.find((e) => e.ev.type === "end")!;
    const speechEndMs = 1000 + speech.length / 8;
    expect(end.atMs).toBeGreaterThan(speechEndMs);
    expect(end.atMs).toBeLessThanOrEqual(speechEndMs + 500 + 100);
    if (end.ev.type !== "end") throw new Error("no end");
    // The utterance handed to STT covers the speech (with pre-roll), not the seconds of silence.
    expect(end.ev.pcm.length).toBeGreaterThan(speech.length * 0.8);
    expect(end.ev.pcm.length).toBeLessThan(speech.length + 8 * 900);
  });

  test("steady noise alone is never speech, and the noise floor adapts to it", () => {
    const vad = createVad();
    const n = noise(3000, 400);
    const events: TVadEvent[] = [];
    for (let i = 0; i + 160 <= n.length; i += 160) {
      const ev = vad.push(n.subarray(i, i + 160));
      if (ev) events.push(ev);
    }
    expect(events).toEqual([]);
    expect(vad.noiseFloorDb).toBeGreaterThan(frameFeatures(n.subarray(0, 160)).db - 6);
  });

  test("speech in background noise is still found", () => {
    const pcm = addNoise(mix(new Int16Array(12000), speech, new Int16Array(8000)), 150);
    const types = run(pcm).map((e) => e.ev.type).filter((t) => t === "onset" || t === "end");
    expect(types).toEqual(["onset", "end"]);
  });

  test("two utterances separated by a long gap are two turns; a short gap is a pause inside one", () => {
    const two = run(mix(new Int16Array(4000), speech2, new Int16Array(8000), speech2, new Int16Array(8000)));
    expect(two.filter((e) => e.ev.type === "end").length).toBe(2);
    const one = run(mix(new Int16Array(4000), speech2, new Int16Array(8 * 300), speech2, new Int16Array(8000)));
    expect(one.filter((e) => e.ev.type === "end").length).toBe(1);
    expect(one.some((e) => e.ev.type === "pause")).toBe(true);
  });

  test("a click shorter than the minimum speech is discarded, not a turn", () => {
    const click = noise(80, 6000);
    const events = run(mix(new Int16Array(4000), click, new Int16Array(8000)));
    expect(events.some((e) => e.ev.type === "end")).toBe(false);
  });

  test("endpointing silence is configurable", () => {
    const pcm = mix(new Int16Array(4000), speech2, new Int16Array(16000));
    const at = (endpointMs: number) => run(pcm, { endpointMs }).find((e) => e.ev.type === "end")!.atMs;
    expect(at(1000) - at(400)).toBeGreaterThanOrEqual(560);
  });
});

describe("looksComplete (Hebrew end-of-turn heuristic)", () => {
  test("finished sentences", () => {
    expect(looksComplete("אני מחפש דירה ברמת גן.")).toBe(true);
    expect(looksComplete("כמה זה עולה?")).toBe(true);
    expect(looksComplete("קוראים לי דנה כהן")).toBe(true);
  });
  test("dangling words and fillers", () => {
    expect(looksComplete("אני מחפש דירה עם")).toBe(false);
    expect(looksComplete("התקציב שלי הוא בערך")).toBe(false);
    expect(looksComplete("אני רוצה,")).toBe(false);
    expect(looksComplete("כן")).toBe(false);
    expect(looksComplete("")).toBe(false);
  });
});
