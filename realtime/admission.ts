/**
 * Admission control for the media process (#18): a call is either served
 * fully or not taken into a stream at all. The voice webhook asks
 * `reserve(callSid)` before answering with `<Connect><Stream>`; over
 * capacity it answers with the Record flow instead (the caller leaves a
 * message, nobody hears a degraded stream). Capacity is two things:
 *   - a count: live streams plus calls answered whose stream has not started
 *     yet (a reservation expires after `reserveTtlMs`), at most `maxCalls`;
 *   - what the process measures: when its event loop lags more than
 *     `maxLagMs` (sampled every `sampleMs`, worst of the last `windowMs`),
 *     new calls would already get late audio, so they are refused too.
 * Every refusal is logged (warn) and counted (`stats()`), for alerts.
 *
 * @example
 *   const admission = createAdmission({ maxCalls: 300, log });
 *   if (!admission.reserve(callSid).ok) return recordFlow();
 *   // media server: admission.started(callSid) on `start`, admission.ended(callSid) at the end
 */
import type { TLogger } from "../core/kernel/logger";
import { systemClock, type TClock, type TTimer } from "./clock";

export interface TAdmissionOptions {
  /** Calls this process serves at once (MAX_CALLS); undefined = no count limit. */
  maxCalls?: number;
  /** Event-loop lag (ms) above which new calls are refused (default 150; 0 = off). */
  maxLagMs?: number;
  /** Lag sampling period (default 100 ms) and the window its worst value is kept for (default 3 s). */
  sampleMs?: number;
  windowMs?: number;
  /** An answered call whose stream never started frees its place after this (default 15 s). */
  reserveTtlMs?: number;
  log: TLogger;
  clock?: TClock;
}

export type TAdmissionVerdict = { ok: true } | { ok: false; reason: "capacity" | "lag"; active: number; lagMs: number };

export interface TAdmissionStats {
  maxCalls: number | undefined;
  active: number;
  reserved: number;
  admitted: number;
  refused: { capacity: number; lag: number };
  /** Worst event-loop lag in the current window (ms). */
  lagMs: number;
}

export interface TAdmission {
  /** May this call be answered with a stream? Reserves its place when yes. */
  reserve(callSid: string): TAdmissionVerdict;
  /** Its stream started (a call without a reservation — another process answered it — counts too). */
  started(callSid: string): void;
  /** Its stream ended: the place is free. */
  ended(callSid: string): void;
  stats(): TAdmissionStats;
  /** Stop the lag sampler. */
  close(): void;
}

export function createAdmission(opts: TAdmissionOptions): TAdmission {
  const clock = opts.clock ?? systemClock;
  const maxLag = opts.maxLagMs ?? 150;
  const sampleMs = opts.sampleMs ?? 100;
  const windowSamples = Math.max(1, Math.round((opts.windowMs ?? 3000) / sampleMs));
  const ttl = opts.reserveTtlMs ?? 15_000;
  const log = opts.log.child({ component: "admission" });
  const live = new Set<string>();
  const reserved = new Map<string, number>(); // callSid → expires at
  const lags = new Float64Array(windowSamples);
  let lagAt = 0;
  let admitted = 0;
  const refused = { capacity: 0, lag: 0 };
  let timer: TTimer | undefined;
  let closed = false;

  const worstLag = () => {
    let w = 0;
    for (const l of lags) if (l > w) w = l;
    return w;
  };
  // A timer that fires late by N ms means the event loop was busy for N ms.
  const sample = (due: number) => {
    if (closed) return;
    lags[lagAt++ % windowSamples] = Math.max(0, clock.now() - due);
    arm();
  };
  const arm = () => {
    const due = clock.now() + sampleMs;
    timer = clock.setTimeout(() => sample(due), sampleMs);
    // The sampler alone never keeps the process alive.
    (timer as { unref?: () => void }).unref?.();
  };
  if (maxLag > 0) arm();

  const occupied = () => {
    const now = clock.now();
    for (const [sid, until] of reserved) if (until <= now) reserved.delete(sid);
    return live.size + reserved.size;
  };

  return {
    reserve(callSid) {
      const active = occupied();
      const lagMs = worstLag();
      const reason = opts.maxCalls !== undefined && active >= opts.maxCalls ? "capacity" : maxLag > 0 && lagMs > maxLag ? "lag" : undefined;
      if (reason) {
        refused[reason]++;
        log.warn({ callSid, reason, active, maxCalls: opts.maxCalls, lagMs: Math.round(lagMs), refused: refused.capacity + refused.lag }, "call refused: media process at capacity; answering with the Record flow");
        return { ok: false, reason, active, lagMs };
      }
      admitted++;
      if (!live.has(callSid)) reserved.set(callSid, clock.now() + ttl);
      return { ok: true };
    },
    started(callSid) {
      reserved.delete(callSid);
      live.add(callSid);
    },
    ended(callSid) {
      reserved.delete(callSid);
      live.delete(callSid);
    },
    stats: () => ({ maxCalls: opts.maxCalls, active: live.size, reserved: reserved.size, admitted, refused: { ...refused }, lagMs: worstLag() }),
    close() {
      closed = true;
      clock.clearTimeout(timer);
    },
  };
}
