import { z } from "zod";
import { ZAppointment, ZAppointmentStatus } from "../../services/appointments/appointment-dto";
import { createAppointment, listAppointments, updateAppointment } from "../../services/appointments/manage-appointments";
import { checkViewingSlot, ZViewingSlotCheck } from "../../services/appointments/check-viewing-slot";
import { permissionProcedure, router, scopeOf, ZBusinessOverride } from "../init";
import { ZId } from "../schemas";

const p = permissionProcedure("appointments");
const ZWhen = z.iso.datetime({ offset: true, message: "מועד לא תקין" });

export const appointmentsRouter = router({
  list: p
    .input(
      ZBusinessOverride.extend({
        from: ZWhen.optional(),
        to: ZWhen.optional(),
        status: ZAppointmentStatus.optional(),
        customerId: ZId.optional(),
        propertyId: ZId.optional(),
        assignedUserId: ZId.optional(),
        /** "הצפיות שלי": viewings assigned to the signed-in user. */
        mine: z.boolean().optional(),
      }).optional(),
    )
    .output(z.array(ZAppointment))
    .query(({ ctx, input = {} }) =>
      listAppointments(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), input.mine ? { ...input, assignedUserId: ctx.user.id } : input),
    ),

  /** Before booking: opening-hours warning (closed day, Saturday) and an existing viewing at that time. Writes nothing. */
  checkSlot: p
    .input(
      ZBusinessOverride.extend({
        startsAt: ZWhen,
        endsAt: ZWhen,
        propertyId: ZId.nullable().optional(),
        assignedUserId: ZId.nullable().optional(),
      }),
    )
    .output(ZViewingSlotCheck)
    .query(({ ctx, input }) => {
      const { businessId, ...slot } = input;
      return checkViewingSlot(ctx.deps.dbh.db, scopeOf(ctx, businessId), slot);
    }),

  create: p
    .input(
      ZBusinessOverride.extend({
        customerId: ZId.nullable().optional(),
        propertyId: ZId.nullable().optional(),
        callId: ZId.nullable().optional(),
        assignedUserId: ZId.nullable().optional(),
        startsAt: ZWhen,
        endsAt: ZWhen,
        status: ZAppointmentStatus.optional(),
        notes: z.string().max(5000).nullable().optional(),
      }),
    )
    .output(ZAppointment)
    .mutation(({ ctx, input }) => {
      const { businessId, ...data } = input;
      return createAppointment(ctx.deps.dbh.db, ctx.deps.events, scopeOf(ctx, businessId), data);
    }),

  update: p
    .input(
      ZBusinessOverride.extend({
        id: ZId,
        status: ZAppointmentStatus.optional(),
        startsAt: ZWhen.optional(),
        endsAt: ZWhen.optional(),
        notes: z.string().max(5000).nullable().optional(),
        assignedUserId: ZId.nullable().optional(),
        propertyId: ZId.nullable().optional(),
      }),
    )
    .output(ZAppointment)
    .mutation(({ ctx, input }) => {
      const { businessId, id, ...patch } = input;
      return updateAppointment(ctx.deps.dbh.db, scopeOf(ctx, businessId), id, patch);
    }),
});
