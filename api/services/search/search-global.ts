/**
 * Global search (⌘K): one Hebrew query across customers (name, phone, notes,
 * tags and what they want), calls (summaries and transcripts), listings,
 * WhatsApp/SMS messages, contracts and invoices, as one ranked list grouped
 * by kind. Typos are corrected through the search lexicon first
 * (plan-query.ts), so every source runs an exact, indexed match.
 */
import type { TDb } from "../../../db/client";
import type { TScope } from "../../../core/domain/scope";
import { planQuery } from "./plan-query";
import { SEARCH_KIND_LABELS, type TGlobalSearchResult, type TSearchHit, type TSearchKind } from "./search-dto";
import { searchCalls, searchContracts, searchCustomers, searchInvoices, searchMessages, searchProperties, type TSourceArgs } from "./search-sources";

export interface TGlobalSearchInput {
  q: string;
  /** Hits per kind (default 5). */
  limit?: number;
  /** Include test calls and their leads ("שיחת ניסיון"). */
  includeTest?: boolean;
  /** Only these kinds (default all). */
  kinds?: TSearchKind[];
}

const SOURCES: Record<TSearchKind, (a: TSourceArgs) => Promise<TSearchHit[]>> = {
  customer: searchCustomers,
  call: searchCalls,
  property: searchProperties,
  message: searchMessages,
  contract: searchContracts,
  invoice: searchInvoices,
};

/**
 * Search everything the business holds. A corrected query scores each hit by
 * the correction's confidence, so "did you mean" results rank below exact
 * ones of another kind.
 */
export async function searchGlobal(db: TDb, scope: TScope, input: TGlobalSearchInput, now: () => number = () => performance.now()): Promise<TGlobalSearchResult> {
  const t0 = now();
  const plan = await planQuery(db, scope.businessId, input.q);
  if (!plan.variants.length) return { q: input.q, corrected: null, groups: [], tookMs: 0 };
  const args: TSourceArgs = { db, businessId: scope.businessId, plan, limit: input.limit ?? 5, includeTest: input.includeTest ?? false };
  const kinds = input.kinds?.length ? input.kinds : (Object.keys(SOURCES) as TSearchKind[]);
  const found = await Promise.all(kinds.map(async (kind) => [kind, await SOURCES[kind](args)] as const));
  const groups = found
    .filter(([, hits]) => hits.length > 0)
    .map(([kind, hits]) => ({
      kind,
      label: SEARCH_KIND_LABELS[kind],
      hits: hits.map((h) => ({ ...h, score: Math.round(h.score * plan.confidence * 1000) / 1000 })).sort((a, b) => b.score - a.score),
    }))
    .sort((a, b) => b.hits[0]!.score - a.hits[0]!.score || kinds.indexOf(a.kind) - kinds.indexOf(b.kind));
  return { q: input.q, corrected: plan.corrected, groups, tookMs: Math.round((now() - t0) * 10) / 10 };
}
