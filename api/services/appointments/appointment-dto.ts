import { z } from "zod";
import { appointmentRequests } from "../../../db/schema";

export const APPOINTMENT_STATUSES = ["requested", "confirmed", "cancelled", "done", "no_show"] as const;
export const ZAppointmentStatus = z.enum(APPOINTMENT_STATUSES);

export const ZAppointment = z.object({
  id: z.string(),
  businessId: z.string(),
  customerId: z.string().nullable(),
  propertyId: z.string().nullable(),
  callId: z.string().nullable(),
  assignedUserId: z.string().nullable(),
  startsAt: z.string(),
  endsAt: z.string(),
  status: ZAppointmentStatus,
  notes: z.string().nullable(),
  createdAt: z.string(),
});
export type TAppointmentDto = z.infer<typeof ZAppointment>;

export function toAppointmentDto(a: typeof appointmentRequests.$inferSelect): TAppointmentDto {
  return {
    id: a.id,
    businessId: a.businessId,
    customerId: a.customerId,
    propertyId: a.propertyId,
    callId: a.callId,
    assignedUserId: a.assignedUserId,
    startsAt: a.startsAt.toISOString(),
    endsAt: a.endsAt.toISOString(),
    status: a.status,
    notes: a.notes,
    createdAt: a.createdAt.toISOString(),
  };
}
