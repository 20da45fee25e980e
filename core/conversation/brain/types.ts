/**
 * The conversation agent: what turns caller (or WhatsApp) text into a reply.
 * Two implementations share this interface and the same tools:
 *   - `openai` (GPT-4o streaming with function calling)
 *   - `local`  (rule-based Hebrew NLU + dialog manager, no keys)
 * Voice calls and WhatsApp both use it.
 */

export type TChannel = "call" | "whatsapp" | "test_call";

export interface THistoryItem {
  role: "user" | "assistant" | "tool";
  text: string;
}

/** What the agent knows about the conversation it is in. */
export interface TConversationContext {
  businessId: string;
  channel: TChannel;
  /** call_logs.id for calls, undefined for WhatsApp. */
  callId?: string;
  customerId?: string | null;
  callerPhone?: string | null;
  /** Earlier turns of this conversation (oldest first). */
  history: THistoryItem[];
  /** Business settings (system prompt etc.) resolved by the caller. */
  systemPrompt?: string;
  businessName?: string;
  /** Mutable per-conversation state the agent may keep between turns (slots, stage). */
  state: Record<string, unknown>;
}

export type TAgentEvent =
  /** A piece of the reply text; sentences are chunked downstream for TTS. */
  | { type: "text"; delta: string }
  /** A tool was called and returned (stored as a `tool` turn). */
  | { type: "tool"; name: string; args: unknown; result: unknown }
  /** The agent asks the session to act after speaking. */
  | { type: "action"; action: "transfer" | "hangup" }
  /** Provider time to the first token, for metrics. */
  | { type: "metrics"; firstTokenMs: number };

export interface TAgent {
  readonly name: string;
  reply(input: { text: string; ctx: TConversationContext; signal?: AbortSignal }): AsyncIterable<TAgentEvent>;
}
