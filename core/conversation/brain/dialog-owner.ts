/**
 * An owner who wants to sell or rent out a property: the local brain takes
 * the property's details (type, where, rooms or size, asking price — each
 * asked at most twice, all optional) and the owner's name, saves them on the
 * lead as requirements.listing and leaves staff a callback task. An owner is
 * never asked for a budget.
 */
import type { TSlot } from "./nlu";
import { question, SAY } from "./phrases";
import { firstName, type TDialogTurnOutput, type TTurn } from "./dialog-kit";
import type { TListingDraft } from "./dialog-state";

const DEAL = { sale: "למכירה", rent: "להשכרה" } as const;
const TYPE: Record<string, string> = { apartment: "דירה", office: "משרד", penthouse: "פנטהאוז", garden_apartment: "דירת גן", duplex: "דופלקס", studio: "סטודיו", store: "חנות" };
const LISTING_SLOTS: TSlot[] = ["listingType", "listingCity", "listingRooms", "listingSize", "listingPrice"];

function nextListingMissing(l: TListingDraft): TSlot | undefined {
  const open = (slot: TSlot) => !l.skipped.includes(slot);
  if (!l.propertyType && open("listingType")) return "listingType";
  if (!l.city && open("listingCity")) return "listingCity";
  const roomy = l.propertyType !== "office" && l.propertyType !== "store";
  if (roomy && l.propertyType !== "studio" && l.rooms === undefined && open("listingRooms")) return "listingRooms";
  if (!roomy && l.sizeSqm === undefined && open("listingSize")) return "listingSize";
  if (l.price === undefined && open("listingPrice")) return "listingPrice";
  return undefined;
}

/** One line for staff: "דירה 4 חדרים להשכרה בגבעתיים, רחוב כצנלסון, מחיר מבוקש 7,000 ₪". */
export function describeListing(l: TListingDraft): string {
  return [
    `${l.propertyType ? TYPE[l.propertyType] : "נכס"}${l.rooms !== undefined ? ` ${l.rooms} חדרים` : ""} ${DEAL[l.deal]}${l.neighborhood ? ` ב${l.neighborhood}` : ""}${l.city ? ` ב${l.city}` : ""}`,
    l.street ? `רחוב ${l.street}` : "",
    l.sizeSqm !== undefined ? `${l.sizeSqm} מ״ר` : "",
    typeof l.price === "number" ? `מחיר מבוקש ${l.price.toLocaleString("en-US")} ₪${l.deal === "rent" ? " לחודש" : ""}` : "",
  ]
    .filter(Boolean)
    .join(", ");
}

/** Take what this utterance says about the owner's property; true when it added something. */
function mergeListing(tn: TTurn, l: TListingDraft): boolean {
  const { nlu } = tn;
  let added = false;
  const set = <K extends keyof TListingDraft>(k: K, v: TListingDraft[K] | undefined) => {
    if (v === undefined || l[k] === v) return;
    l[k] = v;
    added = true;
  };
  set("deal", nlu.owner);
  set("propertyType", nlu.propertyType);
  set("city", nlu.city);
  set("neighborhood", nlu.neighborhood);
  set("street", nlu.street);
  set("rooms", nlu.rooms);
  set("sizeSqm", nlu.sizeSqm);
  if (nlu.budget !== undefined) set("price", nlu.budget);
  if (nlu.rooms !== undefined && !l.propertyType) l.propertyType = "apartment";
  return added;
}

/** The caller said they own a property to sell or rent out. */
export function startListing(tn: TTurn, deal: "sale" | "rent"): void {
  tn.st.listing = { deal, skipped: [] };
  tn.st.stage = "listing";
  tn.st.asked = undefined;
  tn.st.proposals = [];
  tn.out.push(SAY.ownerIntro(deal));
}

export async function listingTurn(tn: TTurn): Promise<TDialogTurnOutput> {
  const { st, nlu, out } = tn;
  const l = st.listing!;
  const added = mergeListing(tn, l);
  const asked = st.asked;
  if (asked && LISTING_SLOTS.includes(asked) && !added) {
    if (asked === "listingPrice" && (nlu.yesNo === "no" || nlu.dontCare)) l.price = null;
    else if (nlu.dontCare || nlu.yesNo === "no" || ++st.misses >= 2) l.skipped.push(asked);
    else {
      tn.ask(asked, true);
      return tn.reply();
    }
  }
  if (asked === "name" && !st.slots.name) st.nameSkipped = true;
  const missing = nextListingMissing(l);
  if (missing) {
    if (added && st.turns > 1 && out.length === 0) out.push(SAY.ack[st.turns % SAY.ack.length]!);
    st.misses = 0;
    tn.ask(missing);
    return tn.reply();
  }
  if (!st.slots.name && !st.nameSkipped) {
    out.push(question("name", 1));
    st.asked = "name";
    st.asks.name = (st.asks.name ?? 0) + 1;
    return tn.reply();
  }
  const line = describeListing(l);
  await tn.saveLead("new", `בעל נכס: ${line}`);
  await tn.callback({ kind: "listing", title: `בעל נכס ${DEAL[l.deal]}: לחזור לתאם ביקור והערכת מחיר`, description: line, priority: "normal" });
  out.push(SAY.listingSaved(firstName(st.slots.name)));
  return tn.anythingElse();
}
