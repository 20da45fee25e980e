/**
 * book_viewing: a viewing of one listing at a given time. Tenant-checked (the
 * property must belong to the conversation's business), inside the business's
 * opening hours (settings.businessHours, business timezone), written through the
 * one booking service staff use too (same slot lock, overlap check, audit row,
 * database exclusion constraint), links/creates the lead, and announces
 * `appointment.booked` on the event bus for staff.
 */
import { and, asc, eq, gt, inArray, lt } from "drizzle-orm";
import { z } from "zod";
import { AppError } from "../../../kernel/errors";
import { ACTIVE_APPOINTMENT_STATUSES, insertViewing, lockViewingSlots } from "../../../domain/book-appointment";
import { appointmentRequests, businesses, properties, type TBusinessSettings } from "../../../../db/schema";
import { DEFAULT_TZ, localParts, zonedDate } from "../hebrew-time";
import { upsertLead } from "./upsert-lead";
import type { TToolDataDeps, TToolScope } from "./types";

export const ZBookViewingArgs = z.object({
  propertyId: z.uuid().describe("id of a listing returned by search_properties"),
  startsAt: z.string().max(40).describe("ISO 8601 date-time, e.g. 2026-11-26T17:00:00+02:00 (without an offset it is read as the business's local time)"),
  customerName: z.string().trim().min(1).max(120).optional(),
  durationMinutes: z.number().int().min(15).max(180).optional(),
  notes: z.string().max(1000).optional(),
});
export type TBookViewingArgs = z.infer<typeof ZBookViewingArgs>;

export type TBookViewingResult =
  | { booked: true; appointmentId: string; propertyId: string; propertyTitle: string; startsAt: string; endsAt: string; customerId: string }
  | { booked: false; reason: "conflict" | "closed"; propertyId: string; requestedStartsAt: string; alternativeStartsAt: string | null };

const SLOT_MS = 30 * 60_000;
/** How far ahead an alternative slot is searched. */
const SEARCH_DAYS = 14;

/** True when [start, start+duration) lies inside the opening hours of its local day (no hours configured = always open). */
export function withinBusinessHours(start: Date, durationMs: number, hours: TBusinessSettings["businessHours"], tz: string): boolean {
  if (!hours) return true;
  const p = localParts(start, tz);
  const day = hours[String(p.weekday) as keyof typeof hours];
  if (!day) return false;
  const toMin = (hhmm: string) => {
    const [h, m] = hhmm.split(":").map(Number);
    return (h ?? 0) * 60 + (m ?? 0);
  };
  const startMin = p.hour * 60 + p.minute;
  return startMin >= toMin(day.open) && startMin + durationMs / 60_000 <= toMin(day.close);
}

/**
 * An ISO time with an offset is an instant; without one ("2026-11-26T17:00",
 * as models and people write it) it is wall-clock time in the business timezone,
 * never the server's.
 */
export function parseStartsAt(value: string, tz: string): Date {
  const local = value.trim().match(/^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$/);
  const date = local ? zonedDate(Number(local[1]), Number(local[2]), Number(local[3]), Number(local[4]), Number(local[5]), tz) : new Date(value);
  if (Number.isNaN(date.getTime())) throw new AppError("BAD_REQUEST", `startsAt is not a valid date: ${value}`);
  return date;
}

