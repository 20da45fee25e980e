/** Worker thread for espeak-ng synthesis (see espeak.ts). */
import { espeakSynthesizeInThread, type TEspeakOptions } from "./espeak";

declare const self: Worker;

self.onmessage = async (e: MessageEvent<{ id: number; text: string; opts: TEspeakOptions }>) => {
  const { id, text, opts } = e.data;
  try {
    const r = await espeakSynthesizeInThread(text, opts);
    self.postMessage({ id, pcm: r.pcm, sampleRate: r.sampleRate });
  } catch (err) {
    self.postMessage({ id, error: err instanceof Error ? err.message : String(err) });
  }
};
