/**
 * Who gets a new lead: the business's assignment rules (settings → "שיוך
 * לידים") applied when the AI creates or enriches a lead from a call or a
 * WhatsApp conversation.
 *
 *   round_robin    the next agent of the pool, in turn (an atomic counter on the business row)
 *   by_area        the agent named for a wanted city / neighbourhood
 *   by_deal_type   the agent named for buyers (sale) or renters (rent)
 *
 * A rule that needs something the caller has not said yet (no city, no deal
 * type) waits: the next create_or_update_lead call tries again. Once the
 * caller has said it and no rule names an agent, the lead goes round robin
 * through the pool. Only active users of the same business are ever chosen,
 * and a lead staff already assigned is never taken over.
 */
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { businesses, customers, users, type TLeadAssignmentRules, type TRequirements } from "../../db/schema";
import type { TDbOrTx } from "./write-audit";

export type TRuleDecision =
  | { kind: "agent"; userId: string; reason: "area" | "deal_type" }
  | { kind: "round_robin" }
  | { kind: "wait" }
  | { kind: "none" };

/** Hebrew place names compared loosely: "רמת-גן" = "רמת גן", quotes and niqqud ignored. */
export function normalizePlace(s: string): string {
  return s
    .normalize("NFKC")
    .replace(/[\u0591-\u05C7]/g, "")
    .replace(/[-־–—"'׳״.,]+/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
}

function samePlace(a: string, b: string): boolean {
  const x = normalizePlace(a);
  const y = normalizePlace(b);
  return x === y || x.startsWith(`${y} `) || y.startsWith(`${x} `);
}

/** Pure rule step: what the rules say about a lead wanting `req` (no database). */
export function decideByRules(rules: TLeadAssignmentRules | undefined, req: TRequirements): TRuleDecision {
  if (!rules || rules.mode === "off") return { kind: "none" };
  if (rules.mode === "round_robin") return { kind: "round_robin" };
  if (rules.mode === "by_area") {
    const places = [...(req.cities ?? []), ...(req.neighborhoods ?? []), ...(req.listing?.city ? [req.listing.city] : [])];
    if (places.length === 0) return { kind: "wait" };
    // Neighbourhood rules are more specific than city rules: check the wanted neighbourhoods first.
    const ordered = [...(req.neighborhoods ?? []), ...places];
    for (const place of ordered) {
      const rule = rules.areas.find((r) => samePlace(r.place, place));
      if (rule) return { kind: "agent", userId: rule.userId, reason: "area" };
    }
    return { kind: "round_robin" };
  }
  const deal = req.dealType ?? req.listing?.dealType;
  if (!deal) return { kind: "wait" };
  const userId = rules.dealTypes[deal];
  return userId ? { kind: "agent", userId, reason: "deal_type" } : { kind: "round_robin" };
}

/** Active users of the business among `ids`, in the order given. */
async function activeAgents(db: TDbOrTx, businessId: string, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(and(inArray(users.id, ids), eq(users.businessId, businessId), eq(users.active, true)));
  const ok = new Set(rows.map((r) => r.id));
  return ids.filter((id) => ok.has(id));
}

/** Advance the business's round-robin counter (row-locked update, so concurrent leads get different turns). */
async function nextTurn(db: TDbOrTx, businessId: string): Promise<number> {
  const [row] = await db
    .update(businesses)
    .set({
      settings: sql`jsonb_set(${businesses.settings}, '{leadAssignmentCursor}', to_jsonb(coalesce((${businesses.settings}->>'leadAssignmentCursor')::int, -1) + 1))`,
    })
    .where(eq(businesses.id, businessId))
    .returning({ turn: sql<number>`(${businesses.settings}->>'leadAssignmentCursor')::int` });
  return Number(row?.turn ?? 0);
}

export interface TLeadAssignment {
  customerId: string;
  assignedUserId: string;
  name: string | null;
  reason: "area" | "deal_type" | "round_robin";
}

/**
 * Assign an unassigned lead by the business's rules. Returns the assignment
 * (so the caller can notify the agent after its transaction commits), or null
 * when the rules are off, must wait for more details, name nobody, or the
 * lead already has an agent.
 *
 * @example
 *   const a = await assignLeadByRules(tx, { businessId, customerId: row.id, requirements: row.requirements });
 *   if (a) events.publish({ type: "lead.assigned", businessId, ...a, by: "rules" });
 */
export async function assignLeadByRules(
  db: TDbOrTx,
  lead: { businessId: string; customerId: string; requirements: TRequirements },
): Promise<TLeadAssignment | null> {
  const [biz] = await db.select({ settings: businesses.settings }).from(businesses).where(eq(businesses.id, lead.businessId)).limit(1);
  const rules = biz?.settings.leadAssignment;
  const decision = decideByRules(rules, lead.requirements);
  if (decision.kind === "none" || decision.kind === "wait" || !rules) return null;

  let userId: string | undefined;
  let reason: TLeadAssignment["reason"] = "round_robin";
  if (decision.kind === "agent") {
    [userId] = await activeAgents(db, lead.businessId, [decision.userId]);
    reason = decision.reason;
  }
  if (!userId) {
    const pool = await activeAgents(db, lead.businessId, rules.agentIds);
    if (pool.length === 0) return null;
    userId = pool[(await nextTurn(db, lead.businessId)) % pool.length];
    reason = "round_robin";
  }
  if (!userId) return null;
  const [row] = await db
    .update(customers)
    .set({ assignedUserId: userId })
    .where(and(eq(customers.id, lead.customerId), eq(customers.businessId, lead.businessId), isNull(customers.assignedUserId)))
    .returning({ name: customers.fullName });
  if (!row) return null;
  return { customerId: lead.customerId, assignedUserId: userId, name: row.name, reason };
}
