/**
 * Dialog manager of the local brain: one caller utterance in, a few short
 * Hebrew sentences (plus tool calls and an optional action) out. It routes the
 * turn: complaints (dialog-care), owners selling or renting out
 * (dialog-owner), searching and proposing (dialog-search), booking
 * (dialog-booking). All state lives in a plain JSON object (ctx.state.dialog)
 * so a conversation survives across turns and processes.
 */
import { mergeTimeParts } from "./hebrew-time";
import { parseUtterance, type TSlot } from "./nlu";
import { question, SAY } from "./phrases";
import { hasNewCriteria, mergeSlots } from "./dialog-state";
import { createTurn, firstName, type TDialogTurnInput, type TDialogTurnOutput, type TTurn } from "./dialog-kit";
import { answerDetails, bookingTurn } from "./dialog-booking";
import { complaintTurn, requestCallback, startComplaint, takeMessage } from "./dialog-care";
import { listingTurn, startListing } from "./dialog-owner";
import { collect, describeWanted } from "./dialog-search";

export { initialDialogState, requirementsOf, type TDialogSlots, type TDialogState, type TStage } from "./dialog-state";
export type { TCallTool, TDialogTurnInput, TDialogTurnOutput } from "./dialog-kit";

/** Questions that legitimately come back in a long conversation; every other one is asked at most three times. */
const REPEATABLE: TSlot[] = ["anything_else", "message"];

/** One turn of the conversation. Mutates `input.state`. */
export async function dialogTurn(input: TDialogTurnInput): Promise<TDialogTurnOutput> {
  const st = input.state;
  st.asks ??= {};
  st.turns++;
  const nlu = parseUtterance(input.text, { expecting: st.asked, dealType: st.listing?.deal ?? st.slots.dealType });
  const tn = createTurn(input, nlu);
  const result = (await route(tn)) ?? tn.reply();
  return capRepeats(tn, result);
}

async function route(tn: TTurn): Promise<TDialogTurnOutput | undefined> {
  const { st, nlu, out } = tn;
  if (nlu.complaint && st.stage !== "take_message" && st.stage !== "complaint") return startComplaint(tn);
  if (st.stage === "complaint") return complaintTurn(tn);
  if (nlu.human && st.stage !== "take_message") return tn.handOver("caller asked for a person", SAY.transfer);
  if (st.stage === "take_message" && !nlu.goodbye && nlu.text.trim()) return takeMessage(tn);

  const wantsOut = nlu.goodbye || (st.stage === "anything_else" && (nlu.yesNo === "no" || (nlu.thanks && !nlu.yesNo)) && !hasNewCriteria(nlu) && !nlu.owner);
  if (wantsOut) {
    if ((st.slots.dealType || st.slots.city || st.slots.name) && !st.booked && !st.listing) await tn.saveLead(st.slots.dealType && st.slots.city ? "qualified" : "new");
    await tn.input.callTool("end_call", { reason: "caller finished" });
    st.stage = "done";
    return { sentences: [SAY.goodbye(tn.input.businessName)], action: "hangup" };
  }

  // A name is kept whenever it is said, even while another question is pending.
  const hadName = st.slots.name;
  if (nlu.name && !(hadName && hadName.startsWith(`${nlu.name} `))) st.slots.name = nlu.name;
  const newName = st.slots.name !== hadName && st.asked !== "name" && st.stage !== "ask_name";
  if (newName) out.push(SAY.niceToMeet(firstName(st.slots.name)!));

  if (nlu.owner && st.stage !== "listing") startListing(tn, nlu.owner);
  if (st.stage === "listing") return listingTurn(tn);
  if (nlu.callback && !hasNewCriteria(nlu)) return requestCallback(tn);

  tn.changed = mergeSlots(st, nlu);
  if (tn.changed.length && st.stage !== "collect") {
    // A correction after proposals ("לא, בעצם 5 חדרים") starts a fresh search with the new criteria.
    st.stage = "collect";
    st.proposals = [];
    st.chosen = undefined;
  }
  if (nlu.time) st.time = mergeTimeParts(st.time, nlu.time);

  const details = answerDetails(tn);
  if (details) return details;

  switch (st.stage) {
    case "collect":
    case "take_message":
    case "done":
      return collect(tn);
    case "anything_else":
      if (hasNewCriteria(nlu)) return collect(tn);
      if (nlu.yesNo === "yes") {
        out.push(SAY.whatElse);
        st.stage = "collect";
        st.asked = undefined;
        return undefined;
      }
      st.misses++;
      tn.ask("anything_else", true);
      return undefined;
    default:
      return bookingTurn(tn);
  }
}

/** Never the same question a fourth time: leave a callback task for staff and move on instead. */
async function capRepeats(tn: TTurn, result: TDialogTurnOutput): Promise<TDialogTurnOutput> {
  const { st } = tn;
  const slot = st.asked;
  if (!slot || REPEATABLE.includes(slot) || (st.asks[slot] ?? 0) <= 3 || result.action) return result;
  st.asks[slot] = 3;
  await tn.saveLead(undefined);
  await tn.callback({ kind: "follow_up", title: "לחזור ללקוח: השיחה לא הושלמה", description: [`נתקענו על השאלה: ${question(slot)}`, describeWanted(tn)].filter(Boolean).join("\n"), priority: "normal" });
  st.stage = "anything_else";
  st.asked = "anything_else";
  return { sentences: [SAY.skipQuestion, question("anything_else")] };
}
