/**
 * What the dashboard test call talks through: the same conversation agent
 * and TTS provider a phone call uses, plus the per-call agent state kept
 * between HTTP requests. One runtime per app (cached on the deps object), so
 * tRPC procedures stay free of globals and tests can inject their own.
 */
import type { TAgent } from "../../../core/conversation/brain/types";
import { createProviders } from "../../../core/conversation/providers/select-providers";
import type { TTtsProvider } from "../../../core/conversation/providers/types";
import type { TAppDeps } from "../../types";

export interface TTestCallRuntime {
  agent: TAgent;
  /** Used when `agent` fails (e.g. the LLM vendor is down), as a phone call does. */
  fallbackAgent?: TAgent;
  tts: TTtsProvider;
  /** Agent state per test call (ctx.state), bounded; lost on restart, the transcript is not. */
  states: Map<string, Record<string, unknown>>;
}

const MAX_SESSIONS = 200;
const runtimes = new WeakMap<TAppDeps, TTestCallRuntime>();

/** Build a runtime from explicit parts (tests, or a process that already has providers). */
export function createTestCallRuntime(parts: { agent: TAgent; tts: TTtsProvider; fallbackAgent?: TAgent }): TTestCallRuntime {
  return { ...parts, states: new Map() };
}

/** Register the runtime an app should use (e.g. built by createProviders at start). */
export function setTestCallRuntime(deps: TAppDeps, runtime: TTestCallRuntime): void {
  runtimes.set(deps, runtime);
}

/**
 * The runtime for these deps: the agent and TTS chosen by config exactly as
 * for phone calls (`createProviders`: OpenAI/Google when keys are set, else
 * the local Hebrew brain and local voice), with the local agent as fallback.
 */
export function testCallRuntimeFor(deps: TAppDeps): TTestCallRuntime {
  let rt = runtimes.get(deps);
  if (!rt) {
    const p = createProviders({ config: deps.config, db: deps.dbh.db, events: deps.events, log: deps.log.child({ component: "test-call" }) });
    rt = createTestCallRuntime({ agent: p.agent, tts: p.tts, fallbackAgent: p.agent === p.localAgent ? undefined : p.localAgent });
    runtimes.set(deps, rt);
  }
  return rt;
}

/** Remember a call's agent state, evicting the oldest beyond the bound. */
export function rememberState(rt: TTestCallRuntime, callId: string, state: Record<string, unknown>): void {
  rt.states.delete(callId);
  rt.states.set(callId, state);
  if (rt.states.size > MAX_SESSIONS) rt.states.delete(rt.states.keys().next().value!);
}
