/**
 * In-process provider doubles for voice-session tests and the benchmark's
 * shape: an STT that returns the simulator hint, scripted agents (normal,
 * failing, hanging), and a TTS that renders a tone whose length follows the
 * text (so truncation by audio position is checkable). All honour AbortSignal.
 */
import type { TAgent, TAgentEvent } from "../../core/conversation/brain/types";
import { pcm16ToMulaw } from "../../core/conversation/audio/mulaw";
import type { TSttProvider, TTtsProvider } from "../../core/conversation/providers/types";

import { sleepOn, systemClock, type TClock } from "../../realtime/clock";

/** Returns the simulator hint as the transcript, after `delayMs`. */
export function hintStt(delayMs = 5, calls: string[] = [], clock: TClock = systemClock): TSttProvider {
  return {
    name: "hint",
    async transcribe(req) {
      const t0 = clock.now();
      await sleepOn(clock, delayMs, req.signal);
      calls.push(req.simulatorHint ?? "");
      return { text: req.simulatorHint ?? "", ms: clock.now() - t0 };
    },
  };
}

/** Replies with the given texts in turn (cycling), streamed word by word. */
export function scriptedAgent(replies: string[], opts: { tokenDelayMs?: number; seen?: string[]; clock?: TClock } = {}): TAgent {
  const clock = opts.clock ?? systemClock;
  let i = 0;
  return {
    name: "scripted",
    async *reply({ text, signal }): AsyncIterable<TAgentEvent> {
      opts.seen?.push(text);
      const r = replies[i++ % replies.length]!;
      const t0 = clock.now();
      let first = true;
      for (const w of r.split(/(?<=\s)/)) {
        await sleepOn(clock, opts.tokenDelayMs ?? 2, signal);
        if (first) {
          first = false;
          yield { type: "metrics", firstTokenMs: clock.now() - t0 };
        }
        yield { type: "text", delta: w };
      }
    },
  };
}

export function failingAgent(): TAgent {
  return {
    name: "failing",
    // eslint-disable-next-line require-yield
    async *reply(): AsyncIterable<TAgentEvent> {
      throw new Error("LLM 500");
    },
  };
}

/** Never answers until aborted. */
export function hangingAgent(clock: TClock = systemClock): TAgent {
  return {
    name: "hanging",
    async *reply({ signal }): AsyncIterable<TAgentEvent> {
      await sleepOn(clock, 3_600_000, signal);
      yield { type: "text", delta: "never" };
    },
  };
}

/** μ-law tone, `msPerChar` per character of text, in 100 ms chunks. */
export function toneTts(opts: { msPerChar?: number; firstByteMs?: number; fail?: boolean; clock?: TClock } = {}): TTtsProvider {
  return {
    name: "tone",
    async *synthesize({ text, signal }) {
      await sleepOn(opts.clock ?? systemClock, opts.firstByteMs ?? 2, signal);
      if (opts.fail) throw new Error("TTS 503");
      const samples = Math.round(text.length * (opts.msPerChar ?? 40) * 8);
      const pcm = new Int16Array(samples);
      for (let i = 0; i < samples; i++) pcm[i] = Math.round(Math.sin(i / 3) * 8000);
      const mulaw = pcm16ToMulaw(pcm);
      for (let o = 0; o < mulaw.length; o += 800) {
        if (signal?.aborted) return;
        yield mulaw.subarray(o, o + 800);
      }
    },
  };
}
