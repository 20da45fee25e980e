import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import type { TDb } from "../../../db/client";
import { appointmentRequests, callLogs, tasks, whatsappMessages } from "../../../db/schema";
import type { TScope } from "../scope";
import { toCustomerDto, ZCustomer } from "./customer-dto";
import { findCustomer } from "./customer-input";

export const ZTimelineItem = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("call"),
    at: z.string(),
    id: z.string(),
    status: z.string(),
    durationSec: z.number().nullable(),
    summary: z.string().nullable(),
  }),
  z.object({
    kind: z.literal("whatsapp"),
    at: z.string(),
    id: z.string(),
    direction: z.enum(["in", "out"]),
    author: z.string(),
    body: z.string().nullable(),
  }),
  z.object({ kind: z.literal("task"), at: z.string(), id: z.string(), title: z.string(), status: z.string(), dueAt: z.string().nullable() }),
  z.object({
    kind: z.literal("appointment"),
    at: z.string(),
    id: z.string(),
    startsAt: z.string(),
    status: z.string(),
    propertyId: z.string().nullable(),
  }),
  z.object({ kind: z.literal("note"), at: z.string(), text: z.string() }),
]);
export type TTimelineItem = z.infer<typeof ZTimelineItem>;

export const ZCustomerDetail = z.object({ customer: ZCustomer, timeline: z.array(ZTimelineItem) });

const PER_KIND = 100;

/** A customer with everything that happened with them, newest first. */
export async function getCustomer(db: TDb, scope: TScope, id: string): Promise<z.infer<typeof ZCustomerDetail>> {
  const customer = await findCustomer(db, scope.businessId, id);
  const b = scope.businessId;
  const [calls, messages, taskRows, appts] = await Promise.all([
    db.select().from(callLogs).where(and(eq(callLogs.businessId, b), eq(callLogs.customerId, id))).orderBy(desc(callLogs.startedAt)).limit(PER_KIND),
    db.select().from(whatsappMessages).where(and(eq(whatsappMessages.businessId, b), eq(whatsappMessages.customerId, id))).orderBy(desc(whatsappMessages.sentAt)).limit(PER_KIND),
    db.select().from(tasks).where(and(eq(tasks.businessId, b), eq(tasks.customerId, id))).orderBy(desc(tasks.createdAt)).limit(PER_KIND),
    db.select().from(appointmentRequests).where(and(eq(appointmentRequests.businessId, b), eq(appointmentRequests.customerId, id))).orderBy(desc(appointmentRequests.startsAt)).limit(PER_KIND),
  ]);
  const timeline: TTimelineItem[] = [
    ...calls.map((c) => ({
      kind: "call" as const,
      at: c.startedAt.toISOString(),
      id: c.id,
      status: c.status,
      durationSec: c.durationSec,
      summary: c.summary,
    })),
    ...messages.map((m) => ({
      kind: "whatsapp" as const,
      at: m.sentAt.toISOString(),
      id: m.id,
      direction: m.direction,
      author: m.author,
      body: m.body,
    })),
    ...taskRows.map((t) => ({
      kind: "task" as const,
      at: t.createdAt.toISOString(),
      id: t.id,
      title: t.title,
      status: t.status,
      dueAt: t.dueAt?.toISOString() ?? null,
    })),
    ...appts.map((a) => ({
      kind: "appointment" as const,
      at: a.createdAt.toISOString(),
      id: a.id,
      startsAt: a.startsAt.toISOString(),
      status: a.status,
      propertyId: a.propertyId,
    })),
    ...(customer.notes ? [{ kind: "note" as const, at: customer.updatedAt.toISOString(), text: customer.notes }] : []),
  ];
  timeline.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return { customer: toCustomerDto(customer), timeline };
}
