/**
 * The pacer's playback lead: how far ahead of real time audio is sent to Twilio.
 * 120 ms at rest. A timer that fires late (event-loop lag) grows it to cover
 * twice the lag, an underrun (Twilio's buffer ran dry mid-reply while audio
 * waited here) doubles it, up to `maxMs` (1 s: `clear` empties Twilio's buffer on
 * barge-in anyway); on-time ticks give it back by `shrinkPerSec` down to the rest value.
 */
export interface TPlaybackLead {
  readonly ms: number;
  /** A scheduled tick ran at `t0`, `lagMs` after it was due. */
  adapt(t0: number, lagMs: number): void;
  /** Twilio ran dry `gapMs` ago with audio waiting. */
  underrun(gapMs: number): void;
}

export function createPlaybackLead(opts: { minMs?: number; maxMs?: number; shrinkPerSec?: number; onGrow?: (ms: number) => void } = {}): TPlaybackLead {
  const minLead = opts.minMs ?? 120;
  const maxLead = Math.max(minLead, opts.maxMs ?? 1000);
  const shrinkPerMs = (opts.shrinkPerSec ?? 50) / 1000;
  let leadMs = minLead;
  let adaptedAt = -1;
  const grow = (toMs: number) => {
    leadMs = Math.min(maxLead, Math.max(leadMs, toMs));
    opts.onGrow?.(leadMs);
  };
  return {
    get ms() {
      return leadMs;
    },
    adapt(t0, lagMs) {
      if (lagMs > 10) grow(minLead + 2 * lagMs);
      else if (adaptedAt >= 0 && leadMs > minLead) leadMs = Math.max(minLead, leadMs - (t0 - adaptedAt) * shrinkPerMs);
      adaptedAt = t0;
    },
    underrun(gapMs) {
      grow(Math.max(2 * leadMs, minLead + 2 * gapMs));
    },
  };
}
