/**
 * Outbound pacer: sends the assistant's μ-law audio to Twilio in ~40 ms chunks
 * a little ahead of real time (never more than the current lead of unplayed
 * audio by the clock, never more than `maxUnackedMs` beyond the last echoed
 * mark), with
 * named marks every ~200 ms and at the end of each sentence. Echoed marks tell
 * what the caller actually heard; on barge-in that is what the assistant's
 * turn is truncated to.
 *
 * The lead adapts: it starts at `leadMs` (120 ms), and when the event loop
 * stalls (a timer fires late) or Twilio's buffer runs dry while audio was
 * waiting here (an underrun, counted), it grows to cover the stall, up to
 * `maxLeadMs` (1 s: on barge-in `clear` empties Twilio's buffer anyway, so a
 * long lead costs nothing audible); after smooth playback it shrinks back by
 * `shrinkPerSec`.
 */
import { createPlaybackLead } from "./playback-lead";
import { heardPart } from "./heard-part";
export { heardPart };
import { mediaSerializer, serializeClear, serializeMark } from "./twilio-serializer";

const BYTES_PER_MS = 8; // μ-law 8 kHz mono

export interface TPacerSegment {
  turnId: number;
  /** Sentence number within the turn. */
  seq: number;
  text: string;
  mulaw: Uint8Array;
}

export interface TPlayedSentence {
  seq: number;
  text: string;
  /** Audio of this sentence sent / confirmed played, in ms. */
  sentMs: number;
  playedMs: number;
  totalMs: number;
}

export interface TPacerOptions {
  streamSid: string;
  send: (text: string) => void;
  now?: () => number;
  chunkMs?: number;
  /** Lead at rest (default 120 ms). */
  leadMs?: number;
  /** Largest lead under stalls (default 1000 ms). */
  maxLeadMs?: number;
  /** Lead given back per second of on-time ticks (default 50 ms). */
  shrinkPerSec?: number;
  markEveryMs?: number;
  maxUnackedMs?: number;
  /** Schedule the next tick (default setTimeout); tests drive ticks by hand. */
  schedule?: (fn: () => void, ms: number) => unknown;
  /**
   * Simulator side channel: name a mark `say:<turn>:<text>` before each
   * sentence so call-sim can print what Kesher says. Only for streams that
   * declared a simulator script; real Twilio calls never get these.
   */
  annotate?: boolean;
  /** Called once the end mark of a turn comes back (everything was heard). */
  onTurnPlayed?: (turnId: number) => void;
  /** Called when the first chunk of a turn leaves (metrics: first frame out). */
  onFirstChunk?: (turnId: number) => void;
}

interface TSentenceTrack {
  seq: number;
  text: string;
  startMs: number; // position in the turn's audio timeline
  totalMs: number;
}

interface TTurnTrack {
  sentMs: number;
  playedMs: number;
  sentences: TSentenceTrack[];
  cleared: boolean;
}

export interface TPacer {
  enqueue(segment: TPacerSegment): void;
  /** No more audio for this turn: an end mark follows its last chunk. */
  endTurn(turnId: number): void;
  /** Send what is due now; called by the pacer's own timer. */
  tick(): void;
  /** Twilio echoed a mark. */
  onMark(name: string): void;
  /**
   * Barge-in: drop queued audio, send `clear`, and return what the caller had
   * heard of the interrupted turn (from echoed marks) before the clear.
   */
  clear(): { turnId: number; playedMs: number; sentMs: number; heardText: string } | null;
  /** True while audio is queued or sent but not yet confirmed played. */
  readonly speaking: boolean;
  /** Ms of audio sent and not yet played, by the clock. */
  readonly aheadMs: number;
  /** The current lead (ms of audio kept ahead of playback). */
  readonly leadMs: number;
  /** underruns: Twilio's buffer ran dry mid-turn while audio waited here (an audible gap); maxLeadMs: the largest lead used. */
  readonly counters: { chunks: number; marks: number; clears: number; bytes: number; underruns: number; maxLeadMs: number };
  close(): void;
}

