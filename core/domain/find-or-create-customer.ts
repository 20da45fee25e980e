/**
 * The one "find or create the customer by phone" write. A call, a WhatsApp or
 * SMS message, the media stream and the AI's lead tool all meet the same
 * customer: one row per (business, E.164 phone), enforced by the unique index
 * `customers (business_id, phone) where phone is not null`. Concurrent first
 * contacts from one number converge on one row (insert … on conflict), and a
 * name already on the row (typed by staff) is never overwritten.
 */
import { getTableColumns, sql } from "drizzle-orm";
import { customers } from "../../db/schema";
import type { TDbOrTx } from "./write-audit";

export type TCustomerRow = typeof customers.$inferSelect;
type TSource = TCustomerRow["source"];

export interface TFindOrCreateCustomer {
  businessId: string;
  /** E.164, already normalised (core/kernel/phone toE164). */
  phone: string;
  /** Where a new customer came from; an existing row keeps its source. */
  source: TSource;
  /** Fills the name only when the row has none. */
  fullName?: string | null;
}

/**
 * @example
 *   const { customer, created } = await findOrCreateCustomerByPhone(tx, { businessId, phone: "+972541234567", source: "call" });
 */
export async function findOrCreateCustomerByPhone(db: TDbOrTx, input: TFindOrCreateCustomer): Promise<{ customer: TCustomerRow; created: boolean }> {
  const [row] = await db
    .insert(customers)
    .values({ businessId: input.businessId, phone: input.phone, source: input.source, fullName: input.fullName ?? null })
    .onConflictDoUpdate({
      target: [customers.businessId, customers.phone],
      targetWhere: sql`${customers.phone} is not null`,
      set: { fullName: sql`coalesce(${customers.fullName}, excluded.full_name)`, updatedAt: sql`now()` },
    })
    // xmax = 0 only on a row this statement inserted (an updated row carries the updating transaction's id).
    .returning({ ...getTableColumns(customers), created: sql<boolean>`(xmax = 0)` });
  if (!row) throw new Error(`customer upsert returned nothing for ${input.phone}`);
  const { created, ...customer } = row;
  return { customer, created };
}
