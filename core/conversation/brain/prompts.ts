/**
 * System prompt for the OpenAI agent: the business's own Hebrew prompt (from
 * settings) plus fixed rules for a phone conversation, the current local time
 * (so "מחר בחמש" becomes a correct ISO time for book_viewing) and what we
 * already know about the customer.
 */
import { DEFAULT_TZ, localParts } from "./hebrew-time";
import type { TChannel } from "./types";

export const DEFAULT_SYSTEM_PROMPT =
  "את נציגה של סוכנות נדל״ן. עני בעברית, בקצרה ובנימוס. בררי אם הלקוח מחפש לקנות או לשכור, דירה או משרד, באיזו עיר, כמה חדרים ומה התקציב. הציעי נכסים מתאימים וקבעי פגישת צפייה.";

export interface TCustomerSummary {
  name: string | null;
  status: string;
  requirements: Record<string, unknown>;
  upcomingViewings: number;
  /** Summaries of the customer's latest calls, newest first. */
  recentCallSummaries?: string[];
}

/** "+02:00" for Jerusalem in winter, "+03:00" in summer. */
export function utcOffset(now: Date, tz = DEFAULT_TZ): string {
  const p = localParts(now, tz);
  const minutes = Math.round((Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - Math.floor(now.getTime() / 60_000) * 60_000) / 60_000);
  const sign = minutes >= 0 ? "+" : "-";
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

const WEEKDAYS_EN = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

export function buildSystemPrompt(input: {
  businessPrompt?: string;
  businessName?: string;
  channel: TChannel;
  now: Date;
  timezone?: string;
  customer?: TCustomerSummary | null;
}): string {
  const tz = input.timezone ?? DEFAULT_TZ;
  const p = localParts(input.now, tz);
  const local = `${p.year}-${String(p.month).padStart(2, "0")}-${String(p.day).padStart(2, "0")} ${String(p.hour).padStart(2, "0")}:${String(p.minute).padStart(2, "0")}`;
  const lines = [
    input.businessPrompt?.trim() || DEFAULT_SYSTEM_PROMPT,
    "",
    "Rules:",
    "- Always answer in Hebrew. Short sentences, one question at a time.",
    input.channel === "whatsapp"
      ? "- This is a WhatsApp chat: plain text, no markdown."
      : "- This is a phone call: no lists, no emojis, no markdown. Say prices and numbers in words (e.g. שלושה מיליון מאתיים וחמישים אלף שקל).",
    "- Use search_properties before proposing listings; propose at most 2 or 3, briefly. Never invent listings.",
    "- To book, use book_viewing with a listing id from search_properties and an ISO time with offset. If it returns booked:false, offer alternativeStartsAt.",
    "- Save the caller with create_or_update_lead when you learn their name or what they look for.",
    "- If the caller asks for a person, say one short sentence and call transfer_to_human. After saying goodbye, call end_call.",
    "- If a tool returns error temporarily_unavailable, the database did not answer: never say there are no listings; say you will check and get back (the follow-up task is already queued).",
    "- An owner who wants to sell or rent out a property is not a buyer: never ask for a budget; save the property with create_or_update_lead requirements.listing and call create_callback_task.",
    "- If the caller complains or is angry: acknowledge, apologise, do not offer the same listing again, and offer a person (transfer_to_human) or a callback (create_callback_task, priority high).",
    `- Now: ${WEEKDAYS_EN[p.weekday]} ${local} (${tz}, UTC${utcOffset(input.now, tz)}).`,
  ];
  if (input.businessName) lines.push(`- Business: ${input.businessName}.`);
  if (input.customer) {
    const c = input.customer;
    lines.push(
      "",
      "Known customer (from the CRM):",
      `- name: ${c.name ?? "unknown"}; status: ${c.status}; upcoming viewings: ${c.upcomingViewings}`,
      `- looking for: ${JSON.stringify(c.requirements)}`,
    );
    for (const summary of c.recentCallSummaries ?? []) lines.push(`- earlier call: ${summary.slice(0, 400)}`);
  }
  return lines.join("\n");
}
