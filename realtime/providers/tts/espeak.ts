/**
 * Local Hebrew speech with espeak-ng compiled to WASM (GPL-3.0-or-later, loaded
 * lazily as a separate module). Unvocalised Hebrew is pronounced roughly: a
 * no-key default, not a product voice.
 */
import { parseWav, wavToPcm16 } from "../../audio/wav";

export interface TEspeakOptions {
  voice?: string;
  /** Words per minute (espeak default 175). */
  speed?: number;
  pitch?: number;
}

type TEspeakModule = { FS: { readFile(path: string): Uint8Array } };
type TEspeakFactory = (opts: { arguments: string[] }) => Promise<TEspeakModule>;

let factory: Promise<TEspeakFactory> | undefined;

/** Synthesise text to PCM16 mono at espeak's native 22050 Hz. */
export async function espeakSynthesize(text: string, opts: TEspeakOptions = {}): Promise<{ pcm: Int16Array; sampleRate: number }> {
  factory ??= import("espeak-ng").then((m) => m.default as unknown as TEspeakFactory);
  const create = await factory;
  const clean = text.replace(/\s+/g, " ").trim() || " ";
  const mod = await create({
    arguments: ["-v", opts.voice ?? "he", "-s", String(opts.speed ?? 165), "-p", String(opts.pitch ?? 50), "-w", "/out.wav", clean],
  });
  const wav = parseWav(mod.FS.readFile("/out.wav"));
  return { pcm: wavToPcm16(wav), sampleRate: wav.sampleRate };
}
