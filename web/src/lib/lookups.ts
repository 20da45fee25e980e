/**
 * Names for ids in lists that carry only ids (viewings: customerId,
 * propertyId). Loaded once per page; a missing permission just means the
 * generic label is shown.
 */
import { createResource, createSignal } from "solid-js";
import { trpc } from "./trpc";

export function createNameLookups() {
  const [customers] = createResource(async () => {
    try {
      const res = await trpc.customers.list.query({ limit: 200, sort: "updated" });
      return new Map(res.items.map((c) => [c.id, c.fullName ?? ""]));
    } catch {
      return new Map<string, string>();
    }
  });
  const [properties] = createResource(async () => {
    try {
      return new Map((await trpc.properties.list.query({})).map((p) => [p.id, p.title]));
    } catch {
      return new Map<string, string>();
    }
  });
  // Customers met after the list loaded (e.g. just booked in a dialog on this page).
  const [later, setLater] = createSignal<Record<string, string>>({});
  return {
    customerName: (id: string | null | undefined) => (id ? later()[id] || customers.latest?.get(id) || null : null),
    /** Name a customer the page learnt about after loading (a booking dialog hands it back). */
    rememberCustomer: (id: string, name: string | null): void => {
      if (name) setLater((m) => ({ ...m, [id]: name }));
    },
    propertyTitle: (id: string | null | undefined) => (id ? properties.latest?.get(id) || null : null),
  };
}
