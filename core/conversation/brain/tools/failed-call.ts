/**
 * What a tool call that the database could not serve becomes: the result the
 * agent reads (the OpenAI model gets it as the tool message; the local brain
 * checks `error`), and a line for the staff follow-up with the lead data the
 * call carried, so nothing the caller said is lost.
 */
import type { TUpsertLeadArgs } from "./upsert-lead";

export const UNAVAILABLE = "temporarily_unavailable";

/** The tool result for a database failure: never to be read as "nothing found". */
export const UNAVAILABLE_RESULT = {
  error: UNAVAILABLE,
  followUpQueued: true,
  instruction:
    "The database did not answer. This is NOT 'no matching listings' and NOT a refusal. Tell the caller in one short Hebrew sentence that you cannot check right now, that you noted what they asked for, and that a representative will check and get back to them soon (a staff follow-up task is queued automatically). Do not retry now.",
} as const;

const DEAL: Record<string, string> = { sale: "לקנות", rent: "לשכור" };

/** A Hebrew line for staff plus the lead fields to save once the database answers. */
export function describeFailedCall(name: string, args: Record<string, unknown>): { line: string; lead?: TUpsertLeadArgs } {
  const a = args as Record<string, string | number | undefined>;
  switch (name) {
    case "search_properties": {
      const what = [
        a.dealType ? DEAL[a.dealType as string] : "",
        a.propertyType ?? "",
        a.city ? `ב${a.city}` : "",
        a.neighborhood ? `(${a.neighborhood})` : "",
        a.roomsMin !== undefined ? `${a.roomsMin} חדרים` : "",
        a.sizeMin !== undefined ? `מ-${a.sizeMin} מ״ר` : "",
        a.budgetMax !== undefined ? `עד ${Number(a.budgetMax).toLocaleString("en-US")} ₪` : "",
        a.street ? `רחוב ${a.street}` : "",
      ].filter(Boolean);
      const requirements: Record<string, unknown> = {};
      if (a.dealType) requirements.dealType = a.dealType;
      if (a.propertyType === "office" || a.propertyType === "apartment") requirements.propertyType = a.propertyType;
      if (a.city) requirements.cities = [a.city];
      if (a.roomsMin !== undefined) requirements.roomsMin = a.roomsMin;
      if (a.budgetMax !== undefined) requirements.budgetMax = a.budgetMax;
      return { line: `חיפוש נכסים שלא בוצע: ${what.join(" ") || "ללא פרטים"}`, lead: { requirements: requirements as TUpsertLeadArgs["requirements"] } };
    }
    case "book_viewing":
      return {
        line: `קביעת צפייה שלא בוצעה: נכס ${a.propertyId}, מועד מבוקש ${a.startsAt}`,
        ...(a.customerName ? { lead: { name: String(a.customerName) } } : {}),
      };
    case "create_or_update_lead":
      return { line: `עדכון ליד שלא נשמר${a.notes ? `: ${a.notes}` : ""}`, lead: { ...(args as TUpsertLeadArgs), notes: undefined } };
    case "create_callback_task":
      return { line: `משימה שלא נשמרה: ${a.title}` };
    case "transfer_to_human":
      return { line: "הלקוח/ה ביקש/ה לדבר עם נציג" };
    default:
      return { line: `פעולה שלא בוצעה: ${name}` };
  }
}
