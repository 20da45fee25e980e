import { and, desc, eq, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { TDb } from "../../../db/client";
import { callLogs, conversationTurns, customers } from "../../../db/schema";
import { toCustomerDto, ZCustomer } from "../customers/customer-dto";
import { customerConditions, customerDocSql, resolveSearchMode } from "../customers/list-customers";
import { businessIs, normalizeSearch, normMatches, normScore, pickMatchMode, withTrigramPlan, type TMatchMode } from "../search/hebrew-text";
import type { TScope } from "../scope";
import { toCallDto, ZCall } from "./call-dto";
import { callerMatches } from "./list-calls";

export const ZSearchResult = z.object({
  customers: z.array(ZCustomer),
  calls: z.array(ZCall),
  turns: z.array(
    z.object({ id: z.number(), callId: z.string(), seq: z.number(), speaker: z.string(), text: z.string(), startedAt: z.string(), score: z.number() }),
  ),
});

const LIMIT = 20;

/**
 * One Hebrew query across customers (name, phone, email, notes, tags), calls
 * (summary, caller name) and transcript turns, best matches first.
 */
export async function searchAll(db: TDb, scope: TScope, q: string): Promise<z.infer<typeof ZSearchResult>> {
  if (!normalizeSearch(q)) return { customers: [], calls: [], turns: [] };
  const b = scope.businessId;
  const turnNorm = sql`${conversationTurns.textNorm}`;
  const callCond = (mode: TMatchMode) => and(eq(callLogs.businessId, b), or(normMatches(sql`${callLogs.summaryNorm}`, q, mode), callerMatches(b, q, mode)));
  const turnCond = (mode: TMatchMode) => and(businessIs(conversationTurns.businessId, b, mode), normMatches(turnNorm, q, mode));
  const callsFrom = () =>
    db
      .select({ call: callLogs, customerName: customers.fullName })
      .from(callLogs)
      .leftJoin(customers, and(eq(customers.id, callLogs.customerId), eq(customers.businessId, callLogs.businessId)));
  const [customerFilters, callMode, turnMode] = await Promise.all([
    resolveSearchMode(db, scope, { search: q }),
    pickMatchMode(q, async () => (await callsFrom().where(callCond("exact")).limit(1)).length > 0),
    pickMatchMode(q, async () => (await db.select({ id: conversationTurns.id }).from(conversationTurns).where(turnCond("exact")).limit(1)).length > 0),
  ]);
  const turnScore = normScore(turnNorm, q);
  const [custRows, callRows, turnRows] = await Promise.all([
    withTrigramPlan(db, customerFilters.searchMode ?? "exact", (d) =>
      d
        .select()
        .from(customers)
        .where(and(...customerConditions(scope, customerFilters)))
        .orderBy(desc(normScore(customerDocSql(), q)), desc(customers.updatedAt))
        .limit(LIMIT),
    ),
    withTrigramPlan(db, callMode, (d) =>
      d
        .select({ call: callLogs, customerName: customers.fullName })
        .from(callLogs)
        .leftJoin(customers, and(eq(customers.id, callLogs.customerId), eq(customers.businessId, callLogs.businessId)))
        .where(callCond(callMode))
        .orderBy(desc(callLogs.startedAt))
        .limit(LIMIT),
    ),
    withTrigramPlan(db, turnMode, (d) =>
      d
        .select({ turn: conversationTurns, score: turnScore })
        .from(conversationTurns)
        .where(turnCond(turnMode))
        // Exact hits all score 1: newest first. Fuzzy hits: most similar first.
        .orderBy(turnMode === "exact" ? desc(conversationTurns.startedAt) : desc(turnScore), desc(conversationTurns.id))
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
      score: Number(r.score),
    })),
  };
}
