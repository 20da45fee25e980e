/**
 * The local brain's conversation state (plain JSON in ctx.state.dialog) and
 * the pure helpers that update it from one NLU result.
 */
import type { TTimeParts } from "./hebrew-time";
import type { TDealType, TNlu, TPropertyType, TSlot } from "./nlu";
import type { TPropertyHit } from "./tools/search-properties";

export type TStage = "collect" | "ask_viewing" | "choose" | "ask_time" | "ask_name" | "confirm_alt" | "anything_else" | "take_message" | "done";

export interface TDialogSlots {
  dealType?: TDealType;
  propertyType?: TPropertyType;
  city?: string;
  neighborhood?: string;
  rooms?: number;
  /** null = the caller does not mind. */
  budget?: number | null;
  roomsSkipped?: boolean;
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
  turns: number;
}

export function initialDialogState(): TDialogState {
  return { stage: "collect", slots: {}, misses: 0, proposals: [], turns: 0 };
}


const SEARCH_SLOTS = ["dealType", "propertyType", "city", "neighborhood", "rooms", "budget"] as const;

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
  set("rooms", nlu.rooms);
  set("budget", nlu.budget);
  if (nlu.rooms !== undefined && !s.propertyType) set("propertyType", "apartment");
  if (nlu.dontCare && st.asked === "budget" && s.budget === undefined) set("budget", null);
  if (nlu.dontCare && st.asked === "rooms" && s.rooms === undefined) s.roomsSkipped = true;
  if (nlu.name) s.name = nlu.name;
  return changed;
}

export function nextMissing(s: TDialogSlots): TSlot | undefined {
  if (!s.dealType) return "dealType";
  if (!s.propertyType) return "propertyType";
  if (!s.city) return "city";
  const roomy = s.propertyType !== "office" && s.propertyType !== "store" && s.propertyType !== "studio";
  if (roomy && s.rooms === undefined && !s.roomsSkipped) return "rooms";
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
  return r;
}


/** The utterance says something about what to search for. */
export function hasNewCriteria(nlu: TNlu): boolean {
  return Boolean(nlu.dealType || nlu.propertyType || nlu.city || nlu.neighborhood || nlu.rooms !== undefined || nlu.budget !== undefined);
}
