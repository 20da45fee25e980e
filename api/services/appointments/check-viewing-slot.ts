/**
 * A look before booking a viewing: is the business open then (settings
 * businessHours, business timezone; with no hours set, Saturday still warns),
 * and does the listing or agent already have a viewing then? Nothing is
 * written and nothing is refused here: the dashboard shows the warning and the
 * booking itself goes through book-appointment.ts, which refuses a clash.
 */
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { TDb } from "../../../db/client";
import { businesses } from "../../../db/schema";
import { clashMessage, findClash } from "../../../core/domain/book-appointment";
import type { TScope } from "../../../core/domain/scope";
import { localParts } from "../../../core/conversation/brain/hebrew-time";
import { assertRefsInBusiness } from "../tenant-refs";

const DAY_NAMES = ["ראשון", "שני", "שלישי", "רביעי", "חמישי", "שישי", "שבת"] as const;

export const ZViewingSlotCheck = z.object({
  /** Hebrew warning when the time is outside opening hours or on a closed day (null = fine). */
  hoursWarning: z.string().nullable(),
  /** Hebrew description of an existing viewing at that time for the listing or agent (null = free). */
  clash: z.string().nullable(),
});
export type TViewingSlotCheck = z.infer<typeof ZViewingSlotCheck>;

const toMin = (hhmm: string) => {
  const [h, m] = hhmm.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};

/** The opening-hours warning for [startsAt, endsAt) in the business's timezone, or null. Pure. */
export function hoursWarningFor(
  startsAt: Date,
  endsAt: Date,
  hours: Partial<Record<string, { open: string; close: string } | null>> | undefined,
  tz: string,
): string | null {
  const p = localParts(startsAt, tz);
  const dayName = DAY_NAMES[p.weekday] ?? "";
  if (!hours || Object.keys(hours).length === 0) {
    return p.weekday === 6 ? "המועד שנבחר הוא ביום שבת. לקבוע בכל זאת?" : null;
  }
  const day = hours[String(p.weekday)];
  if (!day) return `העסק סגור ביום ${dayName} (לפי שעות הפעילות בהגדרות). לקבוע בכל זאת?`;
  const start = p.hour * 60 + p.minute;
  const end = start + Math.round((endsAt.getTime() - startsAt.getTime()) / 60_000);
  if (start < toMin(day.open) || end > toMin(day.close)) {
    return `המועד מחוץ לשעות הפעילות של יום ${dayName} (${day.open}–${day.close}). לקבוע בכל זאת?`;
  }
  return null;
}

export async function checkViewingSlot(
  db: TDb,
  scope: TScope,
  input: { startsAt: string; endsAt: string; propertyId?: string | null; assignedUserId?: string | null },
): Promise<TViewingSlotCheck> {
  const startsAt = new Date(input.startsAt);
  const endsAt = new Date(input.endsAt);
  await assertRefsInBusiness(db, scope.businessId, { propertyId: input.propertyId, assignedUserId: input.assignedUserId });
  const [biz] = await db.select({ settings: businesses.settings, timezone: businesses.timezone }).from(businesses).where(eq(businesses.id, scope.businessId));
  const tz = biz?.timezone || "Asia/Jerusalem";
  const found = await findClash(db, scope.businessId, { propertyId: input.propertyId ?? null, assignedUserId: input.assignedUserId ?? null, startsAt, endsAt });
  return {
    hoursWarning: hoursWarningFor(startsAt, endsAt, biz?.settings?.businessHours, tz),
    clash: found ? clashMessage(found.propertyId && found.propertyId === input.propertyId ? "property" : "agent", found, tz) : null,
  };
}
