/**
 * The search side of the local brain: collect what is missing one question at
 * a time, search, propose up to two listings. When nothing matches it says so
 * plainly and offers the nearest real alternatives, or saves the search with a
 * callback; when the database does not answer it says it will check and get
 * back (the tool registry queues the follow-up task), never "no matches".
 */
import { describeProperty, ORDINALS, SAY } from "./phrases";
import { nextMissing } from "./dialog-state";
import { UNAVAILABLE, type TDialogTurnOutput, type TTurn } from "./dialog-kit";
import type { TPropertyHit, TSearchPropertiesResult } from "./tools/search-properties";

const DEAL_WORD = { sale: "לקנות", rent: "לשכור" } as const;
const TYPE_WORD: Record<string, string> = { apartment: "דירה", office: "משרד", penthouse: "פנטהאוז", garden_apartment: "דירת גן", duplex: "דופלקס", studio: "סטודיו", store: "חנות" };

/** What the caller is looking for, in a line for staff ("לשכור משרד בתל אביב, כ-120 מ״ר, עד 25,000 ₪"). */
export function describeWanted(tn: TTurn): string {
  const s = tn.st.slots;
  return [
    [s.dealType ? DEAL_WORD[s.dealType] : "", s.propertyType ? TYPE_WORD[s.propertyType] : "", s.neighborhood ? `ב${s.neighborhood}` : "", s.city ? `ב${s.city}` : ""].filter(Boolean).join(" "),
    s.rooms !== undefined ? `${s.rooms} חדרים` : "",
    s.sizeSqm !== undefined ? `כ-${s.sizeSqm} מ״ר` : "",
    typeof s.budget === "number" ? `עד ${s.budget.toLocaleString("en-US")} ₪` : "",
    s.street ? `מודעה ברחוב ${s.street}` : "",
  ]
    .filter(Boolean)
    .join(", ");
}

type TSearchOutcome = { ok: true; found: TSearchPropertiesResult } | { ok: false; unavailable: boolean };

async function search(tn: TTurn, args: Record<string, unknown>): Promise<TSearchOutcome> {
  const res = await tn.input.callTool("search_properties", args);
  if (res.ok) return { ok: true, found: res.result as TSearchPropertiesResult };
  return { ok: false, unavailable: (res.result as { error?: string } | undefined)?.error === UNAVAILABLE };
}

/** The database did not answer: promise to check and get back (the follow-up task is queued by the registry). */
function willCheck(tn: TTurn): TDialogTurnOutput {
  tn.out.push(SAY.willCheck);
  return tn.anythingElse();
}

/** Propose listings: an optional lead sentence, then (when `announce`) "מצאתי …", then each listing, then "a viewing?". */
function propose(tn: TTurn, items: TPropertyHit[], lead?: string, announce = true): TDialogTurnOutput {
  const { st, out, style } = tn;
  st.proposals = items;
  st.chosen = undefined;
  if (lead) out.push(lead);
  if (items.length === 1) out.push(`${announce ? "מצאתי נכס אחד מתאים: " : ""}${describeProperty(items[0]!, style)}.`);
  else {
    if (announce) out.push(`מצאתי ${items.length === 2 ? "שני" : items.length} נכסים מתאימים.`);
    items.forEach((p, i) => out.push(`${ORDINALS[i] ?? ""}: ${describeProperty(p, style)}.`));
  }
  st.stage = "ask_viewing";
  tn.ask("viewing");
  return tn.reply();
}

/** "ראיתי מודעה ברחוב הרצל": find that advert first; if it is not ours or gone, say so plainly and go on. */
async function checkAdvert(tn: TTurn): Promise<TDialogTurnOutput | undefined> {
  const { st } = tn;
  const street = st.slots.street!;
  st.refChecked = street;
  const s = st.slots;
  const r = await search(tn, { street, ...(s.city ? { city: s.city } : {}), ...(s.dealType ? { dealType: s.dealType } : {}), limit: 2 });
  if (!r.ok) return r.unavailable ? willCheck(tn) : undefined;
  if (r.found.items.length) return propose(tn, r.found.items, r.found.items.length === 1 ? "כן, יש לנו אותו." : "יש לנו שם כמה נכסים.", false);
  tn.out.push(SAY.listingNotFound(street));
  st.slots.street = undefined;
  return undefined;
}

