import { expect, test } from "bun:test";
import type { TSttResult } from "../../core/conversation/providers/types";
import { createSpeculativeStt, type TSttTurn } from "./stt";
import { createVad, type TVadEvent } from "./vad";

/** An STT whose answers the test releases by hand. */
function manualStt() {
  const calls: { ac: AbortController; resolve(r: TSttResult): void }[] = [];
  const transcribe = (_pcm: Int16Array, ac: AbortController) => new Promise<TSttResult>((resolve) => calls.push({ ac, resolve }));
  return { calls, transcribe };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

function rig() {
  const stt = manualStt();
  const turns: TSttTurn[] = [];
  const vad = createVad();
  const s = createSpeculativeStt({ transcribe: stt.transcribe, vad: () => vad, endpointMs: () => 500, onTurn: (t) => turns.push(t) });
  const ev = (e: TVadEvent) => s.onVad(e);
  return { stt, turns, s, ev, vad };
}

test("a pause starts a speculative transcription; words that look finished end the turn at once", async () => {
  const r = rig();
  r.ev({ type: "onset", atMs: 0 });
  r.ev({ type: "pause", silenceMs: 200 });
  expect(r.stt.calls.length).toBe(1);
  r.stt.calls[0]!.resolve({ text: "אני מחפש דירה ברמת גן.", ms: 40 });
  await flush();
  expect(r.turns.length).toBe(1);
  expect(r.turns[0]!.endpointMs).toBe(0);
  expect((await r.turns[0]!.result).text).toBe("אני מחפש דירה ברמת גן.");
  // The utterance is over for the VAD too (reset), so no endpoint follows for it.
  expect(r.vad.speechMs).toBe(0);
});

test("the caller goes on after a pause: the speculative transcription is aborted and the endpoint transcribes afresh", async () => {
  const r = rig();
  r.ev({ type: "onset", atMs: 0 });
  r.ev({ type: "pause", silenceMs: 200 });
  r.ev({ type: "resume" });
  expect(r.stt.calls[0]!.ac.signal.aborted).toBe(true);
  r.ev({ type: "end", pcm: new Int16Array(160), speechMs: 1500 });
  expect(r.stt.calls.length).toBe(2);
  expect(r.turns.length).toBe(1);
  expect(r.turns[0]!.endpointMs).toBe(500);
});

test("an unfinished sentence at a pause waits for the endpoint and then uses the speculative result", async () => {
  const r = rig();
  r.ev({ type: "onset", atMs: 0 });
  r.ev({ type: "pause", silenceMs: 200 });
  r.stt.calls[0]!.resolve({ text: "אני מחפש דירה עם", ms: 40 });
  await flush();
  expect(r.turns.length).toBe(0);
  r.ev({ type: "end", pcm: new Int16Array(160), speechMs: 900 });
  expect(r.stt.calls.length).toBe(1);
  expect(r.turns.length).toBe(1);
  expect((await r.turns[0]!.result).text).toBe("אני מחפש דירה עם");
});

test("a discarded click aborts the speculation and makes no turn", () => {
  const r = rig();
  r.ev({ type: "pause", silenceMs: 200 });
  r.ev({ type: "discard", speechMs: 60 });
  expect(r.stt.calls[0]!.ac.signal.aborted).toBe(true);
  expect(r.turns.length).toBe(0);
});
