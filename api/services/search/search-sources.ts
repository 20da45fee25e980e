/**
 * One query per kind of record for the global search. Every match is an
 * exact substring of a stored, normalised, trigram-indexed column (or of a
 * small table), on the variants `planQuery` produced; test calls and their
 * leads stay out unless asked for.
 */
import { and, desc, eq, inArray, ne, or, sql, type SQL } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { callLogs, contracts, conversationTurns, customers, invoices, properties, whatsappMessages } from "../../../db/schema";
import { escapeLike, normSql } from "./hebrew-text";
import { newestIds } from "./newest-matches";
import type { TQueryPlan } from "./plan-query";
import type { TSearchHit } from "./search-dto";

export interface TSourceArgs {
  db: TDb;
  businessId: string;
  plan: TQueryPlan;
  limit: number;
  includeTest: boolean;
}

/** `col` contains any of the plan's variants (exact, normalised substring). */
export function matchesAny(col: SQL | SQL.Aliased | unknown, variants: string[]): SQL {
  return or(...variants.map((v) => sql`${col} like ${"%" + escapeLike(v) + "%"}`))!;
}

const iso = (d: Date | string | null) => (d ? new Date(d).toISOString() : null);
const clip = (s: string | null, n = 120) => (s && s.length > n ? `${s.slice(0, n - 1)}…` : s);

export async function searchCustomers({ db, businessId, plan, limit, includeTest }: TSourceArgs): Promise<TSearchHit[]> {
  const byDoc = matchesAny(customers.searchDoc, plan.variants);
  const byWants = matchesAny(customers.reqPlaces, plan.variants);
  const parts = [byDoc, byWants];
  if (plan.digits) parts.push(sql`${customers.phoneDigits} like ${"%" + plan.digits + "%"}`);
  const base = and(eq(customers.businessId, businessId), includeTest ? undefined : eq(customers.isTest, false))!;
  const ids = await newestIds<string>(db, { table: customers, id: customers.id, at: customers.createdAt }, base, or(...parts)!, limit);
  if (!ids.length) return [];
  const rows = await db
    .select({ c: customers, byDoc: sql<boolean>`coalesce(${byDoc}, false)`, byWants: sql<boolean>`coalesce(${byWants}, false)` })
    .from(customers)
    .where(and(eq(customers.businessId, businessId), inArray(customers.id, ids)))
    .orderBy(desc(customers.createdAt), desc(customers.id));
  return rows.map(({ c, byDoc: doc, byWants: wants }) => {
    const places = [...(c.requirements.cities ?? []), ...(c.requirements.neighborhoods ?? [])];
    const deal = c.requirements.dealType === "rent" ? "שוכר/ת" : c.requirements.dealType === "sale" ? "קונה" : "מחפש/ת";
    return {
      kind: "customer" as const,
      id: c.id,
      title: c.fullName ?? c.phone ?? "לקוח ללא שם",
      subtitle: c.phone,
      snippet: wants && !doc && places.length ? `${deal} ב${places.join(", ")}` : clip(c.notes),
      at: iso(c.updatedAt),
      customerId: c.id,
      // The name itself matching ranks above a match in notes or wishes.
      score: nameBonus(c.fullName, plan) + (doc || wants ? 1 : 0.9),
    };
  });
}

function nameBonus(title: string | null, plan: TQueryPlan): number {
  if (!title) return 0;
  const t = title.toLowerCase().replace(/[-\u05BE]/g, " ");
  return plan.variants.some((v) => t.startsWith(v)) ? 0.3 : plan.variants.some((v) => t.includes(v)) ? 0.2 : 0;
}

/** Turns a search may hit: this business's, never tool turns (raw JSON for the agent, rough edge #17). */
export function turnBase(businessId: string): SQL {
  return and(eq(conversationTurns.businessId, businessId), ne(conversationTurns.speaker, "tool"))!;
}

/**
 * A turn matches the variants, and is not from a test call unless asked. The test check is a
 * per-row lookup written after the text match, so it runs only for turns whose text matched.
 */
export function turnMatch(variants: string[], includeTest: boolean): SQL {
  const text = matchesAny(conversationTurns.textNorm, variants);
  if (includeTest) return text;
  return sql`(${text} and coalesce((select not ${callLogs.isTest} from ${callLogs} where ${callLogs.id} = ${conversationTurns.callId}), false))`;
}

