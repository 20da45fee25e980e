/**
 * transfer_to_human and end_call. They do not touch Twilio themselves: they
 * return an action the call session executes after the sentence has been
 * heard. On a phone call (and the dashboard's test call) the transfer always
 * goes to the session, which dials the agent line or — when the office is
 * closed or has no agent line — plays the after-hours notice and records a
 * message (api/services/calls/transfer-call.ts); the result says which, so the
 * agent's sentence matches. On WhatsApp there is no line to transfer to: the
 * result says so and the agent takes a message for staff instead.
 */
import { eq } from "drizzle-orm";
import { z } from "zod";
import { businesses } from "../../../../db/schema";
import { DEFAULT_TZ } from "../hebrew-time";
import { withinBusinessHours } from "./book-viewing";
import type { TToolDataDeps, TToolScope } from "./types";

export const ZCallActionArgs = z.object({ reason: z.string().max(300).optional() });
export type TCallActionArgs = z.infer<typeof ZCallActionArgs>;

export type TTransferResult =
  | { action: "transfer"; transferred: true; officeOpen: boolean; hasAgentLine: boolean; nextOpenAt: string | null; reason: string | null }
  | { action: null; transferred: false; why: "closed" | "no_agent_number" | "no_phone_line"; officeOpen: boolean; nextOpenAt: string | null; reason: string | null };

const STEP_MS = 30 * 60_000;

export async function transferToHuman(deps: TToolDataDeps, scope: TToolScope, args: TCallActionArgs): Promise<TTransferResult> {
  const [b] = await deps.db
    .select({ agentPhone: businesses.agentPhone, settings: businesses.settings, timezone: businesses.timezone })
    .from(businesses)
    .where(eq(businesses.id, scope.businessId));
  const reason = args.reason ?? null;
  const now = scope.now?.() ?? new Date();
  const tz = b?.timezone || scope.timezone || DEFAULT_TZ;
  const hours = b?.settings.businessHours;
  const officeOpen = withinBusinessHours(now, 0, hours, tz);
  let nextOpenAt: string | null = null;
  if (!officeOpen) {
    let next: number | null = Math.ceil(now.getTime() / STEP_MS) * STEP_MS;
    while (next !== null && !withinBusinessHours(new Date(next), STEP_MS, hours, tz)) {
      next += STEP_MS;
      if (next > now.getTime() + 8 * 86_400_000) next = null;
    }
    nextOpenAt = next === null ? null : new Date(next).toISOString();
  }
  const hasAgentLine = Boolean(b?.agentPhone);
  if (scope.channel !== "whatsapp") {
    // The session decides between <Dial> and the recorded message; the agent only words it.
    return { action: "transfer", transferred: true, officeOpen, hasAgentLine, nextOpenAt, reason };
  }
  deps.log.info({ businessId: scope.businessId }, "transfer requested on WhatsApp: taking a message for staff");
  return { action: null, transferred: false, why: "no_phone_line", officeOpen, nextOpenAt, reason };
}

export async function endCall(_deps: TToolDataDeps, _scope: TToolScope, args: TCallActionArgs): Promise<{ action: "hangup"; reason: string | null }> {
  return { action: "hangup", reason: args.reason ?? null };
}
