/**
 * The booking side of the local brain: after proposals, pick a listing, take
 * the name (asked once) and a time, and book; a taken or closed slot offers
 * the next free one. A failed booking write promises a callback instead of
 * pretending the slot is taken.
 */
import { resolveTime } from "./hebrew-time";
import { describeDetails, describeProperty, question, SAY } from "./phrases";
import { firstName, UNAVAILABLE, type TDialogTurnOutput, type TTurn } from "./dialog-kit";
import { saveSearch } from "./dialog-search";
import type { TBookViewingResult } from "./tools/book-viewing";

const pick = (tn: TTurn, choice: number) => (choice < 0 ? tn.st.proposals.length - 1 : Math.min(choice, tn.st.proposals.length - 1));

async function book(tn: TTurn, when: Date): Promise<TDialogTurnOutput | undefined> {
  const { st, out, style } = tn;
  const property = st.proposals[st.chosen ?? 0]!;
  const res = await tn.input.callTool("book_viewing", {
    propertyId: property.id,
    startsAt: when.toISOString(),
    ...(st.slots.name ? { customerName: st.slots.name } : {}),
  });
  const r = res.result as TBookViewingResult | { error: string };
  if (!res.ok || "error" in r) {
    st.time = undefined;
    if ((r as { error?: string }).error === UNAVAILABLE) {
      out.push(SAY.willCheckBooking);
      return tn.anythingElse();
    }
    out.push(SAY.bookingFailed);
    st.stage = "ask_time";
    tn.ask("time", false);
    return undefined;
  }
  if (!r.booked) {
    out.push(r.reason === "closed" ? SAY.closed : SAY.slotTaken);
    if (!r.alternativeStartsAt) {
      out.push(SAY.noSlots);
      return tn.anythingElse();
    }
    st.altStartsAt = r.alternativeStartsAt;
    st.stage = "confirm_alt";
    st.asked = "viewing";
    out.push(`אפשר ${tn.sayAt(new Date(r.alternativeStartsAt))}?`);
    return undefined;
  }
  st.booked = { appointmentId: r.appointmentId, startsAt: r.startsAt };
  st.customerId = r.customerId;
  await tn.saveLead("viewing");
  const name = st.slots.name ? `${firstName(st.slots.name)}, ` : "";
  out.push(`${name}קבעתי לך צפייה ${tn.sayAt(new Date(r.startsAt))}, ${describeProperty(property, style).split(",")[0]}.`);
  out.push("נציג שלנו יאשר איתך את הפרטים.");
  st.time = undefined;
  return tn.anythingElse();
}

// Name first (asked once), then the time; a complete pair books at once.
async function pickTime(tn: TTurn): Promise<TDialogTurnOutput | undefined> {
  const { st, out } = tn;
  if (!st.slots.name && !st.nameSkipped) {
    st.stage = "ask_name";
    tn.ask("name");
    return undefined;
  }
  const when = st.time ? resolveTime(st.time, tn.input.now, tn.tz) : undefined;
  if (!when) {
    st.stage = "ask_time";
    if (st.time && st.time.hour === undefined && (st.time.dayOffset !== undefined || st.time.weekday !== undefined || st.time.date)) {
      out.push("באיזו שעה?");
      st.asked = "time";
    } else tn.ask("time");
    return undefined;
  }
  if (when.getTime() <= tn.input.now.getTime()) {
    st.time = undefined;
    out.push(SAY.timeInPast);
    st.stage = "ask_time";
    tn.ask("time");
    return undefined;
  }
  return book(tn, when);
}

/** A question about a proposed listing: answer it from the listing's fields, then repeat the pending question. */
export function answerDetails(tn: TTurn): TDialogTurnOutput | undefined {
  const { st, nlu, out, style } = tn;
  const pending = { ask_viewing: "viewing", choose: "choice", ask_time: "time", ask_name: "name", confirm_alt: "viewing", anything_else: "anything_else" } as const;
  const slot = pending[st.stage as keyof typeof pending];
  if (!nlu.askDetails || !st.proposals.length || !slot || nlu.time || nlu.name) return undefined;
  const idx = nlu.choice !== undefined ? pick(tn, nlu.choice) : (st.chosen ?? 0);
  if (nlu.choice !== undefined && st.stage === "choose") st.chosen = idx;
  out.push(describeDetails(st.proposals[idx]!, nlu.askDetails, style));
  out.push(question(slot));
  st.asked = slot;
  return tn.reply();
}

/** The stages after proposals: ask_viewing, choose, ask_time, ask_name, confirm_alt. */
export async function bookingTurn(tn: TTurn): Promise<TDialogTurnOutput | undefined> {
  const { st, nlu, out } = tn;
  switch (st.stage) {
    case "ask_viewing": {
      if (nlu.choice !== undefined) st.chosen = pick(tn, nlu.choice);
      const hood = nlu.neighborhood ? st.proposals.findIndex((p) => p.neighborhood === nlu.neighborhood) : -1;
      if (hood >= 0) st.chosen = hood;
      if (nlu.yesNo === "no" && st.chosen === undefined && !nlu.time) {
        out.push(SAY.noViewing);
        // Only alternatives were on offer: keep looking for what was asked.
        if (st.noExact) await saveSearch(tn);
        return tn.anythingElse();
      }
      if (nlu.yesNo === "yes" || st.chosen !== undefined || nlu.time) {
        st.misses = 0;
        if (st.chosen === undefined && st.proposals.length > 1) {
          st.stage = "choose";
          tn.ask("choice");
          return undefined;
        }
        st.chosen ??= 0;
        return pickTime(tn);
      }
      st.misses++;
      tn.ask("viewing", true);
      return undefined;
    }
    case "choose": {
      if (nlu.choice !== undefined) st.chosen = pick(tn, nlu.choice);
      const hood = nlu.neighborhood ? st.proposals.findIndex((p) => p.neighborhood === nlu.neighborhood) : -1;
      if (hood >= 0) st.chosen = hood;
      if (st.chosen === undefined && nlu.yesNo === "yes") st.chosen = 0;
      if (st.chosen === undefined) {
        st.misses++;
        tn.ask("choice", true);
        return undefined;
      }
      return pickTime(tn);
    }
    case "ask_time":
      if (!nlu.time && !st.time) {
        st.misses++;
        tn.ask("time", true);
        return undefined;
      }
      return pickTime(tn);
    case "ask_name":
      if (!st.slots.name && st.misses < 1) {
        st.misses++;
        tn.ask("name", true);
        return undefined;
      }
      if (!st.slots.name) st.nameSkipped = true;
      st.misses = 0;
      return pickTime(tn);
    case "confirm_alt":
      if (nlu.time) return pickTime(tn);
      if (nlu.yesNo === "yes" && st.altStartsAt) return book(tn, new Date(st.altStartsAt));
      if (nlu.yesNo === "no" || !st.altStartsAt) {
        st.time = undefined;
        st.stage = "ask_time";
        tn.ask("time");
        return undefined;
      }
      st.misses++;
      out.push(SAY.notUnderstood, `אפשר ${tn.sayAt(new Date(st.altStartsAt))}?`);
      return undefined;
    default:
      return undefined;
  }
}
