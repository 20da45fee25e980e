/**
 * Everything that happened with one customer, newest first: calls (with
 * sentiment), WhatsApp/SMS messages, viewings (with the listing), tasks,
 * contracts, invoices, payments and notes (each note its own entry, with
 * author and time). One bounded query per kind, merged in order.
 */
import { and, desc, eq } from "drizzle-orm";
import { z } from "zod";
import type { TDb } from "../../../db/client";
import { appointmentRequests, callLogs, contracts, customerNotes, invoices, paymentLinks, properties, tasks, users, whatsappMessages } from "../../../db/schema";

export const ZTimelineItem = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("call"),
    at: z.string(),
    id: z.string(),
    status: z.string(),
    durationSec: z.number().nullable(),
    summary: z.string().nullable(),
    sentiment: z.string().nullable(),
    isTest: z.boolean(),
  }),
  z.object({
    kind: z.literal("whatsapp"),
    at: z.string(),
    id: z.string(),
    /** whatsapp or sms (one thread, two channels). */
    channel: z.string(),
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
    propertyTitle: z.string().nullable(),
  }),
  z.object({ kind: z.literal("contract"), at: z.string(), id: z.string(), title: z.string(), status: z.string() }),
  z.object({ kind: z.literal("invoice"), at: z.string(), id: z.string(), number: z.number(), type: z.string(), status: z.string(), totalAgorot: z.number() }),
  z.object({ kind: z.literal("payment"), at: z.string(), id: z.string(), status: z.string(), amountAgorot: z.number(), description: z.string().nullable() }),
  z.object({
    kind: z.literal("note"),
    at: z.string(),
    /** Null for the customer's older free-text notes field. */
    id: z.string().nullable(),
    text: z.string(),
    author: z.string().nullable(),
  }),
]);
export type TTimelineItem = z.infer<typeof ZTimelineItem>;

const PER_KIND = 100;

/** The timeline of `customerId` (already checked to belong to `businessId`). */
export async function customerTimeline(db: TDb, businessId: string, customerId: string, legacyNote: { text: string | null; at: Date }): Promise<TTimelineItem[]> {
  const b = businessId;
  const id = customerId;
  const [calls, messages, taskRows, appts, contractRows, invoiceRows, payments, notes] = await Promise.all([
    db.select().from(callLogs).where(and(eq(callLogs.businessId, b), eq(callLogs.customerId, id))).orderBy(desc(callLogs.startedAt)).limit(PER_KIND),
    db.select().from(whatsappMessages).where(and(eq(whatsappMessages.businessId, b), eq(whatsappMessages.customerId, id))).orderBy(desc(whatsappMessages.sentAt)).limit(PER_KIND),
    db.select().from(tasks).where(and(eq(tasks.businessId, b), eq(tasks.customerId, id))).orderBy(desc(tasks.createdAt)).limit(PER_KIND),
    db
      .select({ a: appointmentRequests, title: properties.title })
      .from(appointmentRequests)
      .leftJoin(properties, and(eq(properties.id, appointmentRequests.propertyId), eq(properties.businessId, appointmentRequests.businessId)))
      .where(and(eq(appointmentRequests.businessId, b), eq(appointmentRequests.customerId, id)))
      .orderBy(desc(appointmentRequests.startsAt))
      .limit(PER_KIND),
    db
      .select({ id: contracts.id, title: contracts.title, status: contracts.status, at: contracts.createdAt })
      .from(contracts)
      .where(and(eq(contracts.businessId, b), eq(contracts.customerId, id)))
      .orderBy(desc(contracts.createdAt))
      .limit(PER_KIND),
    db
      .select({ id: invoices.id, number: invoices.number, type: invoices.type, status: invoices.status, total: invoices.totalAgorot, at: invoices.createdAt })
      .from(invoices)
      .where(and(eq(invoices.businessId, b), eq(invoices.customerId, id)))
      .orderBy(desc(invoices.createdAt))
      .limit(PER_KIND),
    db.select().from(paymentLinks).where(and(eq(paymentLinks.businessId, b), eq(paymentLinks.customerId, id))).orderBy(desc(paymentLinks.createdAt)).limit(PER_KIND),
    db
      .select({ n: customerNotes, author: users.fullName })
      .from(customerNotes)
      .leftJoin(users, eq(users.id, customerNotes.authorUserId))
      .where(and(eq(customerNotes.businessId, b), eq(customerNotes.customerId, id)))
      .orderBy(desc(customerNotes.createdAt))
      .limit(PER_KIND),
  ]);
  const items: TTimelineItem[] = [
    ...calls.map((c) => ({ kind: "call" as const, at: c.startedAt.toISOString(), id: c.id, status: c.status, durationSec: c.durationSec, summary: c.summary, sentiment: c.sentiment, isTest: c.isTest })),
    ...messages.map((m) => ({ kind: "whatsapp" as const, at: m.sentAt.toISOString(), id: m.id, channel: m.provider === "sms" ? "sms" : "whatsapp", direction: m.direction, author: m.author, body: m.body })),
    ...taskRows.map((t) => ({ kind: "task" as const, at: t.createdAt.toISOString(), id: t.id, title: t.title, status: t.status, dueAt: t.dueAt?.toISOString() ?? null })),
    ...appts.map(({ a, title }) => ({ kind: "appointment" as const, at: a.createdAt.toISOString(), id: a.id, startsAt: a.startsAt.toISOString(), status: a.status, propertyId: a.propertyId, propertyTitle: title })),
    ...contractRows.map((c) => ({ kind: "contract" as const, at: c.at.toISOString(), id: c.id, title: c.title, status: c.status })),
    ...invoiceRows.map((i) => ({ kind: "invoice" as const, at: i.at.toISOString(), id: i.id, number: i.number, type: i.type, status: i.status, totalAgorot: i.total })),
    ...payments.map((p) => ({ kind: "payment" as const, at: (p.paidAt ?? p.createdAt).toISOString(), id: p.id, status: p.status, amountAgorot: p.amountAgorot, description: p.description })),
    ...notes.map(({ n, author }) => ({ kind: "note" as const, at: n.createdAt.toISOString(), id: n.id, text: n.body, author })),
    ...(legacyNote.text ? [{ kind: "note" as const, at: legacyNote.at.toISOString(), id: null, text: legacyNote.text, author: null }] : []),
  ];
  return items.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}
