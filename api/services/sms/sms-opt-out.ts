/**
 * SMS opt-out (STOP). Twilio itself blocks further messages to a number that
 * sent STOP on a long code; we store it too so Kesher never tries (and the
 * dashboard can say why), and so Hebrew "הסר" works the same way.
 */
import { and, eq } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { smsOptOuts } from "../../../db/schema";

/** Twilio's standard opt-out words plus the Hebrew ones Israeli senders use. */
const STOP_WORDS = new Set(["stop", "stopall", "unsubscribe", "cancel", "end", "quit", "revoke", "optout", "הסר", "הסרה", "עצור", "הפסק"]);
const START_WORDS = new Set(["start", "unstop", "yes start", "התחל", "חידוש"]);

/** The normalised keyword when `body` is an opt-out (STOP) or opt-in (START) message, else null. */
export function optKeyword(body: string | null | undefined): { kind: "stop" | "start"; word: string } | null {
  const word = (body ?? "").trim().toLowerCase().replace(/[.!]+$/, "");
  if (STOP_WORDS.has(word)) return { kind: "stop", word };
  if (START_WORDS.has(word)) return { kind: "start", word };
  return null;
}

export async function isOptedOut(db: TDb, businessId: string, phone: string): Promise<boolean> {
  const [row] = await db
    .select({ phone: smsOptOuts.phone })
    .from(smsOptOuts)
    .where(and(eq(smsOptOuts.businessId, businessId), eq(smsOptOuts.phone, phone)))
    .limit(1);
  return Boolean(row);
}

/** Store an opt-out; repeating it is a no-op. */
export async function optOut(db: TDb, businessId: string, phone: string, keyword: string | null): Promise<void> {
  await db.insert(smsOptOuts).values({ businessId, phone, keyword }).onConflictDoNothing();
}

/** The customer texted START: SMS may be sent again. */
export async function optIn(db: TDb, businessId: string, phone: string): Promise<void> {
  await db.delete(smsOptOuts).where(and(eq(smsOptOuts.businessId, businessId), eq(smsOptOuts.phone, phone)));
}
