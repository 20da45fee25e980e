import type { TCallMetrics } from "../db/schema/calls";

/** Small, allocation-free latency histogram (0.01 ms buckets up to 50 ms, then an overflow list). */
export class LatencyHistogram {
  private readonly buckets = new Uint32Array(5000);
  private readonly overflow: number[] = [];
  count = 0;
  max = 0;

  add(ms: number): void {
    this.count++;
    if (ms > this.max) this.max = ms;
    const i = Math.floor(ms * 100);
    if (i < this.buckets.length) this.buckets[i]!++;
    else this.overflow.push(ms);
  }

  merge(other: LatencyHistogram): void {
    for (let i = 0; i < this.buckets.length; i++) this.buckets[i]! += other.buckets[i]!;
    this.overflow.push(...other.overflow);
    this.count += other.count;
    this.max = Math.max(this.max, other.max);
  }

  /** Value at quantile q (0..1), to bucket precision. */
  quantile(q: number): number {
    if (!this.count) return 0;
    const rank = Math.ceil(q * this.count);
    let seen = 0;
    for (let i = 0; i < this.buckets.length; i++) {
      seen += this.buckets[i]!;
      if (seen >= rank) return (i + 1) / 100;
    }
    const rest = [...this.overflow].sort((a, b) => a - b);
    return rest[Math.min(rest.length - 1, rank - seen - 1)] ?? this.max;
  }
}

/** Quantile of a plain list (small lists: per-turn metrics). */
export function quantile(values: number[], q: number): number {
  if (!values.length) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

/**
 * Counts inbound media frames and the gaps in Twilio's chunk numbering (frames
 * that never reached us), shared by both voice engines.
 *
 * @example
 *   const count = createFrameCounter(stats);
 *   count(msg.chunk); // on every inbound media frame
 */
export function createFrameCounter(stats: { framesIn: number; framesLost: number }): (chunk: number) => void {
  let last = -1;
  return (chunk) => {
    stats.framesIn++;
    if (last >= 0 && chunk > last + 1) stats.framesLost += chunk - last - 1;
    if (chunk > last) last = chunk;
  };
}

/** Per-call metrics from a media session's counters (stored on call_logs.metrics), the same for every engine. */
export function summarizeCall(stats: {
  turnFirstFrameMs: number[];
  greetingFirstFrameMs?: number;
  bargeIns: number;
  framesIn: number;
  framesLost: number;
  malformed: number;
  underruns?: number;
  maxLeadMs?: number;
}): TCallMetrics {
  const turns = stats.turnFirstFrameMs;
  return {
    greetingFirstFrameMs: stats.greetingFirstFrameMs === undefined ? undefined : Math.round(stats.greetingFirstFrameMs * 100) / 100,
    turns: turns.length,
    bargeIns: stats.bargeIns,
    framesIn: stats.framesIn,
    framesLost: stats.framesLost,
    malformedMessages: stats.malformed,
    avgTurnMs: turns.length ? Math.round(turns.reduce((a, b) => a + b, 0) / turns.length) : undefined,
    p95TurnMs: turns.length ? Math.round(quantile(turns, 0.95)) : undefined,
    playbackUnderruns: stats.underruns,
    maxLeadMs: stats.maxLeadMs === undefined ? undefined : Math.round(stats.maxLeadMs),
  };
}
