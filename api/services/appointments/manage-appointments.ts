/**
 * Viewings from the dashboard. Every write goes through book-appointment.ts,
 * the same service the AI books with: the same listing or agent cannot have
 * two active (requested/confirmed) viewings at the same time.
 */
import { and, asc, eq, gte, lt, type SQL } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { appointmentRequests } from "../../../db/schema";
import { AppError } from "../../../core/kernel/errors";
import type { TEventBus } from "../../../core/kernel/events";
import type { TScope } from "../../../core/domain/scope";
import { assertRefsInBusiness } from "../tenant-refs";
import { toAppointmentDto, type TAppointmentDto } from "./appointment-dto";
import { insertViewing, updateViewing } from "../../../core/domain/book-appointment";

type TStatus = TAppointmentDto["status"];

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

function checkTimes(startsAt: Date, endsAt: Date) {
  if (Number.isNaN(startsAt.getTime()) || Number.isNaN(endsAt.getTime())) {
    throw new AppError("BAD_REQUEST", "bad time", { userMessage: "מועד הפגישה אינו תקין" });
  }
  if (endsAt <= startsAt) throw new AppError("BAD_REQUEST", "ends before start", { userMessage: "שעת הסיום חייבת להיות אחרי שעת ההתחלה" });
  if (endsAt.getTime() - startsAt.getTime() > 12 * 3600_000) {
    throw new AppError("BAD_REQUEST", "too long", { userMessage: "פגישה לא יכולה להימשך יותר מ-12 שעות" });
  }
}

export async function listAppointments(
  db: TDb,
  scope: TScope,
  f: { from?: string; to?: string; status?: TStatus; customerId?: string; propertyId?: string; assignedUserId?: string },
): Promise<TAppointmentDto[]> {
  const where: SQL[] = [eq(appointmentRequests.businessId, scope.businessId)];
  if (f.from) where.push(gte(appointmentRequests.startsAt, new Date(f.from)));
  if (f.to) where.push(lt(appointmentRequests.startsAt, new Date(f.to)));
  if (f.status) where.push(eq(appointmentRequests.status, f.status));
  if (f.customerId) where.push(eq(appointmentRequests.customerId, f.customerId));
  if (f.propertyId) where.push(eq(appointmentRequests.propertyId, f.propertyId));
  if (f.assignedUserId) where.push(eq(appointmentRequests.assignedUserId, f.assignedUserId));
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
    return insertViewing(
      tx,
      scope,
      {
        customerId: input.customerId ?? null,
        propertyId: input.propertyId ?? null,
        callId: input.callId ?? null,
        assignedUserId: input.assignedUserId ?? null,
        startsAt,
        endsAt,
        status: input.status ?? "requested",
        notes: input.notes ?? null,
      },
      "staff",
    );
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
    return updateViewing(tx, scope, before, { ...next, ...(patch.notes !== undefined ? { notes: patch.notes } : {}) });
  });
  return toAppointmentDto(row);
}
