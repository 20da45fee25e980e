/**
 * The local Hebrew agent (no keys): rule-based NLU + dialog manager behind the
 * shared TAgent interface, using the same tools as the OpenAI agent. Works for
 * calls, WhatsApp and the dashboard test call. Conversation state is kept in
 * `ctx.state.dialog` (plain JSON).
 */
import { and, eq } from "drizzle-orm";
import { customers } from "../../../db/schema";
import { dialogTurn, initialDialogState, type TDialogState } from "./dialog";
import { SAY } from "./phrases";
import { DEFAULT_TOOL_TIMEOUT_MS, runTool, withDeadline } from "./tools/tool-registry";
import { createFollowUpQueue } from "./tools/follow-up-queue";
import type { TAgentToolDeps, TToolDeps, TToolScope } from "./tools/types";
import type { TAgent, TAgentEvent } from "./types";

export interface TLocalAgentOptions extends TAgentToolDeps {
  /** Business timezone (default Asia/Jerusalem). */
  timezone?: string;
  /** Clock, injectable for deterministic tests. */
  now?: () => Date;
}

/**
 * @example
 *   const agent = createLocalAgent({ db, events, log });
 *   for await (const ev of agent.reply({ text: "מחפש דירה ברמת גן", ctx })) …
 */
export function createLocalAgent(opts: TLocalAgentOptions): TAgent {
  const now = opts.now ?? (() => new Date());
  // One follow-up queue for this agent's conversations unless the composition root shares its own.
  const deps: TToolDeps = { ...opts, followUps: opts.followUps ?? createFollowUpQueue({ db: opts.db, log: opts.log, events: opts.events }) };
  return {
    name: "local",
    async *reply({ text, ctx, signal }) {
      if (signal?.aborted) return;
      const started = performance.now();
      const st = (ctx.state.dialog as TDialogState | undefined) ?? initialDialogState();
      ctx.state.dialog = st;
      const log = opts.log.child({ agent: "local", businessId: ctx.businessId });

      const preface: string[] = [];
      if (st.turns === 0 && ctx.customerId && !st.slots.name) {
        // A returning caller: greet by name and reuse it for the booking.
        // The database being down must not silence the call: greet without the name then.
        const lookup = opts.db
          .select({ fullName: customers.fullName })
          .from(customers)
          .where(and(eq(customers.id, ctx.customerId), eq(customers.businessId, ctx.businessId)));
        const [known] = await withDeadline(Promise.resolve(lookup), opts.toolTimeoutMs ?? DEFAULT_TOOL_TIMEOUT_MS, "customer lookup").catch(
          (err: unknown) => {
            log.warn({ err }, "returning customer lookup failed");
            return [];
          },
        );
        if (known?.fullName) {
          st.slots.name = known.fullName;
          st.customerId = ctx.customerId;
          preface.push(SAY.welcomeBack(known.fullName.split(" ")[0]!));
        }
      }

      const toolEvents: TAgentEvent[] = [];
      const scope = (): TToolScope => ({
        businessId: ctx.businessId,
        channel: ctx.channel,
        callId: ctx.callId,
        customerId: st.customerId ?? ctx.customerId ?? null,
        callerPhone: ctx.callerPhone ?? null,
        timezone: opts.timezone,
        now,
      });
      const out = await dialogTurn({
        text,
        state: st,
        now: now(),
        timezone: opts.timezone,
        businessName: ctx.businessName,
        style: ctx.channel === "whatsapp" ? "text" : "voice",
        callTool: async (name, args) => {
          const outcome = await runTool(deps, scope(), name, args);
          toolEvents.push({ type: "tool", name, args, result: outcome.result });
          return outcome;
        },
      });
      if (st.customerId) ctx.customerId = st.customerId;
      log.debug({ stage: st.stage, tools: toolEvents.length }, "local brain turn");

      yield { type: "metrics", firstTokenMs: performance.now() - started };
      for (const ev of toolEvents) yield ev;
      if (signal?.aborted) return;
      for (const sentence of [...preface, ...out.sentences]) yield { type: "text", delta: `${sentence} ` };
      if (out.action) yield { type: "action", action: out.action };
    },
  };
}
