/**
 * G.711 μ-law ⇄ PCM16, table-driven. Twilio Media Streams carry 8 kHz mono
 * μ-law; decoding is one lookup per byte and encoding one lookup per sample
 * (a 64 Ki table), which keeps inbound frame handling far below a millisecond.
 */

const BIAS = 0x84;
const CLIP = 32635;

function encodeSample(sample: number): number {
  let s = sample;
  const sign = s < 0 ? 0x80 : 0;
  if (s < 0) s = -s;
  if (s > CLIP) s = CLIP;
  s += BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent--;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
}

function decodeByte(byte: number): number {
  const u = ~byte & 0xff;
  const sign = u & 0x80;
  const exponent = (u >> 4) & 0x07;
  const mantissa = u & 0x0f;
  const magnitude = (((mantissa << 3) + BIAS) << exponent) - BIAS;
  return sign ? -magnitude : magnitude;
}

/** μ-law byte → PCM16 sample. */
export const MULAW_DECODE_TABLE: Int16Array = (() => {
  const t = new Int16Array(256);
  for (let i = 0; i < 256; i++) t[i] = decodeByte(i);
  return t;
})();

/** PCM16 sample (offset by 32768) → μ-law byte. */
const ENCODE_TABLE: Uint8Array = (() => {
  const t = new Uint8Array(65536);
  for (let i = 0; i < 65536; i++) t[i] = encodeSample(i - 32768);
  return t;
})();

/** μ-law silence (encodes 0). */
export const MULAW_SILENCE = ENCODE_TABLE[32768]!;

/** Decode μ-law bytes to PCM16 samples. */
export function mulawToPcm16(bytes: Uint8Array, out: Int16Array = new Int16Array(bytes.length)): Int16Array {
  for (let i = 0; i < bytes.length; i++) out[i] = MULAW_DECODE_TABLE[bytes[i]!]!;
  return out;
}

/** Encode PCM16 samples to μ-law bytes. */
export function pcm16ToMulaw(pcm: Int16Array, out: Uint8Array = new Uint8Array(pcm.length)): Uint8Array {
  for (let i = 0; i < pcm.length; i++) out[i] = ENCODE_TABLE[pcm[i]! + 32768]!;
  return out;
}
