import { and, desc, eq, or, sql } from "drizzle-orm";
import { z } from "zod";
import type { TDb } from "../../../db/client";
import { callLogs, conversationTurns, customers } from "../../../db/schema";
import { toCustomerDto, ZCustomer } from "../customers/customer-dto";
import { customerConditions } from "../customers/list-customers";
import { normalizeSearch, textMatches, textScore } from "../search/hebrew-text";
import type { TScope } from "../scope";
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
 * One Hebrew query across customers (name, phone, email, notes, tags), calls
 * (summary, caller name) and transcript turns, best matches first.
 */
export async function searchAll(db: TDb, scope: TScope, q: string): Promise<z.infer<typeof ZSearchResult>> {
  if (!normalizeSearch(q)) return { customers: [], calls: [], turns: [] };
  const custScore = sql<number>`greatest(${textScore(customers.fullName, q)}, ${textScore(customers.notes, q)})`;
  const turnScore = textScore(conversationTurns.text, q);
  const [custRows, callRows, turnRows] = await Promise.all([
    db
      .select()
      .from(customers)
      .where(and(...customerConditions(scope, { search: q })))
      .orderBy(desc(custScore), desc(customers.updatedAt))
      .limit(LIMIT),
    db
      .select({ call: callLogs, customerName: customers.fullName })
      .from(callLogs)
      .leftJoin(customers, and(eq(customers.id, callLogs.customerId), eq(customers.businessId, callLogs.businessId)))
      .where(and(eq(callLogs.businessId, scope.businessId), or(textMatches(callLogs.summary, q), textMatches(customers.fullName, q))))
      .orderBy(desc(callLogs.startedAt))
      .limit(LIMIT),
    db
      .select({ turn: conversationTurns, score: turnScore })
      .from(conversationTurns)
      .where(and(eq(conversationTurns.businessId, scope.businessId), textMatches(conversationTurns.text, q)))
      .orderBy(desc(turnScore), desc(conversationTurns.startedAt))
      .limit(LIMIT),
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
