/**
 * The unified inbox: one thread per customer who wrote on WhatsApp or
 * called, newest activity first, scoped to one business.
 */
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { customers, whatsappMessages } from "../../../db/schema";
import type { TScope } from "../../../core/domain/scope";

export interface TThreadSummary {
  customerId: string;
  name: string | null;
  phone: string | null;
  aiPaused: boolean;
  lastAt: Date;
  lastChannel: "whatsapp" | "call";
  lastText: string | null;
  lastDirection: "in" | "out" | null;
  /** Inbound WhatsApp messages newer than the last outbound one. */
  awaitingReply: number;
}

/** Digits to look for in an E.164 phone: "054-123" → "54123" (the national 0 is not stored). */
function phoneDigits(search: string): string {
  const digits = search.replace(/\D/g, "");
  if (!digits) return search;
  return digits.startsWith("0") ? digits.slice(1) : digits;
}

function rows<T>(result: unknown): T[] {
  return (Array.isArray(result) ? result : ((result as { rows?: T[] }).rows ?? [])) as T[];
}

export async function listThreads(db: TDb, scope: TScope, opts: { limit?: number; search?: string } = {}): Promise<TThreadSummary[]> {
  const limit = Math.min(opts.limit ?? 50, 200);
  const search = opts.search?.trim();
  const activity = rows<{ customer_id: string; last_at: string | Date; channel: "whatsapp" | "call" }>(
    await db.execute(sql`
      select distinct on (t.customer_id) t.customer_id, t.at as last_at, t.channel from (
        select customer_id, sent_at as at, 'whatsapp' as channel from whatsapp_messages
          where business_id = ${scope.businessId} and customer_id is not null
        union all
        select customer_id, started_at as at, 'call' as channel from call_logs
          where business_id = ${scope.businessId} and customer_id is not null
      ) t
      join customers c on c.id = t.customer_id and c.business_id = ${scope.businessId}
      ${search ? sql`where (c.full_name ilike ${`%${search}%`} or c.phone like ${`%${phoneDigits(search)}%`})` : sql``}
      order by t.customer_id, t.at desc`),
  )
    .map((r) => ({ customerId: r.customer_id, lastAt: new Date(r.last_at), channel: r.channel }))
    .sort((a, b) => b.lastAt.getTime() - a.lastAt.getTime())
    .slice(0, limit);
  if (activity.length === 0) return [];
  const ids = activity.map((a) => a.customerId);

  const people = await db
    .select({ id: customers.id, fullName: customers.fullName, phone: customers.phone, aiPaused: customers.aiPaused })
    .from(customers)
    .where(and(eq(customers.businessId, scope.businessId), inArray(customers.id, ids)));
  const byId = new Map(people.map((p) => [p.id, p]));

  const recent = await db
    .select({ customerId: whatsappMessages.customerId, body: whatsappMessages.body, mediaType: whatsappMessages.mediaType, direction: whatsappMessages.direction, at: whatsappMessages.sentAt })
    .from(whatsappMessages)
    .where(and(eq(whatsappMessages.businessId, scope.businessId), inArray(whatsappMessages.customerId, ids)))
    .orderBy(desc(whatsappMessages.sentAt))
    .limit(ids.length * 20);
  const perCustomer = new Map<string, typeof recent>();
  for (const m of recent) {
    const list = perCustomer.get(m.customerId!) ?? [];
    list.push(m);
    perCustomer.set(m.customerId!, list);
  }

  return activity.flatMap((a) => {
    const person = byId.get(a.customerId);
    if (!person) return [];
    const msgs = perCustomer.get(a.customerId) ?? [];
    const last = msgs[0];
    const firstOut = msgs.findIndex((m) => m.direction === "out");
    return [
      {
        customerId: a.customerId,
        name: person.fullName,
        phone: person.phone,
        aiPaused: person.aiPaused,
        lastAt: a.lastAt,
        lastChannel: a.channel,
        lastText: last ? (last.body ?? (last.mediaType ? `[${last.mediaType}]` : null)) : null,
        lastDirection: last?.direction ?? null,
        awaitingReply: firstOut === -1 ? msgs.length : firstOut,
      },
    ];
  });
}
