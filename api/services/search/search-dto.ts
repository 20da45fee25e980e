/** Global search results on the wire (zod). */
import { z } from "zod";

export const SEARCH_KINDS = ["customer", "call", "property", "message", "contract", "invoice"] as const;
export const ZSearchKind = z.enum(SEARCH_KINDS);
export type TSearchKind = z.infer<typeof ZSearchKind>;

/** Hebrew group titles, in the palette and anywhere results are grouped. */
export const SEARCH_KIND_LABELS: Record<TSearchKind, string> = {
  customer: "לקוחות",
  call: "שיחות",
  property: "נכסים",
  message: "הודעות",
  contract: "חוזים",
  invoice: "חשבוניות",
};

export const ZSearchHit = z.object({
  kind: ZSearchKind,
  id: z.string(),
  title: z.string(),
  subtitle: z.string().nullable(),
  /** The matching text (a transcript line, a message, what the customer wants). */
  snippet: z.string().nullable(),
  /** When it happened (call start, message time, last update). */
  at: z.string().nullable(),
  /** The customer the hit belongs to, when there is one (messages open the customer's thread). */
  customerId: z.string().nullable(),
  /** 0–2; higher is better. */
  score: z.number(),
});
export type TSearchHit = z.infer<typeof ZSearchHit>;

export const ZSearchGroup = z.object({ kind: ZSearchKind, label: z.string(), hits: z.array(ZSearchHit) });

export const ZGlobalSearchResult = z.object({
  q: z.string(),
  /** The corrected query when a word was a typo ("גולדבג" → "גולדברג"), else null. */
  corrected: z.string().nullable(),
  /** Groups ordered by their best hit; hits best first. */
  groups: z.array(ZSearchGroup),
  tookMs: z.number(),
});
export type TGlobalSearchResult = z.infer<typeof ZGlobalSearchResult>;
