/**
 * Saved table views ("segments"): a name plus the table's filters, sort and
 * visible columns, private to the user who saved it and scoped to the
 * business. Saving a name that exists on the page replaces that view.
 */
import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { TDb } from "../../../db/client";
import { savedViews } from "../../../db/schema";
import { AppError } from "../../../core/kernel/errors";
import type { TScope } from "../../../core/domain/scope";

export const VIEW_PAGES = ["customers", "calls", "properties", "viewings", "tasks", "invoices"] as const;
export const ZViewPage = z.enum(VIEW_PAGES);

const ZFilterValue = z.union([z.string().max(500), z.number(), z.boolean(), z.null()]);
export const ZSavedViewState = z.object({
  filters: z.record(z.string().max(50), ZFilterValue).refine((o) => Object.keys(o).length <= 30, "יותר מדי מסננים"),
  sort: z.object({ id: z.string().max(50), desc: z.boolean() }).nullable().optional(),
  columns: z.array(z.string().max(50)).max(50).optional(),
});

export const ZSavedView = z.object({
  id: z.string(),
  page: ZViewPage,
  name: z.string(),
  state: ZSavedViewState,
  createdAt: z.string(),
});
export type TSavedView = z.infer<typeof ZSavedView>;

const MAX_VIEWS_PER_PAGE = 50;

function userOf(scope: TScope): string {
  if (!scope.userId) throw new AppError("UNAUTHORIZED", "saved views need a user", { userMessage: "יש להתחבר כדי להמשיך" });
  return scope.userId;
}

function toDto(r: typeof savedViews.$inferSelect): TSavedView {
  return { id: r.id, page: r.page as TSavedView["page"], name: r.name, state: ZSavedViewState.parse(r.state), createdAt: r.createdAt.toISOString() };
}

export async function listSavedViews(db: TDb, scope: TScope, page: TSavedView["page"]): Promise<TSavedView[]> {
  const rows = await db
    .select()
    .from(savedViews)
    .where(and(eq(savedViews.businessId, scope.businessId), eq(savedViews.userId, userOf(scope)), eq(savedViews.page, page)))
    .orderBy(asc(savedViews.name));
  return rows.map(toDto);
}

export async function saveView(
  db: TDb,
  scope: TScope,
  input: { page: TSavedView["page"]; name: string; state: z.infer<typeof ZSavedViewState> },
): Promise<TSavedView> {
  const userId = userOf(scope);
  return db.transaction(async (tx) => {
    const mine = and(eq(savedViews.businessId, scope.businessId), eq(savedViews.userId, userId), eq(savedViews.page, input.page));
    const existing = await tx.select({ id: savedViews.id, name: savedViews.name }).from(savedViews).where(mine);
    const same = existing.find((v) => v.name === input.name);
    if (same) {
      const [row] = await tx.update(savedViews).set({ state: input.state }).where(eq(savedViews.id, same.id)).returning();
      return toDto(row!);
    }
    if (existing.length >= MAX_VIEWS_PER_PAGE) {
      throw new AppError("BAD_REQUEST", "too many views", { userMessage: `אפשר לשמור עד ${MAX_VIEWS_PER_PAGE} תצוגות בכל עמוד` });
    }
    const [row] = await tx.insert(savedViews).values({ businessId: scope.businessId, userId, page: input.page, name: input.name, state: input.state }).returning();
    return toDto(row!);
  });
}

/** Delete one of the user's own views (someone else's id looks exactly like a missing one). */
export async function deleteSavedView(db: TDb, scope: TScope, id: string): Promise<void> {
  const rows = await db
    .delete(savedViews)
    .where(and(eq(savedViews.id, id), eq(savedViews.businessId, scope.businessId), eq(savedViews.userId, userOf(scope))))
    .returning({ id: savedViews.id });
  if (rows.length === 0) throw new AppError("NOT_FOUND", "saved view not found", { userMessage: "התצוגה לא נמצאה" });
}
