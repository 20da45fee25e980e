import type { TEnv } from "../../../env";
import { getSettings, updateSettings, ZSettings, ZSettingsPatch, type TEngineDefaults } from "../../services/settings/business-settings";
import { permissionProcedure, router, scopeOf, ZBusinessOverride } from "../init";

const p = permissionProcedure("settings");
const engineDefaults = (config: TEnv): TEngineDefaults => ({ voiceEngine: config.voiceEngine, realtimeAvailable: Boolean(config.openai.apiKey) });

export const settingsRouter = router({
  get: p
    .input(ZBusinessOverride.optional())
    .output(ZSettings)
    .query(({ ctx, input }) => getSettings(ctx.deps.dbh.db, scopeOf(ctx, input?.businessId), engineDefaults(ctx.deps.config))),

  update: p
    .input(ZBusinessOverride.extend(ZSettingsPatch.shape))
    .output(ZSettings)
    .mutation(async ({ ctx, input }) => {
      const { businessId, ...patch } = input;
      const saved = await updateSettings(ctx.deps.dbh.db, scopeOf(ctx, businessId), patch, engineDefaults(ctx.deps.config));
      // A new greeting text or voice: make the phone prompts now (cached by text + voice), not on the next call.
      if (patch.greetingText !== undefined || patch.voice !== undefined) {
        void ctx.deps.audio.warm(ctx.deps.dbh.db).catch((err: unknown) => ctx.deps.log.warn({ err }, "could not regenerate the phone prompts"));
      }
      return saved;
    }),
});
