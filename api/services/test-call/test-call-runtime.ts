/**
 * What the dashboard test call talks through: the same conversation agent
 * and TTS provider a phone call uses, plus the per-call agent state kept
 * between HTTP requests. One runtime per app (cached on the deps object), so
 * tRPC procedures stay free of globals and tests can inject their own.
 */
import type { TAgent } from "../../../realtime/brain/types";
import { createLocalAgent } from "../../../realtime/brain/local-agent";
import { createLocalTts } from "../../../realtime/providers/tts/local";
import type { TTtsProvider } from "../../../realtime/providers/types";
import type { TAppDeps } from "../../types";

export interface TTestCallRuntime {
  agent: TAgent;
  tts: TTtsProvider;
  /** Agent state per test call (ctx.state), bounded; lost on restart, the transcript is not. */
  states: Map<string, Record<string, unknown>>;
}

const MAX_SESSIONS = 200;
const runtimes = new WeakMap<TAppDeps, TTestCallRuntime>();

/** Build a runtime from explicit parts (tests, or a process that already has providers). */
export function createTestCallRuntime(parts: { agent: TAgent; tts: TTtsProvider }): TTestCallRuntime {
  return { ...parts, states: new Map() };
}

/** Register the runtime an app should use (e.g. built by createProviders at start). */
export function setTestCallRuntime(deps: TAppDeps, runtime: TTestCallRuntime): void {
  runtimes.set(deps, runtime);
}

/**
 * The runtime for these deps. Without one registered, the no-key default is
 * built: the local Hebrew agent (with the real tools on this database) and
 * local TTS — the same pair `npm start` uses on a phone call without keys.
 */
export function testCallRuntimeFor(deps: TAppDeps): TTestCallRuntime {
  let rt = runtimes.get(deps);
  if (!rt) {
    rt = createTestCallRuntime({
      agent: createLocalAgent({ db: deps.dbh.db, events: deps.events, log: deps.log.child({ component: "test-call" }) }),
      tts: createLocalTts(),
    });
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
