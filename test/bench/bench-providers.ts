/**
 * Provider doubles for the call benchmark: they cost what the vendors cost in
 * wall time (network + model latency), not CPU, so the benchmark measures
 * Kesher's own work. Delays are typical of gpt-4o-transcribe, gpt-4o
 * streaming and Google TTS from a nearby region.
 */
import { pcm16ToMulaw } from "../../core/conversation/audio/mulaw";
import type { TAgent, TAgentEvent } from "../../core/conversation/brain/types";
import type { TSttProvider, TTtsProvider } from "../../core/conversation/providers/types";

export interface TBenchDelays {
  sttMs: number;
  llmFirstTokenMs: number;
  llmTokenMs: number;
  ttsFirstByteMs: number;
}

export const DEFAULT_DELAYS: TBenchDelays = { sttMs: 250, llmFirstTokenMs: 350, llmTokenMs: 15, ttsFirstByteMs: 120 };

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(t), reject(signal.reason)), { once: true });
  });

export const BENCH_REPLIES = [
  "יש לנו כמה דירות ארבעה חדרים ברמת גן. הראשונה בשכונת הבורסה, שלושה מיליון מאתיים וחמישים אלף שקל. רוצה לקבוע צפייה?",
  "מצוין, קבעתי לך צפייה מחר בחמש. יום נעים!",
];

export function benchProviders(d: TBenchDelays = DEFAULT_DELAYS): { stt: TSttProvider; agent: TAgent; tts: TTtsProvider } {
  // One tone buffer, sliced per sentence: TTS "audio" costs no CPU here.
  const tone = pcm16ToMulaw(Int16Array.from({ length: 8000 * 12 }, (_, i) => Math.round(Math.sin(i / 4) * 6000)));
  let turn = 0;
  return {
    stt: {
      name: "bench-stt",
      async transcribe(req) {
        await sleep(d.sttMs, req.signal);
        return { text: req.simulatorHint ?? "שלום", ms: d.sttMs };
      },
    },
    agent: {
      name: "bench-llm",
      async *reply({ signal }): AsyncIterable<TAgentEvent> {
        const words = BENCH_REPLIES[turn++ % BENCH_REPLIES.length]!.split(/(?<=\s)/);
        await sleep(d.llmFirstTokenMs, signal);
        yield { type: "metrics", firstTokenMs: d.llmFirstTokenMs };
        for (const w of words) {
          yield { type: "text", delta: w };
          await sleep(d.llmTokenMs, signal);
        }
      },
    },
    tts: {
      name: "bench-tts",
      async *synthesize({ text, signal }) {
        await sleep(d.ttsFirstByteMs, signal);
        const bytes = Math.min(tone.length, text.length * 8 * 55);
        for (let o = 0; o < bytes; o += 1600) {
          if (signal?.aborted) return;
          yield tone.subarray(o, Math.min(bytes, o + 1600));
        }
      },
    },
  };
}
