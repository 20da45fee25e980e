/**
 * Local TTS (no keys): espeak-ng WASM Hebrew → PCM 22.05 kHz → 8 kHz → μ-law,
 * yielded in chunks ready for Twilio. Recently spoken sentences are cached:
 * an agent repeats its questions and the greeting a lot.
 */
import { pcm16ToMulaw } from "../../audio/mulaw";
import { resamplePcm16 } from "../../audio/resample";
import type { TTtsProvider, TTtsRequest } from "../types";
import { espeakSynthesize } from "./espeak";

const CHUNK_BYTES = 8 * 200; // 200 ms of μ-law per yielded chunk

export interface TLocalTtsOptions {
  /** Words per minute for espeak. */
  speed?: number;
  cacheSize?: number;
}

/** Synthesise Hebrew text to μ-law 8 kHz in one piece. */
export async function synthesizeMulaw(text: string, opts: TLocalTtsOptions = {}): Promise<Uint8Array> {
  const { pcm, sampleRate } = await espeakSynthesize(text, { speed: opts.speed });
  return pcm16ToMulaw(resamplePcm16(pcm, sampleRate, 8000));
}

export function createLocalTts(opts: TLocalTtsOptions = {}): TTtsProvider {
  const cache = new Map<string, Promise<Uint8Array>>();
  const max = opts.cacheSize ?? 200;
  const get = (text: string) => {
    const key = text.trim();
    let hit = cache.get(key);
    if (hit) {
      cache.delete(key);
      cache.set(key, hit);
      return hit;
    }
    hit = synthesizeMulaw(key, opts);
    hit.catch(() => cache.delete(key));
    cache.set(key, hit);
    if (cache.size > max) cache.delete(cache.keys().next().value!);
    return hit;
  };
  return {
    name: "local",
    async *synthesize(req: TTtsRequest) {
      if (req.signal?.aborted) return;
      const mulaw = await get(req.text);
      for (let o = 0; o < mulaw.length; o += CHUNK_BYTES) {
        if (req.signal?.aborted) return;
        yield mulaw.subarray(o, o + CHUNK_BYTES);
      }
    },
  };
}
