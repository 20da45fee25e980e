/**
 * Agent stage: a `transcript` frame starts a reply from the `TAgent`
 * (OpenAI or the local Hebrew brain); its streamed text, tool results, actions
 * and first-token metric go downstream as frames. Interruption aborts the
 * reply through its AbortSignal.
 */
import type { TLogger } from "../../core/kernel/logger";
import type { TAgent, TAgentEvent, TConversationContext } from "../../core/conversation/brain/types";
import type { TFrame } from "../frames";
import type { TPush, TStage } from "../pipeline";

export interface TAgentStageDeps {
  agent: TAgent;
  /** Used when `agent` throws before its first word (the next provider before the apology). */
  fallbackAgent?: TAgent;
  log?: TLogger;
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
      const run = async (agent: TAgent) => {
        for await (const ev of agent.reply({ text: frame.text, ctx, signal: ac.signal })) {
          if (ac.signal.aborted) return;
          emit(ev);
        }
      };
      const emit = (ev: TAgentEvent) => {
        if (ev.type === "text") {
          if (!ev.delta) return;
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
      };
      try {
        await run(deps.agent);
      } catch (err) {
        if (ac.signal.aborted) return; // interrupted: not an error
        const fb = deps.fallbackAgent;
        if (!first || !fb || fb === deps.agent) throw err;
        deps.log?.warn({ err, agent: deps.agent.name, fallback: fb.name }, "agent failed, trying the fallback agent");
        await run(fb);
      }
      if (!ac.signal.aborted) push({ kind: "control", type: "reply-end", turnId });
    },
  };
}
