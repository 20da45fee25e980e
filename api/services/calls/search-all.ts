import { and, desc, eq, inArray } from "drizzle-orm";
import { z } from "zod";
import type { TDb } from "../../../db/client";
import { callLogs, conversationTurns, customers } from "../../../db/schema";
import { toCustomerDto, ZCustomer } from "../customers/customer-dto";
import { customerConditions, customerSearchMatch } from "../customers/list-customers";
import { newestIds } from "../search/newest-matches";
import { planQuery, type TQueryPlan } from "../search/plan-query";
import { turnBase, turnMatch } from "../search/search-sources";
import type { TScope } from "../../../core/domain/scope";
import { toCallDto, ZCall } from "./call-dto";
import { CALL_WINDOW_PER_HIT, CALLS_BY_RECENCY, callSearchMatch } from "./list-calls";

export const ZSearchResult = z.object({
  customers: z.array(ZCustomer),
  calls: z.array(ZCall),
  turns: z.array(
    z.object({ id: z.number(), callId: z.string(), seq: z.number(), speaker: z.string(), text: z.string(), startedAt: z.string(), score: z.number() }),
  ),
});

const LIMIT = 20;

/** The newest customers matching a planned search (test leads only when asked). */
async function newestCustomers(db: TDb, scope: TScope, plan: TQueryPlan, includeTest = false) {
  const base = and(...customerConditions(scope, { includeTest }))!;
  const ids = await newestIds<string>(db, { table: customers, id: customers.id, at: customers.createdAt }, base, customerSearchMatch(plan), LIMIT);
  if (!ids.length) return [];
  return db.select().from(customers).where(and(eq(customers.businessId, scope.businessId), inArray(customers.id, ids))).orderBy(desc(customers.createdAt), desc(customers.id));
}

/** The newest transcript turns matching the variants, never tool turns, test calls' turns only when asked. */
async function newestTurns(db: TDb, businessId: string, variants: string[], includeTest = false) {
  const ids = await newestIds<number>(db, { table: conversationTurns, id: conversationTurns.id, at: conversationTurns.id }, turnBase(businessId), turnMatch(variants, includeTest), LIMIT);
  if (!ids.length) return [];
  return db.select().from(conversationTurns).where(and(eq(conversationTurns.businessId, businessId), inArray(conversationTurns.id, ids))).orderBy(desc(conversationTurns.id));
}

/**
 * One Hebrew query across customers (name, phone, email, notes, tags, wanted
 * places), calls (summary, caller name and number) and transcript turns, newest first.
 * Typos are corrected through the search lexicon (plan-query.ts) and every
 * part is an exact, indexed match; a turn's score is the plan's confidence
 * (1 as typed, the similarity of the correction otherwise).
 */
export async function searchAll(db: TDb, scope: TScope, q: string, opts: { includeTest?: boolean } = {}): Promise<z.infer<typeof ZSearchResult>> {
  const plan = await planQuery(db, scope.businessId, q);
  if (!plan.variants.length) return { customers: [], calls: [], turns: [] };
  const b = scope.businessId;
  const callBase = and(eq(callLogs.businessId, b), opts.includeTest ? undefined : eq(callLogs.isTest, false))!;
  // Three independent chains (count → page), each starting its page as soon as its own count is in.
  const [custRows, callRows, turnRows] = await Promise.all([
    newestCustomers(db, scope, plan, opts.includeTest),
    newestIds<string>(db, CALLS_BY_RECENCY, callBase, callSearchMatch(plan), LIMIT, CALL_WINDOW_PER_HIT).then((ids) =>
      ids.length
        ? db
            .select({ call: callLogs, customerName: customers.fullName })
            .from(callLogs)
            .leftJoin(customers, and(eq(customers.id, callLogs.customerId), eq(customers.businessId, callLogs.businessId)))
            .where(and(eq(callLogs.businessId, b), inArray(callLogs.id, ids)))
            .orderBy(desc(callLogs.startedAt), desc(callLogs.id))
            .limit(LIMIT)
        : [],
    ),
    newestTurns(db, b, plan.variants, opts.includeTest),
  ]);
  return {
    customers: custRows.map(toCustomerDto),
    calls: callRows.map((r) => toCallDto(r.call, r.customerName)),
    turns: turnRows.map((t) => ({
      id: t.id,
      callId: t.callId,
      seq: t.seq,
      speaker: t.speaker,
      text: t.text,
      startedAt: t.startedAt.toISOString(),
      score: plan.confidence,
    })),
  };
}
