/**
 * Viewings. Booking checks for overlaps: the same property or the same agent
 * cannot have two active (requested/confirmed) viewings at the same time.
 */
import { and, asc, eq, gt, gte, inArray, lt, ne, or, sql, type SQL } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { appointmentRequests } from "../../../db/schema";
import { AppError } from "../../errors";
import type { TEventBus } from "../../lib/events";
import { writeAudit, type TDbOrTx } from "../audit/write-audit";
import type { TScope } from "../scope";
import { assertRefsInBusiness } from "../tenant-refs";
import { toAppointmentDto, type TAppointmentDto } from "./appointment-dto";

type TStatus = TAppointmentDto["status"];
const ACTIVE: TStatus[] = ["requested", "confirmed"];

export interface TAppointmentInput {
  customerId?: string | null;
  propertyId?: string | null;
  callId?: string | null;
  assignedUserId?: string | null;
  startsAt: string;
  endsAt: string;
  status?: TStatus;
  notes?: string | null;
}

const timeFmt = (d: Date, tz: string) =>
  new Intl.DateTimeFormat("he-IL", { timeZone: tz, dateStyle: "short", timeStyle: "short" }).format(d).replace(/\u200f/g, "");

function checkTimes(startsAt: Date, endsAt: Date) {
  if (Number.isNaN(startsAt.getTime()) || Number.isNaN(endsAt.getTime())) {
    throw new AppError("BAD_REQUEST", "bad time", { userMessage: "מועד הפגישה אינו תקין" });
  }
  if (endsAt <= startsAt) throw new AppError("BAD_REQUEST", "ends before start", { userMessage: "שעת הסיום חייבת להיות אחרי שעת ההתחלה" });
  if (endsAt.getTime() - startsAt.getTime() > 12 * 3600_000) {
    throw new AppError("BAD_REQUEST", "too long", { userMessage: "פגישה לא יכולה להימשך יותר מ-12 שעות" });
  }
}

async function assertNoConflict(
  db: TDbOrTx,
  scope: TScope,
  a: { id?: string; propertyId: string | null; assignedUserId: string | null; startsAt: Date; endsAt: Date },
) {
  const who: SQL[] = [];
  if (a.propertyId) who.push(eq(appointmentRequests.propertyId, a.propertyId));
  if (a.assignedUserId) who.push(eq(appointmentRequests.assignedUserId, a.assignedUserId));
  if (who.length === 0) return;
  // Serialise bookings of one business so two concurrent requests cannot both pass the check.
  await db.execute(sql`select pg_advisory_xact_lock(hashtext(${"appointments:" + scope.businessId}))`);
  const where: SQL[] = [
    eq(appointmentRequests.businessId, scope.businessId),
    inArray(appointmentRequests.status, ACTIVE),
    lt(appointmentRequests.startsAt, a.endsAt),
    gt(appointmentRequests.endsAt, a.startsAt),
    or(...who)!,
  ];
  if (a.id) where.push(ne(appointmentRequests.id, a.id));
  const [clash] = await db.select().from(appointmentRequests).where(and(...where)).limit(1);
  if (clash) {
    const what = a.propertyId && clash.propertyId === a.propertyId ? "לנכס זה" : "לנציג זה";
    throw new AppError("CONFLICT", "appointment overlaps", {
      userMessage: `כבר קיימת פגישה ${what} בין ${timeFmt(clash.startsAt, "Asia/Jerusalem")} ל-${timeFmt(clash.endsAt, "Asia/Jerusalem")}`,
    });
  }
}

