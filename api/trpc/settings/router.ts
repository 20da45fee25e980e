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
    .mutation(async ({ ctx, input }) => {
      const { businessId, ...patch } = input;
      const saved = await updateSettings(ctx.deps.dbh.db, scopeOf(ctx, businessId), patch);
      // A new greeting text or voice: make the phone prompts now (cached by text + voice), not on the next call.
      if (patch.greetingText !== undefined || patch.voice !== undefined) {
        void ctx.deps.audio.warm(ctx.deps.dbh.db).catch((err: unknown) => ctx.deps.log.warn({ err }, "could not regenerate the phone prompts"));
      }
      return saved;
    }),
});