export async function searchCalls({ db, businessId, plan, limit, includeTest }: TSourceArgs): Promise<TSearchHit[]> {
  const callBase = and(eq(callLogs.businessId, businessId), includeTest ? undefined : eq(callLogs.isTest, false))!;
  const [callIds, turnIds] = await Promise.all([
    newestIds<string>(db, { table: callLogs, id: callLogs.id, at: callLogs.startedAt }, callBase, matchesAny(callLogs.summaryNorm, plan.variants), limit),
    newestIds<number>(db, { table: conversationTurns, id: conversationTurns.id, at: conversationTurns.id }, turnBase(businessId), turnMatch(plan.variants, includeTest), limit * 3),
  ]);
  const callSelect = { call: callLogs, name: customers.fullName };
  const [bySummary, byTurn] = await Promise.all([
    callIds.length
      ? db
          .select(callSelect)
          .from(callLogs)
          .leftJoin(customers, and(eq(customers.id, callLogs.customerId), eq(customers.businessId, callLogs.businessId)))
          .where(and(eq(callLogs.businessId, businessId), inArray(callLogs.id, callIds)))
          .orderBy(desc(callLogs.startedAt), desc(callLogs.id))
      : [],
    turnIds.length
      ? db
          .select({ ...callSelect, text: conversationTurns.text, speaker: conversationTurns.speaker })
          .from(conversationTurns)
          .innerJoin(callLogs, eq(callLogs.id, conversationTurns.callId))
          .leftJoin(customers, and(eq(customers.id, callLogs.customerId), eq(customers.businessId, callLogs.businessId)))
          .where(and(eq(conversationTurns.businessId, businessId), inArray(conversationTurns.id, turnIds)))
          .orderBy(desc(conversationTurns.id))
      : [],
  ]);
  const hits = new Map<string, TSearchHit>();
  const title = (name: string | null, from: string | null) => (name ? `שיחה עם ${name}` : from ? `שיחה מ־${from}` : "שיחה");
  for (const r of byTurn) {
    if (hits.has(r.call.id)) continue;
    const who = r.speaker === "caller" ? "מתקשר" : r.speaker === "staff" ? "נציג" : "עוזר";
    hits.set(r.call.id, { kind: "call", id: r.call.id, title: title(r.name, r.call.fromNumber), subtitle: r.call.fromNumber, snippet: `${who}: ${clip(r.text)}`, at: iso(r.call.startedAt), customerId: r.call.customerId, score: 0.9 });
  }
  for (const r of bySummary) {
    const prev = hits.get(r.call.id);
    hits.set(r.call.id, { kind: "call", id: r.call.id, title: title(r.name, r.call.fromNumber), subtitle: r.call.fromNumber, snippet: prev?.snippet ?? clip(r.call.summary), at: iso(r.call.startedAt), customerId: r.call.customerId, score: 0.95 });
  }
  return [...hits.values()].sort((a, b) => b.score - a.score || (b.at ?? "").localeCompare(a.at ?? "")).slice(0, limit);
}

export async function searchProperties({ db, businessId, plan, limit }: TSourceArgs): Promise<TSearchHit[]> {
  const rows = await db
    .select()
    .from(properties)
    .where(and(eq(properties.businessId, businessId), matchesAny(properties.searchDoc, plan.variants)))
    .orderBy(desc(properties.updatedAt))
    .limit(limit);
  return rows.map((p) => ({
    kind: "property" as const,
    id: p.id,
    title: p.title,
    subtitle: [p.city, p.neighborhood, p.street].filter(Boolean).join(", "),
    snippet: clip(p.description),
    at: iso(p.updatedAt),
    customerId: null,
    score: 0.95 + nameBonus(p.title, plan),
  }));
}

export async function searchMessages({ db, businessId, plan, limit }: TSourceArgs): Promise<TSearchHit[]> {
  const rows = await db
    .select({ m: whatsappMessages, name: customers.fullName })
    .from(whatsappMessages)
    .leftJoin(customers, and(eq(customers.id, whatsappMessages.customerId), eq(customers.businessId, whatsappMessages.businessId)))
    .where(and(eq(whatsappMessages.businessId, businessId), matchesAny(whatsappMessages.bodyNorm, plan.variants)))
    .orderBy(desc(whatsappMessages.sentAt))
    .limit(limit);
  return rows.map(({ m, name }) => {
    const other = m.direction === "in" ? m.fromNumber : m.toNumber;
    const channel = m.provider === "sms" ? "SMS" : "וואטסאפ";
    return { kind: "message" as const, id: m.id, title: `${channel}: ${name ?? other}`, subtitle: other, snippet: clip(m.body), at: iso(m.sentAt), customerId: m.customerId, score: 0.85 };
  });
}

export async function searchContracts({ db, businessId, plan, limit }: TSourceArgs): Promise<TSearchHit[]> {
  // Contracts and invoices are small per business: normalised per row, no stored column.
  const doc = normSql(sql`concat_ws(' ', ${contracts.title}, ${contracts.signerName}, ${customers.fullName})`);
  const rows = await db
    .select({ c: contracts, name: customers.fullName })
    .from(contracts)
    .leftJoin(customers, and(eq(customers.id, contracts.customerId), eq(customers.businessId, contracts.businessId)))
    .where(and(eq(contracts.businessId, businessId), matchesAny(doc, plan.variants)))
    .orderBy(desc(contracts.updatedAt))
    .limit(limit);
  return rows.map(({ c, name }) => ({ kind: "contract" as const, id: c.id, title: c.title, subtitle: name ?? c.signerName, snippet: null, at: iso(c.updatedAt), customerId: c.customerId, score: 0.8 + nameBonus(c.title, plan) }));
}

export async function searchInvoices({ db, businessId, plan, limit }: TSourceArgs): Promise<TSearchHit[]> {
  const parts = [matchesAny(normSql(invoices.customerName), plan.variants)];
  if (/^\d{1,9}$/.test(plan.norm)) parts.push(eq(invoices.number, Number(plan.norm)));
  const rows = await db
    .select()
    .from(invoices)
    .where(and(eq(invoices.businessId, businessId), or(...parts)))
    .orderBy(desc(invoices.createdAt))
    .limit(limit);
  return rows.map((i) => ({
    kind: "invoice" as const,
    id: i.id,
    title: `חשבונית ${i.number}`,
    subtitle: i.customerName,
    snippet: `₪${(i.totalAgorot / 100).toLocaleString("he-IL")}`,
    at: iso(i.createdAt),
    customerId: i.customerId,
    score: 0.8 + (String(i.number) === plan.norm ? 0.5 : 0),
  }));
}
