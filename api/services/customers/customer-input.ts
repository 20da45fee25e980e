/** Validation shared by create/update/import: phone → E.164, assignee in the same business. */
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { TDb } from "../../../db/client";
import { customers, users } from "../../../db/schema";
import { AppError } from "../../../core/kernel/errors";
import { toE164 } from "../../../core/kernel/phone";
import type { TDbOrTx } from "../../../core/domain/write-audit";
import { ZCustomerSource, ZCustomerStatus, ZRequirements } from "./customer-dto";

export const ZCustomerFields = z.object({
  fullName: z.string().trim().max(200).nullable().optional(),
  phone: z.string().trim().max(40).nullable().optional(),
  email: z.email("כתובת אימייל לא תקינה").max(200).nullable().optional().or(z.literal("").transform(() => null)),
  status: ZCustomerStatus.optional(),
  source: ZCustomerSource.optional(),
  tags: z.array(z.string().trim().min(1).max(50)).max(30).optional(),
  requirements: ZRequirements.optional(),
  notes: z.string().max(10_000).nullable().optional(),
  assignedUserId: z.uuid().nullable().optional(),
});
export type TCustomerFields = z.infer<typeof ZCustomerFields>;

/** E.164 or null; a non-empty value that is not a phone number is a Hebrew BAD_REQUEST. */
export function phoneOrThrow(raw: string | null | undefined): string | null {
  if (raw === undefined || raw === null || raw.trim() === "") return null;
  const e164 = toE164(raw);
  if (!e164) throw new AppError("BAD_REQUEST", `invalid phone ${raw}`, { userMessage: `מספר הטלפון "${raw}" אינו תקין` });
  return e164;
}

/** The assignee must be an active user of the same business (no cross-tenant references). */
export async function assertAssignee(db: TDbOrTx | TDb, businessId: string, userId: string | null | undefined): Promise<void> {
  if (!userId) return;
  const [u] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(eq(users.id, userId), eq(users.businessId, businessId)))
    .limit(1);
  if (!u) throw new AppError("NOT_FOUND", "assignee not in business", { userMessage: "המשתמש שנבחר לא נמצא בעסק" });
}

/** A customer of this business, or NOT_FOUND (another tenant's id looks exactly like a missing one). */
export async function findCustomer(db: TDbOrTx | TDb, businessId: string, id: string) {
  const [row] = await db
    .select()
    .from(customers)
    .where(and(eq(customers.id, id), eq(customers.businessId, businessId)))
    .limit(1);
  if (!row) throw new AppError("NOT_FOUND", "customer not found", { userMessage: "הלקוח לא נמצא" });
  return row;
}

/** Unique (business, phone) violations become a Hebrew CONFLICT. */
export function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err, i = 0; e && i < 5; e = (e as { cause?: unknown }).cause, i++) {
    if ((e as { code?: string }).code === "23505") return true;
  }
  return false;
}
