/**
 * The OpenAI agent: GPT-4o chat completions, streamed, with function calling
 * over the shared tools. Text deltas go out as they arrive (the TTS starts on
 * the first sentence); tool calls are run, surfaced as `tool` events, and the
 * model continues with their results. Honours the AbortSignal (barge-in).
 * The message list (incl. tool calls) lives in ctx.state.openai between turns.
 */
import OpenAI from "openai";
import { and, count, desc, eq, gte, isNotNull } from "drizzle-orm";
import { appointmentRequests, callLogs, customers } from "../../../db/schema";
import { buildSystemPrompt, type TCustomerSummary } from "./prompts";
import { DEFAULT_TOOL_TIMEOUT_MS, openAiTools, runTool } from "./tools/tool-registry";
import { createFollowUpQueue } from "./tools/follow-up-queue";
import type { TAgentToolDeps, TToolDeps, TToolScope } from "./tools/types";
import type { TAgent, TAgentEvent, TConversationContext } from "./types";

type TMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;

export interface TOpenAiAgentOptions extends TAgentToolDeps {
  client: OpenAI;
  /** Default gpt-4o. */
  model?: string;
  timezone?: string;
  now?: () => Date;
  /** Tool round trips per reply before we stop (default 4). */
  maxToolRounds?: number;
  temperature?: number;
}

interface TOpenAiState {
  messages: TMessage[];
}

/** Messages kept between turns; older ones are dropped from a user turn on, so no tool result loses its call. */
const MAX_MESSAGES = 40;

function trimHistory(messages: TMessage[]): void {
  if (messages.length <= MAX_MESSAGES) return;
  let cut = messages.length - MAX_MESSAGES;
  while (cut < messages.length && messages[cut]!.role !== "user") cut++;
  messages.splice(0, cut);
}

function isAbort(err: unknown): boolean {
  return err instanceof OpenAI.APIUserAbortError || (err instanceof Error && err.name === "AbortError");
}

async function loadCustomer(opts: TOpenAiAgentOptions, ctx: TConversationContext, now: Date): Promise<TCustomerSummary | null> {
  if (!ctx.customerId) return null;
  const [c] = await opts.db
    .select({ name: customers.fullName, status: customers.status, requirements: customers.requirements })
    .from(customers)
    .where(and(eq(customers.id, ctx.customerId), eq(customers.businessId, ctx.businessId)));
  if (!c) return null;
  const [v] = await opts.db
    .select({ n: count() })
    .from(appointmentRequests)
    .where(and(eq(appointmentRequests.customerId, ctx.customerId), eq(appointmentRequests.businessId, ctx.businessId), gte(appointmentRequests.startsAt, now)));
  const calls = await opts.db
    .select({ summary: callLogs.summary })
    .from(callLogs)
    .where(and(eq(callLogs.customerId, ctx.customerId), eq(callLogs.businessId, ctx.businessId), isNotNull(callLogs.summary)))
    .orderBy(desc(callLogs.startedAt))
    .limit(2);
  return {
    name: c.name,
    status: c.status,
    requirements: c.requirements as Record<string, unknown>,
    upcomingViewings: Number(v?.n ?? 0),
    recentCallSummaries: calls.map((x) => x.summary!).filter(Boolean),
  };
}

/**
 * The caller's summary for the prompt, or none when the database fails or does not answer in time:
 * the model can still talk (and its tools say "we will get back") instead of the reply hanging.
 */
async function customerOrNone(opts: TOpenAiAgentOptions, ctx: TConversationContext, now: Date, log: TOpenAiAgentOptions["log"]): Promise<TCustomerSummary | null> {
  const ms = opts.toolTimeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const load = loadCustomer(opts, ctx, now);
  load.catch(() => {});
  const late = ms ? new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms))) : new Promise<null>(() => {});
  try {
    return await Promise.race([load, late]);
  } catch (err) {
    log.warn({ err }, "customer summary unavailable (database?); replying without it");
    return null;
  } finally {
    clearTimeout(timer);
  }
}

/** Earlier turns (e.g. from a WhatsApp thread) as chat messages, when the agent has no state of its own yet. */
function historyMessages(ctx: TConversationContext): TMessage[] {
  return ctx.history
    .filter((h) => h.text.trim())
    .map((h): TMessage => (h.role === "user" ? { role: "user", content: h.text } : h.role === "assistant" ? { role: "assistant", content: h.text } : { role: "system", content: `Earlier tool result: ${h.text.slice(0, 500)}` }));
}

/**
 * @example
 *   const agent = createOpenAiAgent({ client: new OpenAI({ apiKey, baseURL }), db, events, log });
 */
