/** zod pieces shared by several routers. Dates travel as ISO strings. */
import { z } from "zod";
import { PERMISSIONS } from "../../db/schema";

export const ZIso = z.string();
export const ZIsoNullable = z.string().nullable();
export const ZPermission = z.enum(PERMISSIONS);
export const ZRole = z.enum(["admin", "business"]);
export const ZPassword = z.string().min(8, "הסיסמה חייבת להכיל לפחות 8 תווים").max(200);
export const ZEmail = z.email("כתובת אימייל לא תקינה").max(200);
export const ZCursor = z.string().max(200).optional();
export const ZLimit = z.number().int().min(1).max(200).optional();
export const ZId = z.uuid("מזהה לא תקין");

/** Date or null → ISO string or null. */
export function iso(d: Date | null | undefined): string | null {
  return d ? d.toISOString() : null;
}

export const ZSessionUser = z.object({
  id: z.string(),
  email: z.string(),
  fullName: z.string(),
  role: ZRole,
  permissions: z.array(ZPermission),
  businessId: z.string().nullable(),
});
export type TSessionUserOut = z.infer<typeof ZSessionUser>;
