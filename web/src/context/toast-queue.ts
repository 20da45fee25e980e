/**
 * The toast list as a pure function, so its rules are testable without a DOM:
 * the same message again merges into the toast already shown (its count goes
 * up and it moves to the newest place), and at most `MAX_TOASTS` are visible —
 * the oldest drops when another arrives.
 */

export type TToastKind = "info" | "success" | "error";

export interface TToastInput {
  kind: TToastKind;
  title: string;
  body?: string;
  href?: string;
}

export interface TToast extends TToastInput {
  id: number;
  /** How many times this message was raised while shown (shown as "×3" past 1). */
  count: number;
}

export const MAX_TOASTS = 3;

/** How long a toast stays: errors wait to be read, successes only confirm. */
export const TOAST_MS: Record<TToastKind, number> = { success: 4000, info: 5000, error: 10_000 };

const sameMessage = (a: TToastInput, b: TToastInput) => a.kind === b.kind && a.title === b.title && (a.body ?? "") === (b.body ?? "") && (a.href ?? "") === (b.href ?? "");

/**
 * Adds `input` to `list`. Returns the new list, the id now showing the
 * message and whether it merged into an existing toast.
 *
 * @example pushToast([], { kind: "success", title: "נשמר" }, 1) // { list: [{ id: 1, count: 1, … }], id: 1, merged: false }
 */
export function pushToast(list: readonly TToast[], input: TToastInput, newId: number, max = MAX_TOASTS): { list: TToast[]; id: number; merged: boolean } {
  const same = list.find((t) => sameMessage(t, input));
  if (same) {
    const bumped = { ...same, count: same.count + 1 };
    return { list: [...list.filter((t) => t.id !== same.id), bumped], id: same.id, merged: true };
  }
  const next = [...list, { ...input, id: newId, count: 1 }];
  return { list: next.slice(Math.max(0, next.length - max)), id: newId, merged: false };
}
