/**
 * transfer_to_human and end_call. They do not touch Twilio themselves: they
 * return an action the call session executes after the sentence has been
 * heard. A transfer is only offered when a person can pick up — the business
 * has an agent number and is open now; otherwise the result says why (and
 * when it opens) so the agent takes a message instead.
 */
import { eq } from "drizzle-orm";
import { z } from "zod";
import { businesses } from "../../../db/schema";
import { DEFAULT_TZ } from "../hebrew-time";
import { withinBusinessHours } from "./book-viewing";
import type { TToolDeps, TToolScope } from "./types";

export const ZCallActionArgs = z.object({ reason: z.string().max(300).optional() });
export type TCallActionArgs = z.infer<typeof ZCallActionArgs>;

export type TTransferResult =
  | { action: "transfer"; transferred: true; reason: string | null }
  | { action: null; transferred: false; why: "closed" | "no_agent_number"; nextOpenAt: string | null; reason: string | null };

const STEP_MS = 30 * 60_000;

export async function transferToHuman(deps: TToolDeps, scope: TToolScope, args: TCallActionArgs): Promise<TTransferResult> {
  const [b] = await deps.db
    .select({ agentPhone: businesses.agentPhone, settings: businesses.settings, timezone: businesses.timezone })
    .from(businesses)
    .where(eq(businesses.id, scope.businessId));
  const reason = args.reason ?? null;
  // The dashboard test call has no phone line to transfer: pretend nothing, say it plainly.
  if (!b?.agentPhone) return { action: null, transferred: false, why: "no_agent_number", nextOpenAt: null, reason };
  const now = scope.now?.() ?? new Date();
  const tz = b.timezone || scope.timezone || DEFAULT_TZ;
  const hours = b.settings.businessHours;
  if (withinBusinessHours(now, 0, hours, tz)) return { action: "transfer", transferred: true, reason };
  let next: number | null = Math.ceil(now.getTime() / STEP_MS) * STEP_MS;
  while (next !== null && !withinBusinessHours(new Date(next), STEP_MS, hours, tz)) {
    next += STEP_MS;
    if (next > now.getTime() + 8 * 86_400_000) next = null;
  }
  deps.log.info({ businessId: scope.businessId }, "transfer requested outside business hours");
  return { action: null, transferred: false, why: "closed", nextOpenAt: next === null ? null : new Date(next).toISOString(), reason };
}

export async function endCall(_deps: TToolDeps, _scope: TToolScope, args: TCallActionArgs): Promise<{ action: "hangup"; reason: string | null }> {
  return { action: "hangup", reason: args.reason ?? null };
}
