/**
 * The OpenAI clients of a process, built once by the composition root
 * (api/runtime/create-runtime.ts) with the one retry policy of the product:
 *
 * - `live`: everything a caller or a chat waits on (STT, the agent, Realtime).
 *   No SDK retries and a short timeout: a caller cannot wait, the session falls
 *   back to the local brain or voice instead.
 * - `background`: post-call analysis and recording transcription in jobs.
 *   Two SDK retries with its exponential backoff; the job engine retries the
 *   whole job after that (api/jobs).
 *
 * Both are null without OPENAI_API_KEY (the product runs on its local parts).
 */
import OpenAI from "openai";
import type { TEnv } from "../../../env";

export interface TOpenAiClients {
  live: OpenAI | null;
  background: OpenAI | null;
}

export const OPENAI_RETRY_POLICY = {
  live: { maxRetries: 0, timeout: 15_000 },
  background: { maxRetries: 2, timeout: 60_000 },
} as const;

export function createOpenAiClients(config: Pick<TEnv, "openai">): TOpenAiClients {
  const { apiKey, baseUrl } = config.openai;
  if (!apiKey) return { live: null, background: null };
  const base = { apiKey, ...(baseUrl ? { baseURL: baseUrl } : {}) };
  return {
    live: new OpenAI({ ...base, ...OPENAI_RETRY_POLICY.live }),
    background: new OpenAI({ ...base, ...OPENAI_RETRY_POLICY.background }),
  };
}
