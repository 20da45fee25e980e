/**
 * Reply guard: the line is never silent. Armed at the caller's endpoint, it
 * emits a `guard` frame `filler` when no reply audio came within
 * `replyTimeoutMs` (say "one moment" while the reply keeps coming) and
 * `timeout` after `hardTimeoutMs` (give up, play the apology). The first reply
 * audio, a cancellation or the end of the call disarms it.
 *
 * @example
 *   const guard = createReplyGuard({ clock, push: (f) => onFrame(f) });
 *   guard.arm(turnId);           // endpoint
 *   guard.disarm(turnId);        // first audio frame of the reply
 */
import { systemClock, type TClock, type TTimer } from "../clock";
import type { TFrame } from "../frames";

export interface TReplyGuardOptions {
  clock?: TClock;
  push: (frame: TFrame) => void;
  replyTimeoutMs?: number;
  hardTimeoutMs?: number;
}

export interface TReplyGuard {
  arm(turnId: number): void;
  disarm(turnId: number): void;
  /** Disarm every turn (the call ended). */
  close(): void;
}

export function createReplyGuard(o: TReplyGuardOptions): TReplyGuard {
  const clock = o.clock ?? systemClock;
  const armed = new Map<number, TTimer[]>();
  const disarm = (turnId: number) => {
    for (const t of armed.get(turnId) ?? []) clock.clearTimeout(t);
    armed.delete(turnId);
  };
  return {
    arm(turnId) {
      disarm(turnId);
      armed.set(turnId, [
        clock.setTimeout(() => o.push({ kind: "control", type: "guard", turnId, reason: "filler" }), o.replyTimeoutMs ?? 1400),
        clock.setTimeout(() => {
          armed.delete(turnId);
          o.push({ kind: "control", type: "guard", turnId, reason: "timeout" });
        }, o.hardTimeoutMs ?? 8000),
      ]);
    },
    disarm,
    close() {
      for (const id of [...armed.keys()]) disarm(id);
    },
  };
}
