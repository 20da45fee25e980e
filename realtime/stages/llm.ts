/**
 * Agent stage: a `transcript` frame starts a reply from the `TAgent`
 * (OpenAI or the local Hebrew brain); its streamed text, tool results, actions
 * and first-token metric go downstream as frames. Interruption aborts the
 * reply through its AbortSignal.
 */
import type { TAgent, TConversationContext } from "../brain/types";
import type { TFrame } from "../frames";
import type { TPush, TStage } from "../pipeline";

export interface TAgentStageDeps {
  agent: TAgent;
  /** The conversation the reply belongs to (history is kept by the session). */
  context: () => Promise<TConversationContext>;
  now?: () => number;
}

export function createAgentStage(deps: TAgentStageDeps): TStage {
  const now = deps.now ?? (() => performance.now());
  let controller: AbortController | undefined;
  return {
    name: "agent",
    interrupt() {
      controller?.abort(new Error("interrupted"));
    },
    async process(frame: TFrame, push: TPush) {
      if (frame.type !== "transcript") {
        push(frame);
        return;
      }
      const { turnId } = frame;
      const ac = new AbortController();
      controller = ac;
      const t0 = now();
      push({ kind: "control", type: "reply-start", turnId });
      const ctx = await deps.context();
      let first = true;
      for await (const ev of deps.agent.reply({ text: frame.text, ctx, signal: ac.signal })) {
        if (ac.signal.aborted) return;
        if (ev.type === "text") {
          if (!ev.delta) continue;
          if (first) {
            first = false;
            push({ kind: "control", type: "metrics", turnId, metrics: { llmFirstTokenMs: Math.round(now() - t0) } });
          }
          push({ kind: "data", type: "text", turnId, delta: ev.delta });
        } else if (ev.type === "tool") {
          push({ kind: "data", type: "tool", turnId, name: ev.name, args: ev.args, result: ev.result });
        } else if (ev.type === "action") {
          push({ kind: "control", type: "action", turnId, action: ev.action });
        }
      }
      if (!ac.signal.aborted) push({ kind: "control", type: "reply-end", turnId });
    },
  };
}
