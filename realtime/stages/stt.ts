/**
 * STT stage, speculative and abortable: VAD events in, caller turns out. At a
 * short pause it starts transcribing what was said so far; if the caller goes
 * on, that transcription is aborted; if the words already look like a finished
 * sentence (stages/turn.ts) the turn ends at once instead of after the full
 * endpointing silence; at the endpoint the speculative result is used, or a
 * fresh transcription starts.
 *
 * @example
 *   const stt = createSpeculativeStt({ transcribe, endpointMs: 500, onTurn: (t) => takeTurn(t), vad: () => vad });
 *   const ev = vad.push(frame); if (ev) stt.onVad(ev);
 */
import type { TSttResult } from "../../core/conversation/providers/types";
import { looksComplete } from "./turn";
import type { TVad, TVadEvent } from "./vad";

export interface TSttTurn {
  result: Promise<TSttResult>;
  /** Aborts the transcription (the reply it started was interrupted). */
  abort: AbortController;
  /** Silence counted before the turn ended (metrics). */
  endpointMs: number;
}

export interface TSpeculativeSttOptions {
  transcribe: (pcm: Int16Array, ac: AbortController) => Promise<TSttResult>;
  /** The VAD holding the current utterance (it may be replaced when settings arrive). */
  vad: () => TVad;
  endpointMs: () => number;
  onTurn: (turn: TSttTurn) => void;
  /** False once the call ended: nothing more is committed. */
  live?: () => boolean;
}

export interface TSpeculativeStt {
  onVad(ev: TVadEvent): void;
  /** Abort a speculative transcription in flight (the call ended). */
  abort(): void;
}

export function createSpeculativeStt(o: TSpeculativeSttOptions): TSpeculativeStt {
  let paused = false;
  let spec: { ac: AbortController; result: Promise<TSttResult>; committed: boolean } | undefined;
  const live = o.live ?? (() => true);

  const drop = () => {
    spec?.ac.abort();
    spec = undefined;
  };

  return {
    onVad(ev) {
      switch (ev.type) {
        case "onset":
          paused = false;
          break;
        case "pause": {
          paused = true;
          const ac = new AbortController();
          const s = { ac, result: o.transcribe(o.vad().current(), ac), committed: false };
          s.result.catch(() => {});
          spec = s;
          // A finished-looking sentence ends the turn now instead of after the full silence.
          s.result.then(
            (r) => {
              if (spec !== s || !paused || s.committed || !live() || !looksComplete(r.text)) return;
              s.committed = true;
              spec = undefined;
              const vad = o.vad();
              const silence = vad.speaking ? 240 : 0;
              vad.reset();
              o.onTurn({ result: s.result, abort: ac, endpointMs: silence });
            },
            () => {},
          );
          break;
        }
        case "resume":
          paused = false;
          drop();
          break;
        case "end": {
          paused = false;
          const s = spec;
          spec = undefined;
          if (s && !s.committed) {
            s.committed = true;
            o.onTurn({ result: s.result, abort: s.ac, endpointMs: o.endpointMs() });
          } else if (!s) {
            const ac = new AbortController();
            o.onTurn({ result: o.transcribe(ev.pcm, ac), abort: ac, endpointMs: o.endpointMs() });
          }
          break;
        }
        case "discard":
          drop();
          break;
      }
    },
    abort: drop,
  };
}
