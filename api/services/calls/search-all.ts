import { and, desc, eq, ne, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { TDb } from "../../../db/client";
import { callLogs, conversationTurns, customers } from "../../../db/schema";
import { toCustomerDto, ZCustomer } from "../customers/customer-dto";
import { customerConditions } from "../customers/list-customers";
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
  const callerIds = db
    .select({ id: customers.id })
    .from(customers)
    .where(and(eq(customers.businessId, b), matchesAny(customers.searchDoc, plan.variants)));
  const callWhere = and(
    eq(callLogs.businessId, b),
    opts.includeTest ? undefined : eq(callLogs.isTest, false),
    or(matchesAny(callLogs.summaryNorm, plan.variants), sql`${callLogs.customerId} in ${callerIds}`),
  )!;
  // Tool turns hold raw JSON for the agent: never a search hit (rough edge #17).
  const turnWhere = and(eq(conversationTurns.businessId, b), ne(conversationTurns.speaker, "tool"), matchesAny(conversationTurns.textNorm, plan.variants))!;
  const [nCust, nCalls, nTurns] = await Promise.all([cappedCount(db, customers, custWhere), cappedCount(db, callLogs, callWhere), cappedCount(db, conversationTurns, turnWhere)]);
  const [custRows, callRows, turnRows] = await Promise.all([
    newestMatches(db, nCust, (d) => d.select().from(customers).where(custWhere).orderBy(desc(customers.createdAt), desc(customers.id)).limit(LIMIT)),
    newestMatches(db, nCalls, (d) =>
      d
        .select({ call: callLogs, customerName: customers.fullName })
        .from(callLogs)
        .leftJoin(customers, and(eq(customers.id, callLogs.customerId), eq(customers.businessId, callLogs.businessId)))
        .where(callWhere)
        .orderBy(desc(callLogs.startedAt), desc(callLogs.id))
        .limit(LIMIT),
    ),
    newestMatches(db, nTurns, (d) =>
      d
        .select({ turn: conversationTurns })
        .from(conversationTurns)
        .innerJoin(callLogs, and(eq(callLogs.id, conversationTurns.callId), opts.includeTest ? undefined : eq(callLogs.isTest, false)))
        .where(turnWhere)
        .orderBy(desc(conversationTurns.id))
        .limit(LIMIT),
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
