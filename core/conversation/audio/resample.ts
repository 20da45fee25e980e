/**
 * Sample-rate conversion for phone audio: 8 kHz ⇄ 16 / 22.05 / 24 kHz.
 * Downsampling runs a windowed-sinc low-pass at the target Nyquist first so
 * TTS sibilants do not alias into the 0–4 kHz phone band; the conversion
 * itself is linear interpolation, which is plenty for speech.
 */

const TAPS = 31;
const firCache = new Map<string, Float32Array>();

/** Low-pass FIR (Blackman-windowed sinc), normalised to unity gain. */
function lowPass(cutoff: number, rate: number): Float32Array {
  const key = `${cutoff}/${rate}`;
  const cached = firCache.get(key);
  if (cached) return cached;
  const fc = cutoff / rate;
  const h = new Float32Array(TAPS);
  const m = TAPS - 1;
  let sum = 0;
  for (let i = 0; i < TAPS; i++) {
    const x = i - m / 2;
    const sinc = x === 0 ? 2 * Math.PI * fc : Math.sin(2 * Math.PI * fc * x) / x;
    const w = 0.42 - 0.5 * Math.cos((2 * Math.PI * i) / m) + 0.08 * Math.cos((4 * Math.PI * i) / m);
    h[i] = sinc * w;
    sum += h[i]!;
  }
  for (let i = 0; i < TAPS; i++) h[i]! /= sum;
  firCache.set(key, h);
  return h;
}

function filter(pcm: Int16Array, h: Float32Array): Float32Array {
  const out = new Float32Array(pcm.length);
  const half = (h.length - 1) / 2;
  for (let n = 0; n < pcm.length; n++) {
    let acc = 0;
    for (let k = 0; k < h.length; k++) {
      const idx = n + k - half;
      if (idx >= 0 && idx < pcm.length) acc += h[k]! * pcm[idx]!;
    }
    out[n] = acc;
  }
  return out;
}

/**
 * Resample mono PCM16 from `fromRate` to `toRate`.
 *
 * @example
 *   const phone = resamplePcm16(espeakPcm, 22050, 8000);
 */
export function resamplePcm16(pcm: Int16Array, fromRate: number, toRate: number): Int16Array {
  if (!(fromRate > 0 && toRate > 0)) throw new Error(`invalid sample rates ${fromRate} → ${toRate}`);
  if (fromRate === toRate || pcm.length === 0) return pcm.slice();
  const src: ArrayLike<number> = toRate < fromRate ? filter(pcm, lowPass(toRate * 0.45, fromRate)) : pcm;
  const outLen = Math.max(1, Math.round((pcm.length * toRate) / fromRate));
  const out = new Int16Array(outLen);
  const step = fromRate / toRate;
  const last = pcm.length - 1;
  for (let i = 0; i < outLen; i++) {
    const pos = i * step;
    const i0 = Math.min(Math.floor(pos), last);
    const i1 = Math.min(i0 + 1, last);
    const frac = pos - i0;
    const v = src[i0]! + (src[i1]! - src[i0]!) * frac;
    out[i] = v > 32767 ? 32767 : v < -32768 ? -32768 : Math.round(v);
  }
  return out;
}
