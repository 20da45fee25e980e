import { getSettings, updateSettings, ZSettings, ZSettingsPatch } from "../../services/settings/business-settings";
import { permissionProcedure, router, scopeOf, ZBusinessOverride } from "../init";

const p = permissionProcedure("settings");

export const settingsRouter = router({
  get: p
    .input(ZBusinessOverride.optional())
    .output(ZSettings)
    .query(({ ctx, input }) => getSettings(ctx.deps.dbh.db, scopeOf(ctx, input?.businessId))),

  update: p
    .input(ZBusinessOverride.extend(ZSettingsPatch.shape))
    .output(ZSettings)
    .mutation(({ ctx, input }) => {
      const { businessId, ...patch } = input;
      return updateSettings(ctx.deps.dbh.db, scopeOf(ctx, businessId), patch);
    }),
});
