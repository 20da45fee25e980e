/** Per-business AI and telephony settings (JSON on the business row + its phone numbers). */
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { TDb } from "../../../db/client";
import { businesses, type TBusinessSettings } from "../../../db/schema";
import { AppError } from "../../../core/kernel/errors";
import { writeAudit } from "../../../core/domain/write-audit";
import { isUniqueViolation, phoneOrThrow } from "../customers/customer-input";
import type { TScope } from "../../../core/domain/scope";

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const ZHours = z
  .object({ open: z.string().regex(HHMM, "שעה בפורמט HH:MM"), close: z.string().regex(HHMM, "שעה בפורמט HH:MM") })
  .refine((h) => h.open < h.close, { message: "שעת הסגירה חייבת להיות אחרי שעת הפתיחה" })
  .nullable();

export const ZSettingsPatch = z.object({
  systemPrompt: z.string().trim().max(8000).optional(),
  greetingText: z.string().trim().min(1, "יש להזין ברכה").max(500).optional(),
  voice: z.string().trim().max(100).optional(),
  /** "auto" (or null) clears the override: the business follows the server's VOICE_ENGINE. */
  voiceEngine: z.enum(["pipeline", "realtime", "auto"]).nullable().optional(),
  callMode: z.enum(["stream", "record"]).optional(),
  businessHours: z.partialRecord(z.enum(["0", "1", "2", "3", "4", "5", "6"]), ZHours).optional(),
  whatsappProvider: z.enum(["baileys", "twilio"]).optional(),
  endpointingMs: z.number().int().min(100).max(3000).optional(),
  phoneNumber: z.string().trim().max(40).nullable().optional(),
  agentPhone: z.string().trim().max(40).nullable().optional(),
});
export type TSettingsPatch = z.infer<typeof ZSettingsPatch>;

export const ZSettings = z.object({
  businessId: z.string(),
  systemPrompt: z.string().nullable(),
  greetingText: z.string().nullable(),
  voice: z.string().nullable(),
  /** The business override; null = follow the server. */
  voiceEngine: z.enum(["pipeline", "realtime"]).nullable(),
  /** The server's default (VOICE_ENGINE). */
  serverVoiceEngine: z.enum(["pipeline", "realtime"]),
  /** What calls of this business actually use now (override, else server; realtime needs an OpenAI key). */
  voiceEngineInEffect: z.enum(["pipeline", "realtime"]),
  callMode: z.enum(["stream", "record"]),
  businessHours: z.record(z.string(), z.object({ open: z.string(), close: z.string() }).nullable()),
  whatsappProvider: z.enum(["baileys", "twilio"]).nullable(),
  endpointingMs: z.number().nullable(),
  phoneNumber: z.string().nullable(),
  agentPhone: z.string().nullable(),
  timezone: z.string(),
});
export type TSettingsDto = z.infer<typeof ZSettings>;

export type TVoiceEngine = "pipeline" | "realtime";

/** What the server offers: its default engine and whether the Realtime engine can run (an OpenAI key). */
export interface TEngineDefaults {
  voiceEngine: TVoiceEngine;
  realtimeAvailable: boolean;
}

/**
 * The engine a call of this business runs on: the business override, else the
 * server default; Realtime without an OpenAI key falls back to the pipeline
 * (as the media server does).
 */
export function voiceEngineInEffect(override: TVoiceEngine | undefined | null, defaults: TEngineDefaults): TVoiceEngine {
  const wanted = override ?? defaults.voiceEngine;
  return wanted === "realtime" && !defaults.realtimeAvailable ? "pipeline" : wanted;
}

const NO_DEFAULTS: TEngineDefaults = { voiceEngine: "pipeline", realtimeAvailable: false };

function toSettingsDto(b: typeof businesses.$inferSelect, defaults: TEngineDefaults): TSettingsDto {
  const s = b.settings ?? {};
  return {
    businessId: b.id,
    systemPrompt: s.systemPrompt ?? null,
    greetingText: s.greetingText ?? null,
    voice: s.voice ?? null,
    voiceEngine: s.voiceEngine ?? null,
    serverVoiceEngine: defaults.voiceEngine,
    voiceEngineInEffect: voiceEngineInEffect(s.voiceEngine, defaults),
    callMode: s.callMode ?? "stream",
    businessHours: (s.businessHours ?? {}) as TSettingsDto["businessHours"],
    whatsappProvider: s.whatsappProvider ?? null,
    endpointingMs: s.endpointingMs ?? null,
    phoneNumber: b.phoneNumber,
    agentPhone: b.agentPhone,
    timezone: b.timezone,
  };
}

export async function getSettings(db: TDb, scope: TScope, defaults: TEngineDefaults = NO_DEFAULTS): Promise<TSettingsDto> {
  const [b] = await db.select().from(businesses).where(eq(businesses.id, scope.businessId)).limit(1);
  if (!b) throw new AppError("NOT_FOUND", "business not found", { userMessage: "העסק לא נמצא" });
  return toSettingsDto(b, defaults);
}

export async function updateSettings(db: TDb, scope: TScope, patch: TSettingsPatch, defaults: TEngineDefaults = NO_DEFAULTS): Promise<TSettingsDto> {
  const { phoneNumber, agentPhone, businessHours, voiceEngine, ...rest } = patch;
  try {
    return await db.transaction(async (tx) => {
      const [before] = await tx.select().from(businesses).where(eq(businesses.id, scope.businessId)).limit(1);
      if (!before) throw new AppError("NOT_FOUND", "business not found", { userMessage: "העסק לא נמצא" });
      const settings: TBusinessSettings = { ...before.settings, ...rest };
      if (voiceEngine === "auto" || voiceEngine === null) delete settings.voiceEngine;
      else if (voiceEngine) settings.voiceEngine = voiceEngine;
      if (businessHours) settings.businessHours = { ...(before.settings.businessHours ?? {}), ...businessHours };
      const set: Partial<typeof businesses.$inferInsert> = { settings };
      if (phoneNumber !== undefined) set.phoneNumber = phoneOrThrow(phoneNumber);
      if (agentPhone !== undefined) set.agentPhone = phoneOrThrow(agentPhone);
      const [after] = await tx.update(businesses).set(set).where(eq(businesses.id, scope.businessId)).returning();
      if (!after) throw new AppError("NOT_FOUND", "business vanished", { userMessage: "העסק לא נמצא" });
      await writeAudit(tx, scope, {
        action: "settings.update",
        entityType: "business",
        entityId: scope.businessId,
        before: { ...before.settings, phoneNumber: before.phoneNumber, agentPhone: before.agentPhone },
        after: { ...after.settings, phoneNumber: after.phoneNumber, agentPhone: after.agentPhone },
      });
      return toSettingsDto(after, defaults);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("CONFLICT", "phone taken", { userMessage: "מספר הטלפון כבר משויך לעסק אחר" });
    throw err;
  }
}
