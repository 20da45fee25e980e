/**
 * TTS stage: each `sentence` becomes `audio` frames (μ-law 8 kHz). The stage
 * runs in its own queue, so the first sentence is synthesised while the agent
 * is still writing the next. Interruption aborts the synthesis.
 */
import type { TFrame } from "../frames";
import type { TPush, TStage } from "../pipeline";
import type { TTtsProvider } from "../../core/conversation/providers/types";

export function createTtsStage(deps: { tts: TTtsProvider; voice?: () => string | undefined; now?: () => number }): TStage {
  const now = deps.now ?? (() => performance.now());
  let controller: AbortController | undefined;
  let firstByteSent = -1;
  return {
    name: "tts",
    interrupt() {
      controller?.abort(new Error("interrupted"));
    },
    async process(frame: TFrame, push: TPush) {
      if (!(frame.kind === "data" && frame.type === "sentence")) {
        push(frame);
        return;
      }
      const ac = new AbortController();
      controller = ac;
      const t0 = now();
      try {
        for await (const chunk of deps.tts.synthesize({ text: frame.text, voice: deps.voice?.(), signal: ac.signal })) {
          if (ac.signal.aborted) return;
          if (!chunk.length) continue;
          if (firstByteSent !== frame.turnId) {
            firstByteSent = frame.turnId;
            push({ kind: "control", type: "metrics", turnId: frame.turnId, metrics: { ttsFirstByteMs: Math.round(now() - t0) } });
          }
          push({ kind: "data", type: "audio", turnId: frame.turnId, seq: frame.seq, text: frame.text, mulaw: chunk });
        }
      } catch (err) {
        if (!ac.signal.aborted) throw err; // interrupted: not an error
      }
    },
  };
}