export function createOpenAiAgent(opts: TOpenAiAgentOptions): TAgent {
  const model = opts.model ?? "gpt-4o";
  const now = opts.now ?? (() => new Date());
  const tools = openAiTools();
  // One follow-up queue for this agent's conversations unless the composition root shares its own.
  const deps: TToolDeps = { ...opts, followUps: opts.followUps ?? createFollowUpQueue({ db: opts.db, log: opts.log, events: opts.events }) };
  return {
    name: `openai:${model}`,
    async *reply({ text, ctx, signal }) {
      if (signal?.aborted) return;
      const log = opts.log.child({ agent: "openai", businessId: ctx.businessId, callId: ctx.callId });
      const state = (ctx.state.openai as TOpenAiState | undefined) ?? { messages: historyMessages(ctx) };
      ctx.state.openai = state;
      const system: TMessage = {
        role: "system",
        content: buildSystemPrompt({
          businessPrompt: ctx.systemPrompt,
          businessName: ctx.businessName,
          channel: ctx.channel,
          now: now(),
          timezone: opts.timezone,
          customer: await customerOrNone(opts, ctx, now(), log),
        }),
      };
      state.messages.push({ role: "user", content: text });
      trimHistory(state.messages);
      const scope = (): TToolScope => ({
        businessId: ctx.businessId,
        channel: ctx.channel,
        callId: ctx.callId,
        customerId: ctx.customerId ?? null,
        callerPhone: ctx.callerPhone ?? null,
        timezone: opts.timezone,
        now,
      });

      const started = performance.now();
      let firstToken = true;
      let pendingAction: "transfer" | "hangup" | undefined;
      const maxRounds = opts.maxToolRounds ?? 4;
      for (let round = 0; round <= maxRounds; round++) {
        let content = "";
        const calls: Array<{ id: string; name: string; args: string }> = [];
        try {
          const stream = await opts.client.chat.completions.create(
            {
              model,
              messages: [system, ...state.messages],
              tools,
              // After the last allowed round, force a spoken answer.
              tool_choice: round < maxRounds ? ("auto" as const) : ("none" as const),
              stream: true,
              temperature: opts.temperature ?? 0.4,
            },
            { signal },
          );
          for await (const chunk of stream) {
            const delta = chunk.choices[0]?.delta;
            if (!delta) continue;
            if (delta.content) {
              if (firstToken) {
                firstToken = false;
                yield { type: "metrics", firstTokenMs: performance.now() - started } satisfies TAgentEvent;
              }
              content += delta.content;
              yield { type: "text", delta: delta.content } satisfies TAgentEvent;
            }
            for (const tc of delta.tool_calls ?? []) {
              const slot = (calls[tc.index] ??= { id: "", name: "", args: "" });
              if (tc.id) slot.id = tc.id;
              if (tc.function?.name) slot.name += tc.function.name;
              if (tc.function?.arguments) slot.args += tc.function.arguments;
            }
          }
        } catch (err) {
          if (isAbort(err) || signal?.aborted) {
            // Barge-in: keep what was said so far as the assistant's turn.
            if (content) state.messages.push({ role: "assistant", content });
            return;
          }
          log.error({ err }, "openai chat failed");
          throw err;
        }

        // Past the allowed rounds the model must answer; stray tool calls are not run.
        const toolCalls = round < maxRounds ? calls.filter((c) => c.name) : [];
        if (!toolCalls.length) {
          state.messages.push({ role: "assistant", content });
          break;
        }
        if (firstToken) {
          firstToken = false;
          yield { type: "metrics", firstTokenMs: performance.now() - started } satisfies TAgentEvent;
        }
        state.messages.push({
          role: "assistant",
          content: content || null,
          tool_calls: toolCalls.map((c) => ({ id: c.id, type: "function", function: { name: c.name, arguments: c.args } })),
        });
        for (const call of toolCalls) {
          const outcome = await runTool(deps, scope(), call.name, call.args);
          let args: unknown = call.args;
          try {
            args = JSON.parse(call.args || "{}");
          } catch {
            // Keep the raw string: it is what the model sent.
          }
          const result = outcome.result as { customerId?: string } | undefined;
          if (outcome.ok && result?.customerId && !ctx.customerId) ctx.customerId = result.customerId;
          yield { type: "tool", name: call.name, args, result: outcome.result } satisfies TAgentEvent;
          if (outcome.action) pendingAction = outcome.action;
          state.messages.push({ role: "tool", tool_call_id: call.id, content: JSON.stringify(outcome.result) });
        }
        if (signal?.aborted) return;
      }
      if (pendingAction) yield { type: "action", action: pendingAction } satisfies TAgentEvent;
    },
  };
}
