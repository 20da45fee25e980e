/**
 * Test calls ("שיחת ניסיון") kept apart from real work: a call started from
 * the dashboard's test-call page is flagged by the database (call_logs.is_test,
 * from direction 'test'); the lead it created is flagged here, so lists,
 * pickers, search and analytics leave both out unless asked (`includeTest`).
 * One action removes them all.
 */
import { and, eq, gte, sql } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { callLogs, customers } from "../../../db/schema";
import { writeAudit } from "../../../core/domain/write-audit";
import type { TScope } from "../../../core/domain/scope";

/**
 * Mark the customer a test call just linked as a test lead, if the test call
 * created it (created after the call started) and no real call is theirs.
 * A real customer who happens to be used in a test call stays real.
 */
export async function markTestLead(db: TDb, businessId: string, customerId: string, callStartedAt: Date): Promise<boolean> {
  const rows = await db
    .update(customers)
    .set({ isTest: true })
    .where(
      and(
        eq(customers.id, customerId),
        eq(customers.businessId, businessId),
        gte(customers.createdAt, callStartedAt),
        sql`not exists (select 1 from ${callLogs} where ${callLogs.customerId} = ${customers.id} and ${callLogs.isTest} = false)`,
      ),
    )
    .returning({ id: customers.id });
  return rows.length > 0;
}

/** Delete every test call (turns with them) and every test lead of the business; audited. */
export async function deleteTestData(db: TDb, scope: TScope): Promise<{ calls: number; customers: number }> {
  return db.transaction(async (tx) => {
    const calls = await tx
      .delete(callLogs)
      .where(and(eq(callLogs.businessId, scope.businessId), eq(callLogs.isTest, true)))
      .returning({ id: callLogs.id });
    const leads = await tx
      .delete(customers)
      .where(and(eq(customers.businessId, scope.businessId), eq(customers.isTest, true)))
      .returning({ id: customers.id });
    const result = { calls: calls.length, customers: leads.length };
    if (result.calls || result.customers) {
      await writeAudit(tx, scope, { action: "calls.deleteTestData", entityType: "call", entityId: null, before: result, after: null });
    }
    return result;
  });
}
