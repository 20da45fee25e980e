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
export function toastFor(e: TKesherEvent): { title: string; body?: string; href?: string } | null {
  switch (e.type) {
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

export function LiveProvider(props: { children: JSX.Element }) {
  const auth = useAuth();
  createEffect(() => {
    const user = auth.user();
    if (!user) return;
    const sub = trpc.notifications.onEvent.subscribe(undefined, {
      onStarted: () => setConnected(true),
      onData: (data) => {
        const event = data as TKesherEvent;
        const t = toastFor(event);
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
