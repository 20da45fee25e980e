import { z } from "zod";
import { subscribeBusinessEvents } from "../../services/notifications/subscribe-events";
import { router, scopeOf, staffProcedure, ZBusinessOverride } from "../init";
import { zAsyncIterable } from "../z-async-iterable";

/** Wire schema of TKesherEvent (core/kernel/events.ts). */
export const ZKesherEvent = z.discriminatedUnion("type", [
  z.object({ type: z.literal("call.started"), businessId: z.string(), callId: z.string(), callSid: z.string(), from: z.string().nullable() }),
  z.object({ type: z.literal("call.updated"), businessId: z.string(), callId: z.string(), status: z.string() }),
  z.object({ type: z.literal("call.ended"), businessId: z.string(), callId: z.string(), durationSec: z.number().nullable() }),
  z.object({
    type: z.literal("call.turn"),
    businessId: z.string(),
    callId: z.string(),
    seq: z.number(),
    speaker: z.string(),
    text: z.string(),
  }),
  z.object({ type: z.literal("lead.created"), businessId: z.string(), customerId: z.string(), name: z.string().nullable() }),
  z.object({
    type: z.literal("whatsapp.message"),
    businessId: z.string(),
    customerId: z.string().nullable(),
    messageId: z.string(),
    direction: z.enum(["in", "out"]),
  }),
  z.object({ type: z.literal("appointment.booked"), businessId: z.string(), appointmentId: z.string(), startsAt: z.string() }),
  z.object({
    type: z.literal("task.reminder"),
    businessId: z.string(),
    taskId: z.string(),
    title: z.string(),
    dueAt: z.string().nullable(),
    assignedUserId: z.string().nullable(),
  }),
  z.object({
    type: z.literal("assigned"),
    businessId: z.string(),
    entity: z.enum(["customer", "task", "appointment"]),
    ids: z.array(z.string()),
    count: z.number(),
    title: z.string().nullable(),
    assignedUserId: z.string(),
    by: z.enum(["rules", "staff"]),
    byUserId: z.string().nullable(),
  }),
]);

export const notificationsRouter = router({
  /**
   * Live events of the caller's business over SSE (pinged every 3 s). Events
   * of other businesses never reach the stream.
   */
  onEvent: staffProcedure
    .input(ZBusinessOverride.optional())
    .output(zAsyncIterable(ZKesherEvent))
    .subscription(({ ctx, input, signal }) => {
      const scope = scopeOf(ctx, input?.businessId);
      ctx.log.debug({ businessId: scope.businessId }, "notifications subscribed");
      return subscribeBusinessEvents(ctx.deps.events, scope.businessId, signal);
    }),
});
