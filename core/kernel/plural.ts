/**
 * Hebrew counts. One is said with the word ("לקוח אחד", "פגישה אחת"), more
 * with the number ("2 לקוחות"); a sentence whose verb agrees too ("נקבעה
 * פגישה אחת" / "נקבעו 3 פגישות") picks between two wordings. Shared by the
 * dashboard (web/src/lib/plural.ts) and server texts (call summaries).
 */

/** The number as Hebrew readers write it ("1,250"). */
const num = (n: number) => n.toLocaleString("he-IL");

/**
 * @example countOf(1, "לקוח אחד", "לקוחות") // "לקוח אחד"
 * @example countOf(3, "לקוח אחד", "לקוחות") // "3 לקוחות"
 */
export function countOf(n: number, one: string, many: string): string {
  return n === 1 ? one : `${num(n)} ${many}`;
}

/**
 * A whole phrase by count, for verbs that agree with it.
 *
 * @example byCount(1, "נקבעה פגישה אחת", (n) => `נקבעו ${n} פגישות`) // "נקבעה פגישה אחת"
 */
export function byCount(n: number, one: string, many: (n: string) => string): string {
  return n === 1 ? one : many(num(n));
}
