import { and, desc, eq, inArray, ne } from "drizzle-orm";
import { z } from "zod";
import type { TDb } from "../../../db/client";
import { callLogs, conversationTurns, customers } from "../../../db/schema";
import { toCustomerDto, ZCustomer } from "../customers/customer-dto";
import { customerConditions } from "../customers/list-customers";
import { newestMatchingCallIds } from "../search/newest-calls";
import { cappedCount, newestMatches } from "../search/newest-matches";
import { planQuery } from "../search/plan-query";
import { matchesAny } from "../search/search-sources";
import type { TScope } from "../../../core/domain/scope";
import { toCallDto, ZCall } from "./call-dto";

export const ZSearchResult = z.object({
  customers: z.array(ZCustomer),
  calls: z.array(ZCall),
  turns: z.array(
    z.object({ id: z.number(), callId: z.string(), seq: z.number(), speaker: z.string(), text: z.string(), startedAt: z.string(), score: z.number() }),
  ),
});

const LIMIT = 20;

/**
 * One Hebrew query across customers (name, phone, email, notes, tags, wanted
 * places), calls (summary, caller name) and transcript turns, newest first.
 * Typos are corrected through the search lexicon (plan-query.ts) and every
 * part is an exact, indexed match; a turn's score is the plan's confidence
 * (1 as typed, the similarity of the correction otherwise).
 */
export async function searchAll(db: TDb, scope: TScope, q: string, opts: { includeTest?: boolean } = {}): Promise<z.infer<typeof ZSearchResult>> {
  const plan = await planQuery(db, scope.businessId, q);
  if (!plan.variants.length) return { customers: [], calls: [], turns: [] };
  const b = scope.businessId;
  const custWhere = and(...customerConditions(scope, { search: q, searchPlan: plan, includeTest: opts.includeTest }))!;
  const callMatch = {
    businessId: b,
    where: [eq(callLogs.businessId, b), ...(opts.includeTest ? [] : [eq(callLogs.isTest, false)])],
    own: matchesAny(callLogs.summaryNorm, plan.variants),
    caller: matchesAny(customers.searchDoc, plan.variants),
    limit: LIMIT,
  };
  // Tool turns hold raw JSON for the agent: never a search hit (rough edge #17).
  const turnWhere = and(eq(conversationTurns.businessId, b), ne(conversationTurns.speaker, "tool"), matchesAny(conversationTurns.textNorm, plan.variants))!;
  // Three independent chains (count → page), each starting its page as soon as its own count is in.
  const [custRows, callRows, turnRows] = await Promise.all([
    cappedCount(db, customers, custWhere).then((n) =>
      newestMatches(db, n, (d) => d.select().from(customers).where(custWhere).orderBy(desc(customers.createdAt), desc(customers.id)).limit(LIMIT)),
    ),
    newestMatchingCallIds(db, callMatch).then((ids) =>
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
    cappedCount(db, conversationTurns, turnWhere).then((n) =>
      newestMatches(db, n, (d) =>
        d
          .select({ turn: conversationTurns })
          .from(conversationTurns)
          .innerJoin(callLogs, and(eq(callLogs.id, conversationTurns.callId), opts.includeTest ? undefined : eq(callLogs.isTest, false)))
          .where(turnWhere)
          .orderBy(desc(conversationTurns.id))
          .limit(LIMIT),
      ),
    ),
  ]);
  return {
    customers: custRows.map(toCustomerDto),
    calls: callRows.map((r) => toCallDto(r.call, r.customerName)),
    turns: turnRows.map((r) => ({
      id: r.turn.id,
      callId: r.turn.callId,
      seq: r.turn.seq,
      speaker: r.turn.speaker,
      text: r.turn.text,
      startedAt: r.turn.startedAt.toISOString(),
      score: plan.confidence,
    })),
  };
}
