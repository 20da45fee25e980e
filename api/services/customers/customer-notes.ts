/** Notes on a customer: separate timeline entries with author and time (customer_notes). */
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { TDb } from "../../../db/client";
import { customerNotes, users } from "../../../db/schema";
import { AppError } from "../../../core/kernel/errors";
import { writeAudit } from "../../../core/domain/write-audit";
import type { TScope } from "../../../core/domain/scope";
import { findCustomer } from "./customer-input";

export const ZNoteText = z.string().trim().min(1, "יש לכתוב את ההערה").max(5000, "הערה ארוכה מדי (עד 5,000 תווים)");
export const ZCustomerNote = z.object({ id: z.string(), customerId: z.string(), text: z.string(), author: z.string().nullable(), authorUserId: z.string().nullable(), at: z.string() });
export type TCustomerNote = z.infer<typeof ZCustomerNote>;

/** Add a note written by the acting user; audited. */
export async function addCustomerNote(db: TDb, scope: TScope, customerId: string, text: string): Promise<TCustomerNote> {
  const body = ZNoteText.parse(text);
  await findCustomer(db, scope.businessId, customerId);
  const note = await db.transaction(async (tx) => {
    const [row] = await tx.insert(customerNotes).values({ businessId: scope.businessId, customerId, authorUserId: scope.userId, body }).returning();
    await writeAudit(tx, scope, { action: "customers.addNote", entityType: "customer", entityId: customerId, before: null, after: { noteId: row!.id } });
    return row!;
  });
  const [author] = scope.userId ? await db.select({ name: users.fullName }).from(users).where(eq(users.id, scope.userId)) : [];
  return { id: note.id, customerId, text: note.body, author: author?.name ?? null, authorUserId: note.authorUserId, at: note.createdAt.toISOString() };
}

/** Delete a note; only its author (or an admin) may. */
export async function deleteCustomerNote(db: TDb, scope: TScope, noteId: string, isAdmin: boolean): Promise<void> {
  const [note] = await db.select().from(customerNotes).where(and(eq(customerNotes.id, noteId), eq(customerNotes.businessId, scope.businessId)));
  if (!note) throw new AppError("NOT_FOUND", "note not found", { userMessage: "ההערה לא נמצאה" });
  if (!isAdmin && note.authorUserId !== scope.userId) throw new AppError("FORBIDDEN", "not the note's author", { userMessage: "אפשר למחוק רק הערות שכתבת" });
  await db.transaction(async (tx) => {
    await tx.delete(customerNotes).where(eq(customerNotes.id, noteId));
    await writeAudit(tx, scope, { action: "customers.deleteNote", entityType: "customer", entityId: note.customerId, before: { noteId, text: note.body }, after: null });
  });
}
