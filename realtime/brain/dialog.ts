/**
 * Dialog manager of the local brain: one caller utterance in, a few short
 * Hebrew sentences (plus tool calls and an optional action) out. It collects
 * what is missing one item at a time, searches, proposes up to two listings,
 * books a viewing and says goodbye. All state lives in a plain JSON object
 * (ctx.state.dialog) so a conversation survives across turns and processes.
 */
import { mergeTimeParts, resolveTime, DEFAULT_TZ } from "./hebrew-time";
import { parseUtterance, type TSlot } from "./nlu";
import { describeDetails, describeProperty, ORDINALS, question, SAY, sayWhen, type TStyle } from "./phrases";
import type { TSearchPropertiesResult } from "./tools/search-properties";
import type { TBookViewingResult } from "./tools/book-viewing";
import type { TToolOutcome } from "./tools/tool-registry";
import { hasNewCriteria, mergeSlots, nextMissing, requirementsOf, type TDialogState, type TStage } from "./dialog-state";

export { initialDialogState, requirementsOf, type TDialogSlots, type TDialogState, type TStage } from "./dialog-state";

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

/** One turn of the conversation. Mutates `input.state`. */
export async function dialogTurn(input: TDialogTurnInput): Promise<TDialogTurnOutput> {
  const st = input.state;
  const tz = input.timezone ?? DEFAULT_TZ;
  const style = input.style ?? "voice";
  const sayAt = (d: Date) => sayWhen(d, input.now, tz, style);
  st.turns++;
  const nlu = parseUtterance(input.text, { expecting: st.asked, dealType: st.slots.dealType });
  const out: string[] = [];
  const saveLead = async (status: "new" | "qualified" | "viewing") => {
    const res = await input.callTool("create_or_update_lead", {
      ...(st.slots.name ? { name: st.slots.name } : {}),
      requirements: requirementsOf(st.slots),
      status,
    });
    const id = (res.result as { customerId?: string } | undefined)?.customerId;
    if (res.ok && id) st.customerId = id;
  };
  const hasInfo = () => Boolean(st.slots.dealType || st.slots.city || st.slots.name);

  // A person if one can pick up now; otherwise take a message for them.
  const handOver = async (reason: string, sentence: string): Promise<TDialogTurnOutput> => {
    if (hasInfo()) await saveLead("qualified");
    const res = await input.callTool("transfer_to_human", { reason });
    const r = res.result as { officeOpen?: boolean; hasAgentLine?: boolean; nextOpenAt?: string | null } | undefined;
    const opens = r?.nextOpenAt ? sayAt(new Date(r.nextOpenAt)) : null;
    if (res.action === "transfer") {
      st.stage = "done";
      // Closed or no agent line: the session plays the after-hours notice and records a message.
      const words = r?.officeOpen === false ? SAY.closedRecordMessage(opens) : r?.hasAgentLine === false ? SAY.noAgentRecordMessage : sentence;
      return { sentences: [words], action: "transfer" };
    }
    st.stage = "take_message";
    st.asked = "message";
    st.misses = 0;
    return { sentences: [r?.officeOpen === false ? SAY.closedTakeMessage(opens) : SAY.noAgentTakeMessage, question("message")] };
  };

  if (nlu.human && st.stage !== "take_message") return handOver("caller asked for a person", SAY.transfer);
  if (st.stage === "take_message" && !nlu.goodbye && nlu.text.trim()) {
    mergeSlots(st, nlu);
    const res = await input.callTool("create_or_update_lead", {
      ...(st.slots.name ? { name: st.slots.name } : {}),
      requirements: requirementsOf(st.slots),
      notes: `הודעה מהשיחה: ${nlu.text}`,
    });
    const id = (res.result as { customerId?: string } | undefined)?.customerId;
    if (res.ok && id) st.customerId = id;
    st.stage = "anything_else";
    st.asked = "anything_else";
    return { sentences: [SAY.messageTaken, question("anything_else")] };
  }
  const wantsOut = nlu.goodbye || (st.stage === "anything_else" && (nlu.yesNo === "no" || (nlu.thanks && !nlu.yesNo)) && !hasNewCriteria(nlu));
  if (wantsOut) {
    if (hasInfo() && !st.booked) await saveLead(st.slots.dealType && st.slots.city ? "qualified" : "new");
    await input.callTool("end_call", { reason: "caller finished" });
    st.stage = "done";
    return { sentences: [SAY.goodbye(input.businessName)], action: "hangup" };
  }

  const changed = mergeSlots(st, nlu);
  if (changed.length && st.stage !== "collect") {
    // A correction after proposals ("לא, בעצם 5 חדרים") starts a fresh search with the new criteria.
    st.stage = "collect";
    st.proposals = [];
    st.chosen = undefined;
  }
  if (nlu.time) st.time = mergeTimeParts(st.time, nlu.time);

  const ask = (slot: TSlot, reask = false) => {
    if (st.asked !== slot && !reask) st.misses = 0;
    const attempt = st.asked === slot ? st.misses : 0;
    if (reask) out.push(SAY.notUnderstood);
    out.push(question(slot, attempt));
    st.asked = slot;
  };

  // ------------------------------------------------------------ stages
  const collect = async (): Promise<TDialogTurnOutput | undefined> => {
    st.stage = "collect";
    const missing = nextMissing(st.slots);
    if (missing) {
      const answered = changed.length > 0 || nlu.dontCare || nlu.name !== undefined;
      if (!answered && st.asked === missing) {
        st.misses++;
        if (st.misses >= 3) return handOver("local brain could not understand", SAY.transferAfterMisses);
        if (st.misses >= 2 && (missing === "rooms" || missing === "budget")) {
          // Optional details: stop asking rather than loop.
          if (missing === "rooms") st.slots.roomsSkipped = true;
          else st.slots.budget = null;
          return collect();
        }
        ask(missing, true);
        return undefined;
      }
      if (!answered && nlu.greeting && st.turns === 1) out.push(SAY.greeting);
      else if (!answered && st.turns > 1 && !nlu.greeting) {
        st.misses++;
        out.push(SAY.notUnderstood);
      } else {
        st.misses = 0;
        if (changed.length) out.push(SAY.ack[st.turns % SAY.ack.length]!);
      }
      ask(missing);
      return undefined;
    }
    st.misses = 0;
    await saveLead("qualified");
    const s = st.slots;
    const res = await input.callTool("search_properties", {
      dealType: s.dealType,
      propertyType: s.propertyType,
      city: s.city,
      ...(s.neighborhood ? { neighborhood: s.neighborhood } : {}),
      ...(s.rooms !== undefined ? { roomsMin: s.rooms, roomsMax: s.rooms + 0.5 } : {}),
      ...(typeof s.budget === "number" ? { budgetMax: s.budget } : {}),
      limit: 2,
    });
    const found = (res.ok ? res.result : { total: 0, items: [], relaxed: [] }) as TSearchPropertiesResult;
    if (!found.items.length) {
      out.push(SAY.noMatches, question("anything_else"));
      st.stage = "anything_else";
      st.asked = "anything_else";
      return undefined;
    }
    st.proposals = found.items;
    if (found.relaxed.length) out.push(SAY.relaxed);
    if (found.items.length === 1) out.push(`מצאתי נכס אחד מתאים: ${describeProperty(found.items[0]!, style)}.`);
    else {
      out.push(`מצאתי ${found.items.length === 2 ? "שני" : found.items.length} נכסים מתאימים.`);
      found.items.forEach((p, i) => out.push(`${ORDINALS[i] ?? ""}: ${describeProperty(p, style)}.`));
    }
    st.stage = "ask_viewing";
    ask("viewing");
    return undefined;
  };

  // Name first (asked once), then the time; a complete pair books at once.
  const pickTime = async (): Promise<TDialogTurnOutput | undefined> => {
    if (!st.slots.name && !st.nameSkipped) {
      st.stage = "ask_name";
      ask("name");
      return undefined;
    }
    const when = st.time ? resolveTime(st.time, input.now, tz) : undefined;
    if (!when) {
      st.stage = "ask_time";
      if (st.time && st.time.hour === undefined && (st.time.dayOffset !== undefined || st.time.weekday !== undefined || st.time.date)) {
        out.push("באיזו שעה?");
        st.asked = "time";
      } else ask("time");
      return undefined;
    }
    if (when.getTime() <= input.now.getTime()) {
      st.time = undefined;
      out.push(SAY.timeInPast);
      st.stage = "ask_time";
      ask("time");
      return undefined;
    }
    return book(when);
  };

  const book = async (when: Date): Promise<TDialogTurnOutput | undefined> => {
    const property = st.proposals[st.chosen ?? 0]!;
    const res = await input.callTool("book_viewing", {
      propertyId: property.id,
      startsAt: when.toISOString(),
      ...(st.slots.name ? { customerName: st.slots.name } : {}),
    });
    const r = res.result as TBookViewingResult | { error: string };
    if (!res.ok || "error" in r) {
      st.time = undefined;
      out.push(SAY.bookingFailed);
      st.stage = "ask_time";
      ask("time", false);
      return undefined;
    }
    if (!r.booked) {
      out.push(r.reason === "closed" ? SAY.closed : SAY.slotTaken);
      if (!r.alternativeStartsAt) {
        out.push(SAY.noSlots, question("anything_else"));
        st.stage = "anything_else";
        st.asked = "anything_else";
        return undefined;
      }
      st.altStartsAt = r.alternativeStartsAt;
      st.stage = "confirm_alt";
      st.asked = "viewing";
      out.push(`אפשר ${sayAt(new Date(r.alternativeStartsAt))}?`);
      return undefined;
    }
    st.booked = { appointmentId: r.appointmentId, startsAt: r.startsAt };
    st.customerId = r.customerId;
    await saveLead("viewing");
    const name = st.slots.name ? `${st.slots.name.split(" ")[0]}, ` : "";
    out.push(`${name}קבעתי לך צפייה ${sayAt(new Date(r.startsAt))}, ${describeProperty(property, style).split(",")[0]}.`);
    out.push("נציג שלנו יאשר איתך את הפרטים.", question("anything_else"));
    st.stage = "anything_else";
    st.asked = "anything_else";
    st.time = undefined;
    return undefined;
  };

  // A question about a proposed listing: answer it, then repeat the pending question.
  const pending: Partial<Record<TStage, TSlot>> = { ask_viewing: "viewing", choose: "choice", ask_time: "time", ask_name: "name", confirm_alt: "viewing" };
  if (nlu.askDetails && st.proposals.length && pending[st.stage] && !nlu.time && !nlu.name) {
    const idx = nlu.choice !== undefined ? (nlu.choice < 0 ? st.proposals.length - 1 : Math.min(nlu.choice, st.proposals.length - 1)) : (st.chosen ?? 0);
    if (nlu.choice !== undefined && st.stage === "choose") st.chosen = idx;
    out.push(describeDetails(st.proposals[idx]!, nlu.askDetails, style));
    const slot = pending[st.stage]!;
    out.push(question(slot));
    st.asked = slot;
    return { sentences: out };
  }

  let result: TDialogTurnOutput | undefined;
  switch (st.stage) {
    case "collect":
    case "take_message":
    case "done":
      result = await collect();
      break;
    case "ask_viewing": {
      if (nlu.choice !== undefined) st.chosen = nlu.choice < 0 ? st.proposals.length - 1 : Math.min(nlu.choice, st.proposals.length - 1);
      const hood = nlu.neighborhood && st.proposals.findIndex((p) => p.neighborhood === nlu.neighborhood);
      if (typeof hood === "number" && hood >= 0) st.chosen = hood;
      if (nlu.yesNo === "no" && st.chosen === undefined && !nlu.time) {
        out.push(SAY.noViewing, question("anything_else"));
        st.stage = "anything_else";
        st.asked = "anything_else";
      } else if (nlu.yesNo === "yes" || st.chosen !== undefined || nlu.time) {
        st.misses = 0;
        if (st.chosen === undefined && st.proposals.length > 1) {
          st.stage = "choose";
          ask("choice");
        } else {
          st.chosen ??= 0;
          result = await pickTime();
        }
      } else {
        st.misses++;
        ask("viewing", true);
      }
      break;
    }
    case "choose": {
      if (nlu.choice !== undefined) st.chosen = nlu.choice < 0 ? st.proposals.length - 1 : Math.min(nlu.choice, st.proposals.length - 1);
      const hood = nlu.neighborhood ? st.proposals.findIndex((p) => p.neighborhood === nlu.neighborhood) : -1;
      if (hood >= 0) st.chosen = hood;
      if (st.chosen === undefined && nlu.yesNo === "yes") st.chosen = 0;
      if (st.chosen === undefined) {
        st.misses++;
        ask("choice", true);
      } else result = await pickTime();
      break;
    }
    case "ask_time":
      if (!nlu.time && !st.time) {
        st.misses++;
        ask("time", true);
      } else result = await pickTime();
      break;
    case "ask_name":
      if (!st.slots.name && st.misses < 1) {
        st.misses++;
        ask("name", true);
      } else {
        if (!st.slots.name) st.nameSkipped = true;
        st.misses = 0;
        result = await pickTime();
      }
      break;
    case "confirm_alt":
      if (nlu.time) {
        result = await pickTime();
      } else if (nlu.yesNo === "yes" && st.altStartsAt) {
        result = await book(new Date(st.altStartsAt));
      } else if (nlu.yesNo === "no" || !st.altStartsAt) {
        st.time = undefined;
        st.stage = "ask_time";
        ask("time");
      } else {
        st.misses++;
        out.push(SAY.notUnderstood, `אפשר ${sayAt(new Date(st.altStartsAt))}?`);
      }
      break;
    case "anything_else":
      if (hasNewCriteria(nlu)) result = await collect();
      else if (nlu.yesNo === "yes") {
        out.push(SAY.whatElse);
        st.stage = "collect";
        st.asked = undefined;
      } else {
        st.misses++;
        ask("anything_else", true);
      }
      break;
  }
  return result ?? { sentences: out };
}
