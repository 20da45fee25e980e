/**
 * The one way to write a viewing, for staff (tRPC appointments) and for the AI
 * (the book_viewing tool): the listing's and the agent's slot locks taken in
 * one order, an overlap check that explains the clash in Hebrew, the write and
 * its audit row, all inside the caller's transaction. The database backs it
 * with exclusion constraints (migration 0011), so even a writer that skipped
 * this service could not double-book; such a refusal maps to the same CONFLICT.
 */
import { and, eq, gt, inArray, lt, ne, or, sql, type SQL } from "drizzle-orm";
import { appointmentRequests } from "../../db/schema";
import { AppError } from "../kernel/errors";
import { formatDate, formatTime } from "../kernel/format";
import { isExclusionViolation } from "../kernel/db-errors";
import { writeAudit, type TDbOrTx } from "./write-audit";
import type { TScope } from "./scope";

export const ACTIVE_APPOINTMENT_STATUSES = ["requested", "confirmed"] as const;
type TStatus = (typeof appointmentRequests.$inferSelect)["status"];
export type TAppointmentRow = typeof appointmentRequests.$inferSelect;

/** Who holds a slot: a listing, an agent, or both. */
export interface TSlotHolders {
  propertyId: string | null;
  assignedUserId: string | null;
}

export interface TViewingValues extends TSlotHolders {
  customerId: string | null;
  callId: string | null;
  startsAt: Date;
  endsAt: Date;
  status: TStatus;
  notes: string | null;
}

const isActive = (s: TStatus) => (ACTIVE_APPOINTMENT_STATUSES as readonly string[]).includes(s);

/**
 * Serialise writers of the same listing or agent for the rest of the
 * transaction. Keys are taken in sorted order so two writers that need both
 * locks never deadlock; advisory locks are re-entrant within a session.
 */
export async function lockViewingSlots(tx: TDbOrTx, holders: TSlotHolders): Promise<void> {
  const keys = [holders.propertyId && `viewing:property:${holders.propertyId}`, holders.assignedUserId && `viewing:agent:${holders.assignedUserId}`]
    .filter((k): k is string => Boolean(k))
    .sort();
  for (const key of keys) await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${key}))`);
}

/**
 * The one Hebrew wording of a clash, for the dashboard's look before booking and for the refusal:
 * "כבר קיימת פגישה לנכס זה ב-06/01/2030 בין 10:00 ל-10:45" (each end with its date when it spans midnight).
 */
export function clashMessage(what: "property" | "agent", clash?: Pick<TAppointmentRow, "startsAt" | "endsAt">, tz = "Asia/Jerusalem"): string {
  const whom = what === "property" ? "לנכס זה" : "לנציג זה";
  if (!clash) return `כבר קיימת פגישה ${whom} בזמן הזה`;
  const clock = (d: Date) => formatTime(d, tz);
  const [from, to] = [formatDate(clash.startsAt, tz), formatDate(clash.endsAt, tz)];
  return from === to
    ? `כבר קיימת פגישה ${whom} ב-${from} בין ${clock(clash.startsAt)} ל-${clock(clash.endsAt)}`
    : `כבר קיימת פגישה ${whom} בין ${from} ${clock(clash.startsAt)} ל-${to} ${clock(clash.endsAt)}`;
}

function conflict(what: "property" | "agent", clash?: Pick<TAppointmentRow, "startsAt" | "endsAt">, tz = "Asia/Jerusalem"): AppError {
  return new AppError("CONFLICT", `appointment overlaps another ${what} viewing`, { userMessage: clashMessage(what, clash, tz) });
}

/** The first active viewing of the same listing or agent that overlaps [startsAt, endsAt), if any. */
export async function findClash(
  tx: TDbOrTx,
  businessId: string,
  a: TSlotHolders & { id?: string; startsAt: Date; endsAt: Date },
): Promise<TAppointmentRow | undefined> {
  const who: SQL[] = [];
  if (a.propertyId) who.push(eq(appointmentRequests.propertyId, a.propertyId));
  if (a.assignedUserId) who.push(eq(appointmentRequests.assignedUserId, a.assignedUserId));
  if (who.length === 0) return undefined;
  const where: SQL[] = [
    eq(appointmentRequests.businessId, businessId),
    inArray(appointmentRequests.status, [...ACTIVE_APPOINTMENT_STATUSES]),
    lt(appointmentRequests.startsAt, a.endsAt),
    gt(appointmentRequests.endsAt, a.startsAt),
    or(...who)!,
  ];
  if (a.id) where.push(ne(appointmentRequests.id, a.id));
  const [clash] = await tx.select().from(appointmentRequests).where(and(...where)).limit(1);
  return clash;
}

async function assertFree(tx: TDbOrTx, businessId: string, a: TSlotHolders & { id?: string; startsAt: Date; endsAt: Date; status: TStatus }) {
  if (!isActive(a.status)) return;
  await lockViewingSlots(tx, a);
  const clash = await findClash(tx, businessId, a);
  if (clash) throw conflict(a.propertyId && clash.propertyId === a.propertyId ? "property" : "agent", clash);
}

/** A constraint refusal (another writer got there first) becomes the same Hebrew CONFLICT. */
async function orConflict<T>(write: () => Promise<T>, holders: TSlotHolders): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isExclusionViolation(err)) throw conflict(holders.propertyId ? "property" : "agent");
    throw err;
  }
}

/**
 * Insert a viewing in `tx` after checking its slot; writes the audit row
 * (`via` says whether staff or the AI booked it). Throws CONFLICT (Hebrew) when
 * the listing or the agent is taken. Callers publish `appointment.booked` after commit.
 */
export async function insertViewing(tx: TDbOrTx, actor: TScope, v: TViewingValues, via: "staff" | "ai"): Promise<TAppointmentRow> {
  await assertFree(tx, actor.businessId, v);
  const [created] = await orConflict(() => tx.insert(appointmentRequests).values({ businessId: actor.businessId, ...v }).returning(), v);
  if (!created) throw new AppError("INTERNAL", "appointment insert returned nothing");
  await writeAudit(tx, actor, { action: "appointments.create", entityType: "appointment", entityId: created.id, after: { ...created, via } });
  return created;
}

/** Move, reassign or change the status of a viewing under the same rules; audited with before/after. */
export async function updateViewing(
  tx: TDbOrTx,
  actor: TScope,
  before: TAppointmentRow,
  next: TSlotHolders & { startsAt: Date; endsAt: Date; status: TStatus; notes?: string | null },
): Promise<TAppointmentRow> {
  await assertFree(tx, actor.businessId, { id: before.id, ...next });
  const { notes, ...rest } = next;
  const [after] = await orConflict(
    () =>
      tx
        .update(appointmentRequests)
        .set({ ...rest, ...(notes !== undefined ? { notes } : {}) })
        .where(and(eq(appointmentRequests.id, before.id), eq(appointmentRequests.businessId, actor.businessId)))
        .returning(),
    next,
  );
  if (!after) throw new AppError("NOT_FOUND", "appointment vanished", { userMessage: "הפגישה לא נמצאה" });
  await writeAudit(tx, actor, { action: "appointments.update", entityType: "appointment", entityId: before.id, before, after });
  return after;
}
