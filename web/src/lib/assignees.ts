/**
 * Who can be assigned (active users of the business), loaded once per page
 * view and shared by every picker and the "נציג" column.
 */
import { createResource, createRoot } from "solid-js";
import { trpc, type TRouterOutputs } from "./trpc";

export type TAssignee = TRouterOutputs["assignments"]["assignees"][number];

const store = createRoot(() => {
  const [list, { refetch }] = createResource(async () => {
    try {
      return await trpc.assignments.assignees.query();
    } catch {
      return [] as TAssignee[];
    }
  });
  return { list, refetch };
});

/** The business's assignable users (empty while loading or without access). */
export const assignees = () => store.list.latest ?? [];

/** A user's name, or null. */
export function assigneeName(id: string | null | undefined): string | null {
  if (!id) return null;
  return assignees().find((a) => a.id === id)?.fullName ?? null;
}
