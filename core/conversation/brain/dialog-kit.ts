/**
 * One turn of the local brain's dialog as an object the stage modules share:
 * the parsed utterance, the sentences being built, and the moves every stage
 * needs (ask a question, save the lead, create a callback task, hand over to a
 * person, move on to "anything else?").
 */
import { DEFAULT_TZ } from "./hebrew-time";
import type { TNlu, TSlot } from "./nlu";
import { question, SAY, sayWhen, type TStyle } from "./phrases";
import type { TCallbackTaskArgs } from "./tools/create-callback-task";
import type { TToolOutcome } from "./tools/tool-registry";
import { listingRequirementsOf, requirementsOf, type TDialogState } from "./dialog-state";

/** How the dialog reaches tools; the local agent turns each call into a `tool` event. */
export type TCallTool = (name: string, args: Record<string, unknown>) => Promise<TToolOutcome>;

export interface TDialogTurnInput {
  text: string;
  state: TDialogState;
  callTool: TCallTool;
  now: Date;
  timezone?: string;
  businessName?: string;
  /** "text" for WhatsApp (digits), "voice" otherwise (numbers in words). */
  style?: TStyle;
}

export interface TDialogTurnOutput {
  sentences: string[];
  action?: "transfer" | "hangup";
}

/** The tool result's `error` when the database did not answer (see tool-registry): never "no matches". */
export { UNAVAILABLE } from "./tools/failed-call";

export interface TTurn {
  readonly input: TDialogTurnInput;
  readonly st: TDialogState;
  readonly nlu: TNlu;
  readonly out: string[];
  readonly style: TStyle;
  readonly tz: string;
  /** Search criteria this utterance changed. */
  changed: string[];
  sayAt(d: Date): string;
  /** Ask the question for a slot (a re-ask says "sorry" first and varies the wording). */
  ask(slot: TSlot, reask?: boolean): void;
  saveLead(status?: "new" | "qualified" | "viewing", notes?: string): Promise<void>;
  /** A callback task for staff, at most once per kind in a conversation. */
  callback(args: TCallbackTaskArgs & { kind: NonNullable<TCallbackTaskArgs["kind"]> }): Promise<boolean>;
  /** A person now if one can pick up; otherwise take a message. */
  handOver(reason: string, sentence: string): Promise<TDialogTurnOutput>;
  /** End the current topic with "can I help with anything else?". */
  anythingElse(): TDialogTurnOutput;
  reply(): TDialogTurnOutput;
}

export function createTurn(input: TDialogTurnInput, nlu: TNlu): TTurn {
  const st = input.state;
  const tz = input.timezone ?? DEFAULT_TZ;
  const style = input.style ?? "voice";
  const out: string[] = [];
  const tn: TTurn = {
    input,
    st,
    nlu,
    out,
    style,
    tz,
    changed: [],
    sayAt: (d) => sayWhen(d, input.now, tz, style),
    ask(slot, reask = false) {
      if (st.asked !== slot && !reask) st.misses = 0;
      const attempt = st.asked === slot ? st.misses : 0;
      if (reask) out.push(SAY.notUnderstood);
      out.push(question(slot, attempt));
      st.asked = slot;
      st.asks[slot] = (st.asks[slot] ?? 0) + 1;
    },
    async saveLead(status, notes) {
      const requirements = st.listing
        ? { ...(st.slots.dealType ? requirementsOf(st.slots) : {}), ...listingRequirementsOf(st.listing) }
        : requirementsOf(st.slots);
      const res = await input.callTool("create_or_update_lead", {
        ...(st.slots.name ? { name: st.slots.name } : {}),
        requirements,
        ...(status ? { status } : {}),
        ...(notes ? { notes } : {}),
      });
      const id = (res.result as { customerId?: string } | undefined)?.customerId;
      if (res.ok && id) st.customerId = id;
    },
    async callback(args) {
      st.callbacks ??= [];
      if (st.callbacks.includes(args.kind)) return true;
      const res = await input.callTool("create_callback_task", { ...args });
      if (res.ok) st.callbacks.push(args.kind);
      return res.ok;
    },
    async handOver(reason, sentence) {
      if (st.slots.dealType || st.slots.city || st.slots.name || st.listing) await tn.saveLead("qualified");
      const res = await input.callTool("transfer_to_human", { reason });
      const r = res.result as { officeOpen?: boolean; hasAgentLine?: boolean; nextOpenAt?: string | null } | undefined;
      const opens = r?.nextOpenAt ? tn.sayAt(new Date(r.nextOpenAt)) : null;
      if (res.action === "transfer") {
        st.stage = "done";
        // Closed or no agent line: the session plays the after-hours notice and records a message.
        const words = r?.officeOpen === false ? SAY.closedRecordMessage(opens) : r?.hasAgentLine === false ? SAY.noAgentRecordMessage : sentence;
        return { sentences: [...out, words], action: "transfer" };
      }
      st.stage = "take_message";
      st.asked = "message";
      st.misses = 0;
      return { sentences: [...out, r?.officeOpen === false ? SAY.closedTakeMessage(opens) : SAY.noAgentTakeMessage, question("message")] };
    },
    anythingElse() {
      st.stage = "anything_else";
      st.asked = "anything_else";
      out.push(question("anything_else"));
      return { sentences: out };
    },
    reply: () => ({ sentences: out }),
  };
  return tn;
}

/** First name for a friendly sentence ("משה אזולאי" → "משה"). */
export const firstName = (name: string | undefined) => name?.split(" ")[0];
