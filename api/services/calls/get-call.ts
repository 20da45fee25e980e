import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import type { TDb } from "../../../db/client";
import { appointmentRequests, callLogs, conversationTurns, customers } from "../../../db/schema";
import { AppError } from "../../../core/kernel/errors";
import { toCustomerDto, ZCustomer } from "../customers/customer-dto";
import type { TScope } from "../../../core/domain/scope";
import { toCallDto, toTurnDto, ZCall, ZTurn } from "./call-dto";
import { toAppointmentDto, ZAppointment } from "../appointments/appointment-dto";

export const ZCallDetail = z.object({
  call: ZCall,
  turns: z.array(ZTurn),
  customer: ZCustomer.nullable(),
  appointments: z.array(ZAppointment),
});

/** One call of the business with its transcript, caller and booked viewings. */
export async function getCall(db: TDb, scope: TScope, id: string): Promise<z.infer<typeof ZCallDetail>> {
  const [call] = await db
    .select()
    .from(callLogs)
    .where(and(eq(callLogs.id, id), eq(callLogs.businessId, scope.businessId)))
    .limit(1);
  if (!call) throw new AppError("NOT_FOUND", "call not found", { userMessage: "השיחה לא נמצאה" });
  const [turns, customerRows, appts] = await Promise.all([
    db
      .select()
      .from(conversationTurns)
      .where(and(eq(conversationTurns.callId, id), eq(conversationTurns.businessId, scope.businessId)))
      .orderBy(asc(conversationTurns.seq)),
    call.customerId
      ? db
          .select()
          .from(customers)
          .where(and(eq(customers.id, call.customerId), eq(customers.businessId, scope.businessId)))
          .limit(1)
      : Promise.resolve([]),
    db
      .select()
      .from(appointmentRequests)
      .where(and(eq(appointmentRequests.callId, id), eq(appointmentRequests.businessId, scope.businessId)))
      .orderBy(asc(appointmentRequests.startsAt)),
  ]);
  const customer = customerRows[0] ?? null;
  return {
    call: toCallDto(call, customer?.fullName ?? null),
    turns: turns.map(toTurnDto),
    customer: customer ? toCustomerDto(customer) : null,
    appointments: appts.map(toAppointmentDto),
  };
}
