/**
 * The `local` STT is a SIMULATOR, not speech recognition. `bun run call-sim`
 * announces the lines it will speak (customParameters.simScript, a JSON array;
 * real Twilio never sends it; the media server drops it at `start` unless the
 * process runs with VOICE_SIMULATOR=on, which production refuses — see
 * realtime/stream-auth.ts); the call session passes the next line as
 * `simulatorHint` for each endpointed caller utterance, and this provider
 * returns it. With no hint (a real caller and no STT key) it returns "" and
 * logs once, so the session can fall back (e.g. to Record mode).
 */
import type { TLogger } from "../../../kernel/logger";
import type { TSttProvider, TSttRequest, TSttResult } from "../types";

export function createSimulatorStt(opts: { log: TLogger }): TSttProvider {
  let warned = false;
  return {
    name: "local-simulator",
    async transcribe(req: TSttRequest): Promise<TSttResult> {
      const started = performance.now();
      if (req.simulatorHint === undefined) {
        if (!warned) {
          warned = true;
          opts.log.warn("local STT is a simulator: no simulatorHint for this utterance, returning no transcript (set OPENAI_API_KEY for real speech recognition)");
        }
        return { text: "", ms: performance.now() - started };
      }
      return { text: req.simulatorHint.trim(), confidence: 1, ms: performance.now() - started };
    },
  };
}
