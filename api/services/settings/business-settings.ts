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
  voiceEngine: z.enum(["pipeline", "realtime"]).optional(),
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
  voiceEngine: z.enum(["pipeline", "realtime"]).nullable(),
  callMode: z.enum(["stream", "record"]),
  businessHours: z.record(z.string(), z.object({ open: z.string(), close: z.string() }).nullable()),
  whatsappProvider: z.enum(["baileys", "twilio"]).nullable(),
  endpointingMs: z.number().nullable(),
  phoneNumber: z.string().nullable(),
  agentPhone: z.string().nullable(),
  timezone: z.string(),
});
export type TSettingsDto = z.infer<typeof ZSettings>;

function toSettingsDto(b: typeof businesses.$inferSelect): TSettingsDto {
  const s = b.settings ?? {};
  return {
    businessId: b.id,
    systemPrompt: s.systemPrompt ?? null,
    greetingText: s.greetingText ?? null,
    voice: s.voice ?? null,
    voiceEngine: s.voiceEngine ?? null,
    callMode: s.callMode ?? "stream",
    businessHours: (s.businessHours ?? {}) as TSettingsDto["businessHours"],
    whatsappProvider: s.whatsappProvider ?? null,
    endpointingMs: s.endpointingMs ?? null,
    phoneNumber: b.phoneNumber,
    agentPhone: b.agentPhone,
    timezone: b.timezone,
  };
}

export async function getSettings(db: TDb, scope: TScope): Promise<TSettingsDto> {
  const [b] = await db.select().from(businesses).where(eq(businesses.id, scope.businessId)).limit(1);
  if (!b) throw new AppError("NOT_FOUND", "business not found", { userMessage: "העסק לא נמצא" });
  return toSettingsDto(b);
}

export async function updateSettings(db: TDb, scope: TScope, patch: TSettingsPatch): Promise<TSettingsDto> {
  const { phoneNumber, agentPhone, businessHours, ...rest } = patch;
  try {
    return await db.transaction(async (tx) => {
      const [before] = await tx.select().from(businesses).where(eq(businesses.id, scope.businessId)).limit(1);
      if (!before) throw new AppError("NOT_FOUND", "business not found", { userMessage: "העסק לא נמצא" });
      const settings: TBusinessSettings = { ...before.settings, ...rest };
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
      return toSettingsDto(after);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError("CONFLICT", "phone taken", { userMessage: "מספר הטלפון כבר משויך לעסק אחר" });
    throw err;
  }
}
