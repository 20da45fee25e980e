import { describe, expect, test } from "bun:test";
import { resamplePcm16 } from "./resample";

function tone(freq: number, rate: number, seconds: number, amp = 10000): Int16Array {
  const n = Math.round(rate * seconds);
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.round(Math.sin((2 * Math.PI * freq * i) / rate) * amp);
  return out;
}

function zeroCrossings(pcm: Int16Array): number {
  let z = 0;
  for (let i = 1; i < pcm.length; i++) if (pcm[i - 1]! < 0 !== pcm[i]! < 0) z++;
  return z;
}

function rms(pcm: Int16Array, skip = 64): number {
  let s = 0;
  let n = 0;
  for (let i = skip; i < pcm.length - skip; i++) {
    s += pcm[i]! * pcm[i]!;
    n++;
  }
  return Math.sqrt(s / n);
}

describe("resamplePcm16", () => {
  for (const [from, to] of [
    [8000, 16000],
    [16000, 8000],
    [22050, 8000],
    [8000, 22050],
    [24000, 8000],
    [8000, 24000],
  ] as const) {
    test(`${from} → ${to} keeps duration and pitch of a 440 Hz tone`, () => {
      const src = tone(440, from, 1);
      const out = resamplePcm16(src, from, to);
      expect(out.length).toBe(to);
      // 440 Hz → ~880 zero crossings per second, whatever the rate.
      expect(Math.abs(zeroCrossings(out) - zeroCrossings(src))).toBeLessThanOrEqual(4);
      expect(Math.abs(rms(out) - rms(src)) / rms(src)).toBeLessThan(0.05);
    });
  }

  test("downsampling 22.05 kHz → 8 kHz removes content above the phone band instead of aliasing it", () => {
    const inBand = resamplePcm16(tone(1000, 22050, 0.5), 22050, 8000);
    const aboveBand = resamplePcm16(tone(7000, 22050, 0.5), 22050, 8000);
    expect(rms(aboveBand)).toBeLessThan(rms(inBand) * 0.1);
  });

  test("same rate is a copy; invalid rates throw", () => {
    const src = tone(300, 8000, 0.1);
    const same = resamplePcm16(src, 8000, 8000);
    expect(same).toEqual(src);
    expect(same).not.toBe(src);
    expect(() => resamplePcm16(src, 0, 8000)).toThrow();
  });
});
