import { createResource, Show } from "solid-js";
import { trpc } from "../lib/trpc";

/**
 * A Hebrew banner while no speech recognition is configured: callers then get
 * the greeting and a recorded message, not a conversation. The server words it
 * (voice.status); a failed check shows nothing rather than a false alarm.
 */
export function VoiceStatusBanner() {
  const [status] = createResource(() => trpc.voice.status.query().catch(() => null));
  return (
    <Show when={status()?.banner}>
      {(text) => (
        <div role="status" data-testid="no-stt-banner" class="border-b border-amber-300 bg-amber-50 px-4 py-2 text-center text-sm font-semibold text-amber-900">
          {text()}
        </div>
      )}
    </Show>
  );
}
