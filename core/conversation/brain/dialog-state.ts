/**
 * The local brain's conversation state (plain JSON in ctx.state.dialog) and
 * the pure helpers that update it from one NLU result.
 */
import type { TTimeParts } from "./hebrew-time";
import type { TDealType, TNlu, TPropertyType, TSlot } from "./nlu";
import type { TPropertyHit } from "./tools/search-properties";

export type TStage =
  | "collect" | "ask_viewing" | "choose" | "ask_time" | "ask_name" | "confirm_alt" | "anything_else" | "take_message" | "done"
  /** An owner describing a property to sell or rent out. */
  | "listing"
  /** After a complaint: a person now, or a callback. */
  | "complaint";

/** An owner's property as described on the call (sell or rent out). */
export interface TListingDraft {
  deal: TDealType;
  propertyType?: TPropertyType;
  city?: string;
  neighborhood?: string;
  street?: string;
  rooms?: number;
  sizeSqm?: number;
  /** Asking price in whole shekels (rent: monthly); null = the owner did not say. */
  price?: number | null;
  /** Details the owner would not give: not asked again. */
  skipped: string[];
}

export interface TDialogSlots {
  dealType?: TDealType;
  propertyType?: TPropertyType;
  city?: string;
  neighborhood?: string;
  rooms?: number;
  /** Square metres asked for (offices, stores). */
  sizeSqm?: number;
  sizeSkipped?: boolean;
  /** null = the caller does not mind. */
  budget?: number | null;
  roomsSkipped?: boolean;
  /** A street the caller named (an advert they saw). */
  street?: string;
  name?: string;
}

export interface TDialogState {
  stage: TStage;
  slots: TDialogSlots;
  asked?: TSlot;
  /** Consecutive turns that did not answer the current question. */
  misses: number;
  proposals: TPropertyHit[];
  chosen?: number;
  time?: TTimeParts;
  altStartsAt?: string;
  booked?: { appointmentId: string; startsAt: string };
  customerId?: string;
  /** The caller would not give a name: book without one rather than ask forever. */
  nameSkipped?: boolean;
  /** Set when the caller is an owner offering a property. */
  listing?: TListingDraft;
  /** How many times each question was asked in this conversation (a question is never asked a fourth time). */
  asks: Partial<Record<TSlot, number>>;
  /** Kinds of callback task already created in this conversation (each at most once). */
  callbacks?: string[];
  /** What the caller complained about, when they did. */
  complaint?: string;
  /** The street of an advert the caller asked about, once looked up. */
  refChecked?: string;
  /** The proposals are the nearest alternatives, not what was asked: a "no" saves the search. */
  noExact?: boolean;
  turns: number;
}

export function initialDialogState(): TDialogState {
  return { stage: "collect", slots: {}, misses: 0, proposals: [], asks: {}, turns: 0 };
}


const SEARCH_SLOTS = ["dealType", "propertyType", "city", "neighborhood", "street", "rooms", "sizeSqm", "budget"] as const;

/** Apply what the caller said; returns the search criteria that changed. */
export function mergeSlots(st: TDialogState, nlu: TNlu): string[] {
  const s = st.slots;
  const changed: string[] = [];
  const set = <K extends keyof TDialogSlots>(k: K, v: TDialogSlots[K] | undefined) => {
    if (v === undefined || s[k] === v) return;
    s[k] = v;
    if ((SEARCH_SLOTS as readonly string[]).includes(k)) changed.push(k);
  };
  set("dealType", nlu.dealType);
  set("propertyType", nlu.propertyType);
  if (nlu.city && nlu.city !== s.city) {
    set("city", nlu.city);
    if (!nlu.neighborhood) s.neighborhood = undefined;
  }
  set("neighborhood", nlu.neighborhood);
  set("street", nlu.street);
  set("rooms", nlu.rooms);
  set("sizeSqm", nlu.sizeSqm);
  set("budget", nlu.budget);
  if (nlu.rooms !== undefined && !s.propertyType) set("propertyType", "apartment");
  if (nlu.dontCare && st.asked === "budget" && s.budget === undefined) set("budget", null);
  if (nlu.dontCare && st.asked === "rooms" && s.rooms === undefined) s.roomsSkipped = true;
  if (nlu.dontCare && st.asked === "size" && s.sizeSqm === undefined) s.sizeSkipped = true;
  // "אני משה" later in the call does not shorten "משה אזולאי".
  if (nlu.name && !(s.name && s.name.startsWith(`${nlu.name} `))) s.name = nlu.name;
  return changed;
}

export function nextMissing(s: TDialogSlots): TSlot | undefined {
  if (!s.dealType) return "dealType";
  if (!s.propertyType) return "propertyType";
  if (!s.city) return "city";
  const roomy = s.propertyType !== "office" && s.propertyType !== "store" && s.propertyType !== "studio";
  if (roomy && s.rooms === undefined && !s.roomsSkipped) return "rooms";
  if (!roomy && s.propertyType !== "studio" && s.sizeSqm === undefined && !s.sizeSkipped) return "size";
  if (s.budget === undefined) return "budget";
  return undefined;
}

/** Lead requirements in the CRM's shape. */
export function requirementsOf(s: TDialogSlots): Record<string, unknown> {
  const r: Record<string, unknown> = {};
  if (s.dealType) r.dealType = s.dealType;
  if (s.propertyType) r.propertyType = s.propertyType === "office" ? "office" : "apartment";
  if (s.city) r.cities = [s.city];
  if (s.neighborhood) r.neighborhoods = [s.neighborhood];
  if (s.rooms !== undefined) {
    r.roomsMin = s.rooms;
    r.roomsMax = s.rooms;
  }
  if (typeof s.budget === "number") r.budgetMax = s.budget;
  if (s.sizeSqm !== undefined) {
    // "about 120 m²": the CRM's match score reads sizeMin; sizeSqm keeps what was said.
    r.sizeSqm = s.sizeSqm;
    r.sizeMin = Math.round(s.sizeSqm * 0.8);
  }
  return r;
}

/** An owner's listing in the CRM's shape (requirements.listing); the owner is not a buyer, so no search fields. */
export function listingRequirementsOf(l: TListingDraft): Record<string, unknown> {
  const listing: Record<string, unknown> = { dealType: l.deal };
  if (l.propertyType) listing.propertyType = l.propertyType;
  if (l.city) listing.city = l.city;
  if (l.neighborhood) listing.neighborhood = l.neighborhood;
  if (l.street) listing.street = l.street;
  if (l.rooms !== undefined) listing.rooms = l.rooms;
  if (l.sizeSqm !== undefined) listing.sizeSqm = l.sizeSqm;
  if (typeof l.price === "number") listing.askingPrice = l.price;
  return { listing };
}


/** The utterance says something about what to search for. */
export function hasNewCriteria(nlu: TNlu): boolean {
  return Boolean(nlu.dealType || nlu.propertyType || nlu.city || nlu.neighborhood || nlu.street || nlu.rooms !== undefined || nlu.sizeSqm !== undefined || nlu.budget !== undefined);
}
