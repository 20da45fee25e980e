import { describe, expect, test } from "bun:test";
import { MULAW_DECODE_TABLE, MULAW_SILENCE, mulawToPcm16, pcm16ToMulaw } from "./mulaw";

describe("μ-law codec", () => {
  test("every μ-law byte survives decode → encode unchanged (except the duplicate zero)", () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const back = pcm16ToMulaw(mulawToPcm16(all));
    for (let i = 0; i < 256; i++) {
      // 0x7F and 0xFF both decode to 0; encode picks one of them.
      if (i === 0x7f || i === 0xff) expect([0x7f, 0xff]).toContain(back[i]!);
      else expect(back[i]).toBe(i);
    }
  });

  test("PCM round trip error stays within the μ-law quantisation step", () => {
    const pcm = new Int16Array(2000);
    for (let i = 0; i < pcm.length; i++) pcm[i] = Math.round(Math.sin(i / 7) * 20000 * (i / pcm.length));
    const back = mulawToPcm16(pcm16ToMulaw(pcm));
    for (let i = 0; i < pcm.length; i++) {
      const err = Math.abs(back[i]! - pcm[i]!);
      // Logarithmic companding: the step grows with the magnitude (≤ ~1/16 of it, ≥ 8 near zero).
      expect(err).toBeLessThanOrEqual(Math.max(8, Math.abs(pcm[i]!) / 16 + 4));
    }
  });

  test("known G.711 values: 0xFF is silence, 0x00 is the negative peak, 0x80 the positive peak", () => {
    expect(MULAW_DECODE_TABLE[0xff]).toBe(0);
    expect(MULAW_DECODE_TABLE[0x00]).toBe(-32124);
    expect(MULAW_DECODE_TABLE[0x80]).toBe(32124);
    expect(MULAW_DECODE_TABLE[MULAW_SILENCE]).toBe(0);
  });

  test("encoding is monotonic in magnitude and clips out-of-range input", () => {
    const pcm = Int16Array.from([-32768, -32767, 32767, 100, 1000, 10000]);
    const dec = mulawToPcm16(pcm16ToMulaw(pcm));
    expect(dec[0]).toBe(-32124);
    expect(dec[2]).toBe(32124);
    expect(dec[3]! < dec[4]! && dec[4]! < dec[5]!).toBe(true);
  });
});
