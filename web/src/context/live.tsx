/**
 * Live events from the server (`notifications.onEvent`, Server-Sent Events).
 * One subscription per logged-in tab; pages listen with `onLiveEvent` and
 * the provider turns the interesting ones into Hebrew toasts.
 */
import { createEffect, createSignal, onCleanup, type JSX } from "solid-js";
import type { TKesherEvent } from "../../../core/kernel/events";
import { formatDateTime, formatPhone } from "../lib/format";
import { trpc } from "../lib/trpc";
import { useAuth } from "./auth";
import { toast } from "./toasts";

type TListener = (e: TKesherEvent) => void;
const listeners = new Set<TListener>();
const [connected, setConnected] = createSignal(false);

/** Whether the live connection is up (shown as a dot in the header). */
export const liveConnected = connected;

/** Run `fn` for every live event while the calling component is mounted. */
export function onLiveEvent(fn: TListener) {
  listeners.add(fn);
  onCleanup(() => listeners.delete(fn));
}

/** The Hebrew toast for an event, or null for events that only update pages. */
export function toastFor(e: TKesherEvent, meId?: string): { title: string; body?: string; href?: string } | null {
  switch (e.type) {
    case "assigned":
      // Only the agent who got the work hears about it (not whoever assigned it).
      return e.assignedUserId === meId && e.byUserId !== meId ? assignedToast(e) : null;
    case "call.started":
      return { title: "שיחה נכנסת", body: e.from ? `מאת ${formatPhone(e.from)}` : undefined, href: `/calls/${e.callId}` };
    case "call.ended":
      return { title: "שיחה הסתיימה", href: `/calls/${e.callId}` };
    case "lead.created":
      return { title: "ליד חדש", body: e.name ?? undefined, href: `/customers/${e.customerId}` };
    case "whatsapp.message":
      return e.direction === "in" ? { title: "הודעת וואטסאפ חדשה", href: e.customerId ? `/customers/${e.customerId}` : undefined } : null;
    case "appointment.booked":
      return { title: "נקבעה פגישת צפייה", body: formatDateTime(e.startsAt), href: "/viewings" };
    default:
      return null;
  }
}

const ASSIGNED_WORDS = {
  customer: { one: "ליד חדש שויך אליך", many: "לידים שויכו אליך", href: "/customers" },
  task: { one: "משימה שויכה אליך", many: "משימות שויכו אליך", href: "/tasks" },
  appointment: { one: "צפייה שויכה אליך", many: "צפיות שויכו אליך", href: "/viewings" },
} as const;

function assignedToast(e: Extract<TKesherEvent, { type: "assigned" }>): { title: string; body?: string; href?: string } {
  const w = ASSIGNED_WORDS[e.entity];
  const one = e.count === 1;
  return {
    title: one ? w.one : `${e.count} ${w.many}`,
    body: (one ? e.title : null) ?? (e.by === "rules" ? "לפי כללי השיוך" : undefined),
    href: one && e.entity === "customer" ? `/customers/${e.ids[0]}` : w.href,
  };
}

export function LiveProvider(props: { children: JSX.Element }) {
  const auth = useAuth();
  createEffect(() => {
    const user = auth.user();
    if (!user) return;
    const sub = trpc.notifications.onEvent.subscribe(undefined, {
      onStarted: () => setConnected(true),
      onData: (data) => {
        const event = data as TKesherEvent;
        const t = toastFor(event, user.id);
        if (t) toast({ kind: "info", ...t });
        for (const l of listeners) l(event);
      },
      // The SSE link reconnects by itself; "pending" means the stream is up.
      onConnectionStateChange: (state) => setConnected(state.state === "pending"),
      onError: () => setConnected(false),
      onStopped: () => setConnected(false),
    });
    onCleanup(() => {
      sub.unsubscribe();
      setConnected(false);
    });
  });
  return props.children;
}