const sameSentence = (a: TPacerSegment, b: TPacerSegment) => a.turnId === b.turnId && a.seq === b.seq;

export function createPacer(opts: TPacerOptions): TPacer {
  const now = opts.now ?? (() => performance.now());
  const chunkBytes = (opts.chunkMs ?? 40) * BYTES_PER_MS;
  const counters = { chunks: 0, marks: 0, clears: 0, bytes: 0, underruns: 0, maxLeadMs: opts.leadMs ?? 120 };
  const lead = createPlaybackLead({ minMs: opts.leadMs, maxMs: opts.maxLeadMs, shrinkPerSec: opts.shrinkPerSec, onGrow: (ms) => (counters.maxLeadMs = Math.max(counters.maxLeadMs, ms)) });
  const markEveryMs = opts.markEveryMs ?? 200;
  const maxUnackedMs = opts.maxUnackedMs ?? 3000;
  const schedule = opts.schedule ?? ((fn: () => void, ms: number) => setTimeout(fn, ms));
  const media = mediaSerializer(opts.streamSid);
  const queue: ({ seg: TPacerSegment; offset: number } | { endOf: number } | { say: string })[] = [];
  const turns = new Map<number, TTurnTrack>();
  let expectedAt = 0; // when the armed timer should fire
  let queuedAt = -1; // when the queue last went from empty to non-empty
  let bufferEnd = 0; // clock time when Twilio will have played everything sent
  let sentSinceMark = 0;
  let unackedMs = 0;
  let lastMarkTurn = -1;
  let timer = false;
  let closed = false;
  let currentTurn = -1;

  const turn = (id: number): TTurnTrack => {
    let t = turns.get(id);
    if (!t) {
      t = { sentMs: 0, playedMs: 0, sentences: [], cleared: false };
      turns.set(id, t);
      // Keep only recent turns: marks of old ones no longer matter.
      for (const k of turns.keys()) if (k < id - 4) turns.delete(k);
    }
    return t;
  };

  const mark = (turnId: number, suffix: string, posMs: number) => {
    opts.send(serializeMark(opts.streamSid, `${turnId}:${Math.round(posMs)}${suffix}`));
    counters.marks++;
    sentSinceMark = 0;
    lastMarkTurn = turnId;
  };

  const push = (item: (typeof queue)[number]) => {
    if (queue.length === 0) queuedAt = now();
    queue.push(item);
  };

  const arm = () => {
    if (timer || closed || queue.length === 0) return;
    timer = true;
    const delay = Math.max(5, Math.min(chunkBytes / BYTES_PER_MS / 2, bufferEnd - now() - lead.ms / 2));
    expectedAt = now() + delay;
    schedule(() => {
      timer = false;
      lead.adapt(now(), now() - expectedAt);
      pacer.tick();
    }, delay);
  };

  const pacer: TPacer = {
    enqueue(seg) {
      if (closed) return;
      const t = turn(seg.turnId);
      if (t.cleared) return;
      const startMs = t.sentences.reduce((n, s) => n + s.totalMs, 0);
      t.sentences.push({ seq: seg.seq, text: seg.text, startMs, totalMs: seg.mulaw.length / BYTES_PER_MS });
      // Several audio chunks of one sentence arrive separately: merge the track.
      const prev = t.sentences[t.sentences.length - 2];
      if (prev && prev.seq === seg.seq) {
        prev.totalMs += seg.mulaw.length / BYTES_PER_MS;
        t.sentences.pop();
      } else if (opts.annotate) push({ say: `say:${seg.turnId}:${seg.text}` });
      push({ seg, offset: 0 });
      pacer.tick();
    },
    endTurn(turnId) {
      if (closed) return;
      const t = turn(turnId);
      if (t.cleared) return;
      push({ endOf: turnId });
      pacer.tick();
    },
    tick() {
      if (closed) return;
      const t0 = now();
      const head0 = queue[0];
      // Twilio played everything sent mid-turn while audio was already waiting here: an audible gap.
      if (head0 && "seg" in head0 && bufferEnd < t0 - 5 && queuedAt >= 0 && queuedAt <= bufferEnd && head0.seg.turnId === currentTurn && !turn(currentTurn).cleared) {
        counters.underruns++;
        lead.underrun(t0 - bufferEnd);
      }
      if (bufferEnd < t0) bufferEnd = t0;
      while (queue.length && bufferEnd - t0 < lead.ms && unackedMs < maxUnackedMs) {
        const head = queue[0]!;
        if ("say" in head) {
          queue.shift();
          opts.send(serializeMark(opts.streamSid, head.say));
          continue;
        }
        if ("endOf" in head) {
          queue.shift();
          const tr = turn(head.endOf);
          if (tr.sentMs === 0) opts.onTurnPlayed?.(head.endOf);
          else mark(head.endOf, ":end", tr.sentMs);
          continue;
        }
        const { seg } = head;
        let bytes = seg.mulaw.subarray(head.offset, head.offset + chunkBytes);
        const after = queue[1];
        if (bytes.length < chunkBytes && after && "seg" in after && sameSentence(after.seg, seg)) {
          // A model streams one sentence in many deltas (OpenAI Realtime: 100 ms each): a delta's short
          // tail takes the start of the next one, so every message carries a full chunk.
          const more = after.seg.mulaw.subarray(after.offset, after.offset + chunkBytes - bytes.length);
          const joined = new Uint8Array(bytes.length + more.length);
          joined.set(bytes);
          joined.set(more, bytes.length);
          after.offset += more.length;
          head.offset += bytes.length;
          bytes = joined;
        } else head.offset += bytes.length;
        const tr = turn(seg.turnId);
        if (bytes.length) {
          if (tr.sentMs === 0) opts.onFirstChunk?.(seg.turnId);
          opts.send(media(bytes));
          const ms = bytes.length / BYTES_PER_MS;
          counters.chunks++;
          counters.bytes += bytes.length;
          bufferEnd += ms;
          sentSinceMark += ms;
          unackedMs += ms;
          tr.sentMs += ms;
          currentTurn = seg.turnId;
        }
        const done = head.offset >= seg.mulaw.length;
        if (done) queue.shift();
        const next = queue[0];
        // A mark every `markEveryMs` and at the end of each sentence; the end mark (if next) doubles as
        // the sentence mark, and the next delta of the same sentence needs none.
        const sentenceGoesOn = next !== undefined && "seg" in next && sameSentence(next.seg, seg);
        if (sentSinceMark >= markEveryMs || (done && !sentenceGoesOn && !(next && "endOf" in next))) mark(seg.turnId, "", tr.sentMs);
      }
      if (queue.length === 0) queuedAt = -1;
      arm();
    },
    onMark(name) {
      const m = /^(\d+):(\d+)(:end)?$/.exec(name);
      if (!m) return;
      const id = Number(m[1]);
      const pos = Number(m[2]);
      const t = turns.get(id);
      if (!t || t.cleared) return;
      if (id === lastMarkTurn || id === currentTurn) unackedMs = Math.max(0, t.sentMs - pos);
      t.playedMs = Math.max(t.playedMs, pos);
      if (m[3]) opts.onTurnPlayed?.(id);
      pacer.tick();
    },
    clear() {
      const t = turns.get(currentTurn);
      const hadAudio = queue.length > 0 || bufferEnd > now();
      queue.length = 0;
      queuedAt = -1;
      bufferEnd = now();
      unackedMs = 0;
      sentSinceMark = 0;
      opts.send(serializeClear(opts.streamSid));
      counters.clears++;
      if (!t || !hadAudio) return null;
      t.cleared = true;
      return { turnId: currentTurn, playedMs: t.playedMs, sentMs: t.sentMs, heardText: heardPart(t.sentences, t.playedMs) };
    },
    get speaking() {
      return queue.length > 0 || bufferEnd > now();
    },
    get leadMs() {
      return lead.ms;
    },
    get aheadMs() {
      return Math.max(0, bufferEnd - now());
    },
    counters,
    close() {
      closed = true;
      queue.length = 0;
    },
  };
  return pacer;
}
