/**
 * Audit trail writer. Every CRM mutation calls it inside its own transaction,
 * so a change and its audit row commit (or fail) together. Only the fields
 * that changed are stored in before/after.
 */
import type { TDb } from "../../db/client";
import { auditLog } from "../../db/schema";
import type { TScope } from "./scope";

type TTx = Parameters<Parameters<TDb["transaction"]>[0]>[0];
export type TDbOrTx = TDb | TTx;

export interface TAuditEntry {
  action: string;
  entityType: string;
  entityId: string | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}

/** Values comparable as JSON (Dates become ISO strings). */
function plain(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  return v === undefined ? null : v;
}

/** Keys whose values differ; secrets (password hashes) are never recorded. */
export function diff(
  before: Record<string, unknown> | null | undefined,
  after: Record<string, unknown> | null | undefined,
): { before: Record<string, unknown> | null; after: Record<string, unknown> | null } {
  // Secrets never; timestamps and database-computed search columns are noise.
  const skip = new Set(["passwordHash", "updatedAt", "createdAt", "searchDoc", "phoneDigits", "summaryNorm", "fromDigits", "textNorm"]);
  const clean = (o: Record<string, unknown> | null | undefined, keys: string[]) =>
    o ? Object.fromEntries(keys.filter((k) => !skip.has(k)).map((k) => [k, plain(o[k])])) : null;
  if (!before || !after) {
    return { before: clean(before, Object.keys(before ?? {})), after: clean(after, Object.keys(after ?? {})) };
  }
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (k) => JSON.stringify(plain(before[k])) !== JSON.stringify(plain(after[k])),
  );
  return { before: clean(before, keys), after: clean(after, keys) };
}

export async function writeAudit(db: TDbOrTx, scope: TScope, entry: TAuditEntry): Promise<void> {
  const d = diff(entry.before, entry.after);
  await db.insert(auditLog).values({
    businessId: scope.businessId,
    userId: scope.userId,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    before: d.before,
    after: d.after,
    ip: scope.ip,
  });
}