export async function listAppointments(
  db: TDb,
  scope: TScope,
  f: { from?: string; to?: string; status?: TStatus; customerId?: string; propertyId?: string },
): Promise<TAppointmentDto[]> {
  const where: SQL[] = [eq(appointmentRequests.businessId, scope.businessId)];
  if (f.from) where.push(gte(appointmentRequests.startsAt, new Date(f.from)));
  if (f.to) where.push(lt(appointmentRequests.startsAt, new Date(f.to)));
  if (f.status) where.push(eq(appointmentRequests.status, f.status));
  if (f.customerId) where.push(eq(appointmentRequests.customerId, f.customerId));
  if (f.propertyId) where.push(eq(appointmentRequests.propertyId, f.propertyId));
  const rows = await db.select().from(appointmentRequests).where(and(...where)).orderBy(asc(appointmentRequests.startsAt)).limit(1000);
  return rows.map(toAppointmentDto);
}

/** Book a viewing; CONFLICT (Hebrew) when the property or agent is taken. Announces `appointment.booked`. */
export async function createAppointment(db: TDb, events: TEventBus, scope: TScope, input: TAppointmentInput): Promise<TAppointmentDto> {
  const startsAt = new Date(input.startsAt);
  const endsAt = new Date(input.endsAt);
  checkTimes(startsAt, endsAt);
  const row = await db.transaction(async (tx) => {
    await assertRefsInBusiness(tx, scope.businessId, input);
    const status = input.status ?? "requested";
    if (ACTIVE.includes(status)) {
      await assertNoConflict(tx, scope, { propertyId: input.propertyId ?? null, assignedUserId: input.assignedUserId ?? null, startsAt, endsAt });
    }
    const [created] = await tx
      .insert(appointmentRequests)
      .values({
        businessId: scope.businessId,
        customerId: input.customerId ?? null,
        propertyId: input.propertyId ?? null,
        callId: input.callId ?? null,
        assignedUserId: input.assignedUserId ?? null,
        startsAt,
        endsAt,
        status,
        notes: input.notes ?? null,
      })
      .returning();
    if (!created) throw new AppError("INTERNAL", "insert returned nothing");
    await writeAudit(tx, scope, { action: "appointments.create", entityType: "appointment", entityId: created.id, after: created });
    return created;
  });
  events.publish({ type: "appointment.booked", businessId: scope.businessId, appointmentId: row.id, startsAt: row.startsAt.toISOString() });
  return toAppointmentDto(row);
}

export async function updateAppointment(
  db: TDb,
  scope: TScope,
  id: string,
  patch: { status?: TStatus; startsAt?: string; endsAt?: string; notes?: string | null; assignedUserId?: string | null; propertyId?: string | null },
): Promise<TAppointmentDto> {
  const row = await db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(appointmentRequests)
      .where(and(eq(appointmentRequests.id, id), eq(appointmentRequests.businessId, scope.businessId)))
      .limit(1);
    if (!before) throw new AppError("NOT_FOUND", "appointment not found", { userMessage: "הפגישה לא נמצאה" });
    await assertRefsInBusiness(tx, scope.businessId, { assignedUserId: patch.assignedUserId, propertyId: patch.propertyId });
    const next = {
      startsAt: patch.startsAt ? new Date(patch.startsAt) : before.startsAt,
      endsAt: patch.endsAt ? new Date(patch.endsAt) : before.endsAt,
      status: patch.status ?? before.status,
      propertyId: patch.propertyId !== undefined ? patch.propertyId : before.propertyId,
      assignedUserId: patch.assignedUserId !== undefined ? patch.assignedUserId : before.assignedUserId,
    };
    checkTimes(next.startsAt, next.endsAt);
    if (ACTIVE.includes(next.status)) await assertNoConflict(tx, scope, { id, ...next });
    const [after] = await tx
      .update(appointmentRequests)
      .set({ ...next, ...(patch.notes !== undefined ? { notes: patch.notes } : {}) })
      .where(and(eq(appointmentRequests.id, id), eq(appointmentRequests.businessId, scope.businessId)))
      .returning();
    if (!after) throw new AppError("NOT_FOUND", "appointment vanished", { userMessage: "הפגישה לא נמצאה" });
    await writeAudit(tx, scope, { action: "appointments.update", entityType: "appointment", entityId: id, before, after });
    return after;
  });
  return toAppointmentDto(row);
}
