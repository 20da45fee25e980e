/**
 * Hebrew counts. None is said with "אין" ("אין צפיות", not "0 צפיות"), one
 * with the word ("לקוח אחד", "פגישה אחת"), more with the number ("2
 * לקוחות"); a sentence whose verb agrees too ("נקבעה פגישה אחת" / "נקבעו 3
 * פגישות" / "לא נקבעו פגישות") picks between whole wordings. Shared by the
 * dashboard (web/src/lib/plural.ts) and server texts (call summaries).
 */

/** The number as Hebrew readers write it ("1,250"). */
const num = (n: number) => n.toLocaleString("he-IL");

/**
 * A count as a noun phrase. Zero reads "אין <many>" unless `zero` says otherwise.
 *
 * @example countOf(0, "לקוח אחד", "לקוחות") // "אין לקוחות"
 * @example countOf(1, "לקוח אחד", "לקוחות") // "לקוח אחד"
 * @example countOf(3, "לקוח אחד", "לקוחות") // "3 לקוחות"
 */
export function countOf(n: number, one: string, many: string, zero?: string): string {
  if (n === 0) return zero ?? `אין ${many}`;
  return n === 1 ? one : `${num(n)} ${many}`;
}

/**
 * A whole phrase by count, for verbs that agree with it. A sentence can't be
 * turned negative mechanically, so `zero` is its own wording; without it zero
 * falls back to the many form with the digit (callers that can see zero pass one).
 *
 * @example byCount(1, "נקבעה פגישת צפייה אחת", (n) => `נקבעו ${n} פגישות צפייה`) // "נקבעה פגישת צפייה אחת"
 * @example byCount(0, "עודכן נכס אחד", (n) => `עודכנו ${n} נכסים`, "לא עודכנו נכסים") // "לא עודכנו נכסים"
 */
export function byCount(n: number, one: string, many: (n: string) => string, zero?: string): string {
  if (n === 0 && zero !== undefined) return zero;
  return n === 1 ? one : many(num(n));
}
