import { createSignal, onCleanup, onMount, Show } from "solid-js";

/** A Hebrew banner while the browser is offline (the app shell still opens from the service worker). */
export function OfflineNotice() {
  const [offline, setOffline] = createSignal(typeof navigator !== "undefined" && !navigator.onLine);
  const on = () => setOffline(false);
  const off = () => setOffline(true);
  onMount(() => {
    window.addEventListener("online", on);
    window.addEventListener("offline", off);
  });
  onCleanup(() => {
    window.removeEventListener("online", on);
    window.removeEventListener("offline", off);
  });
  return (
    <Show when={offline()}>
      <div role="status" data-testid="offline-notice" class="bg-amber-100 px-4 py-2 text-center text-sm font-semibold text-amber-900">
        אין חיבור לאינטרנט. מוצגת הגרסה השמורה; נתונים חדשים יופיעו כשהחיבור יחזור.
      </div>
    </Show>
  );
}
