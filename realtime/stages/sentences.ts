/**
 * Sentence chunker: turns streamed reply text into whole sentences so TTS can
 * start on the first one while the agent is still writing. A long first
 * clause is cut at a comma to get audio out sooner.
 */
import type { TFrame } from "../frames";
import type { TPush, TStage } from "../pipeline";

/** End of a sentence: punctuation followed by whitespace (so "3.3 מיליון" is not cut). */
const BOUNDARY = /([.!?…]+["״׳')]*)\s+|\n+/u;

/** Split off complete sentences; returns them and the unfinished rest. */
export function splitSentences(buffer: string, opts: { firstClauseChars?: number; isFirst?: boolean } = {}): { sentences: string[]; rest: string } {
  const sentences: string[] = [];
  let rest = buffer;
  for (;;) {
    const m = BOUNDARY.exec(rest);
    if (!m) break;
    const end = m.index + (m[1]?.length ?? 0);
    const s = rest.slice(0, end).trim();
    rest = rest.slice(m.index + m[0].length);
    if (s) sentences.push(s);
  }
  const limit = opts.firstClauseChars ?? 60;
  if (opts.isFirst && sentences.length === 0 && rest.length > limit) {
    const comma = rest.lastIndexOf(", ");
    if (comma > 15) {
      sentences.push(rest.slice(0, comma + 1).trim());
      rest = rest.slice(comma + 2);
    }
  }
  return { sentences, rest };
}

export function createSentenceStage(): TStage {
  let buffer = "";
  let seq = 0;
  let turn = -1;
  return {
    name: "sentences",
    interrupt() {
      buffer = "";
    },
    process(frame: TFrame, push: TPush) {
      if (frame.kind === "data" && frame.type === "text") {
        if (frame.turnId !== turn) {
          turn = frame.turnId;
          seq = 0;
          buffer = "";
        }
        push(frame);
        buffer += frame.delta;
        const { sentences, rest } = splitSentences(buffer, { isFirst: seq === 0 });
        buffer = rest;
        for (const text of sentences) push({ kind: "data", type: "sentence", turnId: turn, seq: seq++, text });
        return;
      }
      if (frame.kind === "control" && frame.type === "reply-end") {
        const text = buffer.trim();
        buffer = "";
        if (text && frame.turnId === turn) push({ kind: "data", type: "sentence", turnId: turn, seq: seq++, text });
      }
      push(frame);
    },
  };
}