export async function bookViewing(deps: TToolDataDeps, scope: TToolScope, raw: TBookViewingArgs): Promise<TBookViewingResult> {
  const args = ZBookViewingArgs.parse(raw);
  const [biz] = await deps.db.select({ timezone: businesses.timezone }).from(businesses).where(eq(businesses.id, scope.businessId));
  const startsAt = parseStartsAt(args.startsAt, biz?.timezone || scope.timezone || DEFAULT_TZ);
  const now = scope.now?.() ?? new Date();
  if (startsAt.getTime() < now.getTime()) throw new AppError("BAD_REQUEST", "startsAt is in the past");
  const durationMs = (args.durationMinutes ?? 30) * 60_000;
  const endsAt = new Date(startsAt.getTime() + durationMs);

  let publishLead = () => {};
  const result = await deps.db.transaction(async (tx) => {
    const [property] = await tx
      .select({ id: properties.id, title: properties.title, settings: businesses.settings, timezone: businesses.timezone })
      .from(properties)
      .innerJoin(businesses, eq(businesses.id, properties.businessId))
      .where(and(eq(properties.id, args.propertyId), eq(properties.businessId, scope.businessId)));
    if (!property) throw new AppError("NOT_FOUND", "property not found in this business");
    const tz = property.timezone || scope.timezone || DEFAULT_TZ;
    const hours = property.settings.businessHours;

    // The listing's slot lock (the same one staff bookings take), held until commit,
    // so the free-slot search below can't race another booking.
    await lockViewingSlots(tx, { propertyId: property.id, assignedUserId: null });
    const busy = await tx
      .select({ startsAt: appointmentRequests.startsAt, endsAt: appointmentRequests.endsAt })
      .from(appointmentRequests)
      .where(
        and(
          eq(appointmentRequests.propertyId, property.id),
          inArray(appointmentRequests.status, [...ACTIVE_APPOINTMENT_STATUSES]),
          gt(appointmentRequests.endsAt, startsAt),
          lt(appointmentRequests.startsAt, new Date(startsAt.getTime() + (SEARCH_DAYS + 1) * 86_400_000)),
        ),
      )
      .orderBy(asc(appointmentRequests.startsAt));
    const overlaps = (s: number) => busy.some((b) => b.startsAt.getTime() < s + durationMs && b.endsAt.getTime() > s);
    const open = (s: number) => withinBusinessHours(new Date(s), durationMs, hours, tz);
    const closed = !open(startsAt.getTime());
    if (closed || overlaps(startsAt.getTime())) {
      // Next free slot on a half-hour grid after the requested time, inside opening hours.
      const limit = startsAt.getTime() + SEARCH_DAYS * 86_400_000;
      let candidate: number | null = Math.ceil((startsAt.getTime() + 1) / SLOT_MS) * SLOT_MS;
      while (candidate !== null && (!open(candidate) || overlaps(candidate))) {
        candidate += SLOT_MS;
        if (candidate > limit) candidate = null;
      }
      return {
        booked: false as const,
        reason: closed ? ("closed" as const) : ("conflict" as const),
        propertyId: property.id,
        requestedStartsAt: startsAt.toISOString(),
        alternativeStartsAt: candidate === null ? null : new Date(candidate).toISOString(),
      };
    }

    const lead = await upsertLead(deps, scope, { name: args.customerName, status: "viewing" }, tx);
    publishLead = lead.publish;
    const row = await insertViewing(
      tx,
      { businessId: scope.businessId, userId: null, ip: null },
      {
        customerId: lead.customerId,
        propertyId: property.id,
        assignedUserId: null,
        callId: scope.callId ?? null,
        startsAt,
        endsAt,
        status: "requested",
        notes: args.notes ?? `נקבע ע״י העוזרת הדיגיטלית (${scope.channel === "whatsapp" ? "וואטסאפ" : "שיחה"})`,
      },
      "ai",
    );
    return {
      booked: true as const,
      appointmentId: row.id,
      propertyId: property.id,
      propertyTitle: property.title,
      startsAt: startsAt.toISOString(),
      endsAt: endsAt.toISOString(),
      customerId: lead.customerId,
    };
  });

  if (result.booked) {
    publishLead();
    deps.events.publish({ type: "appointment.booked", businessId: scope.businessId, appointmentId: result.appointmentId, startsAt: result.startsAt });
    deps.log.info({ businessId: scope.businessId, appointmentId: result.appointmentId, propertyId: result.propertyId }, "viewing booked");
  } else {
    deps.log.info({ businessId: scope.businessId, propertyId: result.propertyId, reason: result.reason }, "viewing slot unavailable, alternative proposed");
  }
  return result;
}