/** Nothing matches, even relaxed: the nearest real alternatives elsewhere, else a saved search with a callback. */
async function noMatch(tn: TTurn): Promise<TDialogTurnOutput> {
  const { st, out } = tn;
  const s = st.slots;
  out.push(SAY.nothingThere);
  const near = await search(tn, {
    dealType: s.dealType,
    propertyType: s.propertyType,
    ...(s.rooms !== undefined ? { roomsMin: s.rooms - 1, roomsMax: s.rooms + 1 } : {}),
    ...(typeof s.budget === "number" ? { budgetMax: Math.round(s.budget * 1.2) } : {}),
    limit: 2,
  });
  if (near.ok && near.found.items.length) {
    st.noExact = true;
    return propose(tn, near.found.items, SAY.nearest, false);
  }
  if (!near.ok && near.unavailable) return willCheck(tn);
  await saveSearch(tn);
  return tn.anythingElse();
}

/** A saved search: the lead keeps the requirements, staff get a task to call back when something fits. */
export async function saveSearch(tn: TTurn): Promise<void> {
  await tn.callback({ kind: "saved_search", title: "חיפוש שמור: לחזור כשיהיה נכס מתאים", description: describeWanted(tn), priority: "normal" });
  tn.out.push(SAY.savedSearch);
}

/** Ask what is missing; once everything is known, search and propose. */
export async function collect(tn: TTurn): Promise<TDialogTurnOutput | undefined> {
  const { st, nlu, out, changed } = tn;
  st.stage = "collect";
  if (st.slots.street && st.refChecked !== st.slots.street) {
    const found = await checkAdvert(tn);
    if (found) return found;
  }
  const missing = nextMissing(st.slots);
  if (missing) {
    const answered = changed.length > 0 || nlu.dontCare || nlu.name !== undefined;
    if (!answered && st.asked === missing) {
      st.misses++;
      if (st.misses >= 3) return tn.handOver("local brain could not understand", SAY.transferAfterMisses);
      if (st.misses >= 2 && (missing === "rooms" || missing === "budget" || missing === "size")) {
        // Optional details: stop asking rather than loop.
        if (missing === "rooms") st.slots.roomsSkipped = true;
        else if (missing === "size") st.slots.sizeSkipped = true;
        else st.slots.budget = null;
        return collect(tn);
      }
      tn.ask(missing, true);
      return undefined;
    }
    if (!answered && nlu.greeting && st.turns === 1) out.push(SAY.greeting);
    else if (!answered && st.turns > 1 && !nlu.greeting && !out.length) {
      st.misses++;
      out.push(SAY.notUnderstood);
    } else {
      st.misses = 0;
      if (changed.length && !out.length) out.push(SAY.ack[st.turns % SAY.ack.length]!);
    }
    tn.ask(missing);
    return undefined;
  }
  st.misses = 0;
  await tn.saveLead("qualified");
  const s = st.slots;
  const r = await search(tn, {
    dealType: s.dealType,
    propertyType: s.propertyType,
    city: s.city,
    ...(s.neighborhood ? { neighborhood: s.neighborhood } : {}),
    ...(s.rooms !== undefined ? { roomsMin: s.rooms, roomsMax: s.rooms + 0.5 } : {}),
    ...(s.sizeSqm !== undefined ? { sizeMin: Math.floor(s.sizeSqm * 0.8), sizeMax: Math.ceil(s.sizeSqm * 1.25) } : {}),
    ...(typeof s.budget === "number" ? { budgetMax: s.budget } : {}),
    limit: 2,
  });
  if (!r.ok && r.unavailable) return willCheck(tn);
  const found = r.ok ? r.found : { total: 0, items: [], relaxed: [] };
  if (!found.items.length) return noMatch(tn);
  st.noExact = false;
  return propose(tn, found.items, found.relaxed.length ? SAY.relaxed : undefined);
}
