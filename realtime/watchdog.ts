/**
 * Watchdog: no call may end in silence. It redirects a live call through the
 * Twilio REST API to /twilio/fallback (Record → Play → Hangup) when
 *   - the media stream never starts within `startTimeoutMs` of the voice webhook,
 *   - inbound media stops for `mediaGapMs` while the call is live, or
 *   - the call session crashes.
 * It only keeps timestamps per call; one interval checks them, so the media
 * path pays a Map write per frame.
 *
 * @example
 *   const dog = createWatchdog({ log, redirect: (sid, why) => redirectToFallback(rest, sid, why) });
 *   dog.expectStream(callSid);      // voice webhook answered with <Connect><Stream>
 *   dog.started(callSid); dog.media(callSid); dog.stopped(callSid); // from the session
 */
import type { TLogger } from "../core/kernel/logger";

export type TWatchdogReason = "no-start" | "media-stopped" | "crash";

export interface TWatchdogOptions {
  /** No `start` this long after the webhook → redirect (default 8 s). */
  startTimeoutMs?: number;
  /** No inbound media this long during a live stream → redirect (default 6 s). */
  mediaGapMs?: number;
  /** How often the timestamps are checked (default 500 ms). */
  checkEveryMs?: number;
}

export interface TWatchdogDeps {
  log: TLogger;
  /** Move the call to the Record fallback; resolves false when it could not. */
  redirect: (callSid: string, why: TWatchdogReason) => Promise<boolean>;
  /**
   * Whether the redirect is still needed (the call is up; for "no-start", no stream attached to
   * it in any process — with split api/realtime processes the stream may start elsewhere). Default: yes.
   */
  isLive?: (callSid: string, why: TWatchdogReason) => Promise<boolean>;
  options?: TWatchdogOptions;
  now?: () => number;
}

export interface TWatchdog {
  /** The voice webhook answered with a media stream: `start` must follow. */
  expectStream(callSid: string): void;
  started(callSid: string): void;
  /** One inbound media frame. */
  media(callSid: string): void;
  /** The stream ended normally (`stop`, hangup, transfer): stop watching. */
  stopped(callSid: string): void;
  /** The session failed: redirect at once. */
  crashed(callSid: string, err: unknown): void;
  /** Redirects done so far (diagnostics and tests). */
  readonly redirects: ReadonlyArray<{ callSid: string; why: TWatchdogReason }>;
  /** Every time the watchdog fired and what came of it (tests wait for this instead of sleeping). */
  readonly decisions: ReadonlyArray<{ callSid: string; why: TWatchdogReason; outcome: "redirected" | "not-needed" | "failed" }>;
  /** Whether the call is still watched (not stopped, not fired). */
  watching(callSid: string): boolean;
  /** Run the periodic check now (tests call it instead of waiting). */
  check(): Promise<void>;
  close(): void;
}

interface TWatched {
  expectedAt: number;
  lastMediaAt?: number;
  startedAt?: number;
  firing?: boolean;
}

export function createWatchdog(deps: TWatchdogDeps): TWatchdog {
  const o = deps.options ?? {};
  const startTimeoutMs = o.startTimeoutMs ?? 8000;
  const mediaGapMs = o.mediaGapMs ?? 6000;
  const now = deps.now ?? (() => Date.now());
  const log = deps.log.child({ component: "watchdog" });
  const calls = new Map<string, TWatched>();
  const redirects: { callSid: string; why: TWatchdogReason }[] = [];
  const decisions: { callSid: string; why: TWatchdogReason; outcome: "redirected" | "not-needed" | "failed" }[] = [];

  const fire = async (callSid: string, why: TWatchdogReason) => {
    const w = calls.get(callSid);
    if (w?.firing) return;
    if (w) w.firing = true;
    calls.delete(callSid);
    try {
      if (deps.isLive && !(await deps.isLive(callSid, why))) {
        log.info({ callSid, why }, "call already over; no redirect needed");
        decisions.push({ callSid, why, outcome: "not-needed" });
        return;
      }
      redirects.push({ callSid, why });
      await deps.redirect(callSid, why);
      decisions.push({ callSid, why, outcome: "redirected" });
    } catch (err) {
      // Twilio answers 21220 for a call that ended meanwhile: nothing left to save.
      log.warn({ err, callSid, why }, "watchdog redirect failed");
      decisions.push({ callSid, why, outcome: "failed" });
    }
  };

  const check = async () => {
    const t = now();
    const due: Array<[string, TWatchdogReason]> = [];
    for (const [sid, w] of calls) {
      if (w.firing) continue;
      if (w.startedAt === undefined) {
        if (t - w.expectedAt >= startTimeoutMs) due.push([sid, "no-start"]);
      } else if (t - (w.lastMediaAt ?? w.startedAt) >= mediaGapMs) due.push([sid, "media-stopped"]);
    }
    await Promise.all(due.map(([sid, why]) => fire(sid, why)));
  };

  const timer = setInterval(() => void check(), o.checkEveryMs ?? 500);
  // Never keep the process alive just for the watchdog.
  (timer as { unref?: () => void }).unref?.();

  return {
    expectStream(callSid) {
      if (!calls.has(callSid)) calls.set(callSid, { expectedAt: now() });
    },
    started(callSid) {
      const w = calls.get(callSid) ?? { expectedAt: now() };
      w.startedAt = now();
      w.lastMediaAt = w.startedAt;
      calls.set(callSid, w);
    },
    media(callSid) {
      const w = calls.get(callSid);
      if (w) w.lastMediaAt = now();
    },
    stopped(callSid) {
      calls.delete(callSid);
    },
    crashed(callSid, err) {
      log.error({ err, callSid }, "call session crashed");
      void fire(callSid, "crash");
    },
    get redirects() {
      return redirects;
    },
    get decisions() {
      return decisions;
    },
    watching: (callSid) => calls.has(callSid),
    check,
    close() {
      clearInterval(timer);
      calls.clear();
    },
  };
}
