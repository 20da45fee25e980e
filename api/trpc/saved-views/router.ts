import { z } from "zod";
import { deleteSavedView, listSavedViews, saveView, ZSavedView, ZSavedViewState, ZViewPage } from "../../services/saved-views/manage-saved-views";
import { router, scopeOf, staffProcedure, ZBusinessOverride } from "../init";
import { ZId } from "../schemas";

/** Saved table views, private to the signed-in user (per business and page). */
export const savedViewsRouter = router({
  list: staffProcedure
    .input(ZBusinessOverride.extend({ page: ZViewPage }))
    .output(z.array(ZSavedView))
    .query(({ ctx, input }) => listSavedViews(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), input.page)),

  save: staffProcedure
    .input(ZBusinessOverride.extend({ page: ZViewPage, name: z.string().trim().min(1, "יש לתת שם לתצוגה").max(80), state: ZSavedViewState }))
    .output(ZSavedView)
    .mutation(({ ctx, input }) => saveView(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), input)),

  delete: staffProcedure
    .input(ZBusinessOverride.extend({ id: ZId }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await deleteSavedView(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), input.id);
      return { ok: true as const };
    }),
});
