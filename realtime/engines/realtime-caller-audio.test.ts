import { describe, expect, test } from "bun:test";
import { createCallerAudio } from "./realtime-caller-audio";

const frame = (fill: number) => new Uint8Array(160).fill(fill);
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

describe("caller audio on its way to OpenAI Realtime", () => {
  test("80 ms batches: four Twilio frames become one append, in order, bytes intact", () => {
    const sent: string[] = [];
    const audio = createCallerAudio({ batchMs: 80, send: (s) => sent.push(s), onDrop: () => {} });
    audio.open();
    for (let i = 1; i <= 8; i++) audio.base64(b64(frame(i)));
    expect(sent).toHaveLength(2);
    const first = Buffer.from(sent[0]!, "base64");
    expect(first.length).toBe(640);
    expect([first[0], first[160], first[320], first[480]]).toEqual([1, 2, 3, 4]);
    expect(Buffer.from(sent[1]!, "base64")[0]).toBe(5);
  });

  test("a 20 ms batch forwards Twilio's base64 untouched", () => {
    const sent: string[] = [];
    const audio = createCallerAudio({ batchMs: 20, send: (s) => sent.push(s), onDrop: () => {} });
    audio.open();
    const payload = b64(frame(7));
    audio.base64(payload);
    expect(sent).toEqual([payload]);
  });

  test("held while the socket is not configured, sent in order on open; beyond the bound dropped, reported once as first", () => {
    const sent: string[] = [];
    const drops: { frames: number; first: boolean }[] = [];
    const audio = createCallerAudio({ batchMs: 20, maxBufferedFrames: 3, send: (s) => sent.push(s), onDrop: (frames, _ms, first) => drops.push({ frames, first }) });
    for (let i = 1; i <= 5; i++) audio.base64(b64(frame(i)));
    expect(sent).toEqual([]);
    expect(drops).toEqual([
      { frames: 1, first: true },
      { frames: 1, first: false },
    ]);
    audio.open();
    expect(sent.map((s) => Buffer.from(s, "base64")[0])).toEqual([1, 2, 3]);
    audio.end();
    audio.base64(b64(frame(9)));
    expect(sent).toHaveLength(3);
  });
});
