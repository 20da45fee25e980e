import { describe, expect, test } from "bun:test";
import { createPacer, heardPart, type TPacer } from "./pacer";
import { decodeBase64 } from "./twilio-serializer";

/**
 * A Twilio double on a virtual clock: buffers outbound media, plays it in real
 * time, echoes a mark once the audio before it has played, and drops the
 * buffer on `clear` (echoing pending marks at once, as Twilio does).
 */
function fakeTwilio() {
  let clock = 0;
  const buffer: ({ kind: "audio"; ms: number } | { kind: "mark"; name: string })[] = [];
  const received: Uint8Array[] = [];
  const echoed: string[] = [];
  let maxBufferedMs = 0;
  let playedMs = 0;
  // Audible gaps: 5 ms steps with nothing to play after audio started and before the end mark was played.
  let dryMs = 0;
  let gaps = 0;
  let wasDry = false;
  let inTurn = false;
  let pacer: TPacer | undefined;
  const tasks: { at: number; fn: () => void }[] = [];
  const bufferedMs = () => buffer.reduce((n, b) => n + (b.kind === "audio" ? b.ms : 0), 0);
  return {
    now: () => clock,
    schedule: (fn: () => void, ms: number) => tasks.push({ at: clock + ms, fn }),
    attach(p: TPacer) {
      pacer = p;
    },
    send(text: string) {
      const msg = JSON.parse(text) as { event: string; media?: { payload: string }; mark?: { name: string } };
      if (msg.event === "media") {
        const bytes = decodeBase64(msg.media!.payload)!;
        received.push(bytes);
        buffer.push({ kind: "audio", ms: bytes.length / 8 });
        maxBufferedMs = Math.max(maxBufferedMs, bufferedMs());
      } else if (msg.event === "mark") buffer.push({ kind: "mark", name: msg.mark!.name });
      else if (msg.event === "clear") {
        const marks = buffer.filter((b) => b.kind === "mark");
        buffer.length = 0;
        // Echo later, like the network would; the pacer must not count them as played.
        for (const m of marks) tasks.push({ at: clock + 1, fn: () => (echoed.push(m.name), pacer!.onMark(m.name)) });
      }
    },
    /**
     * Advance the virtual clock in 5 ms steps, playing audio and running timers.
     * `stalled`: the server's event loop is blocked, so its timers and the marks it
     * would read wait until the end; Twilio keeps playing meanwhile.
     */
    advance(ms: number, stalled = false) {
      const held: string[] = [];
      for (let step = 0; step < ms; step += 5) {
        clock += 5;
        let budget = 5;
        while (buffer.length) {
          const head = buffer[0]!;
          if (head.kind === "mark") {
            buffer.shift();
            echoed.push(head.name);
            if (head.name.endsWith(":end")) inTurn = false;
            if (stalled) held.push(head.name);
            else pacer!.onMark(head.name);
            continue;
          }
          inTurn = true;
          if (budget <= 0) break;
          const take = Math.min(budget, head.ms);
          head.ms -= take;
          budget -= take;
          playedMs += take;
          if (head.ms <= 1e-9) buffer.shift();
        }
        const dry = inTurn && budget > 0;
        if (dry) dryMs += 5;
        if (dry && !wasDry) gaps++;
        wasDry = dry;
        if (!stalled) for (const t of tasks.splice(0).filter((t) => (t.at <= clock ? true : (tasks.push(t), false)))) t.fn();
      }
      for (const name of held) pacer!.onMark(name);
      if (stalled) for (const t of tasks.splice(0).filter((t) => (t.at <= clock ? true : (tasks.push(t), false)))) t.fn();
    },
    get dryMs() {
      return dryMs;
    },
    get gaps() {
      return gaps;
    },
    received,
    echoed,
    get maxBufferedMs() {
      return maxBufferedMs;
    },
    get playedMs() {
      return playedMs;
    },
  };
}

const audio = (ms: number, fill = 0x55) => new Uint8Array(ms * 8).fill(fill);

describe("pacer", () => {
  test("sends everything in order in ≤ 40 ms chunks, never more than lead + one chunk ahead of playback", () => {
    const tw = fakeTwilio();
    const played: number[] = [];
    const p = createPacer({ streamSid: "MZ1", send: tw.send, now: tw.now, schedule: tw.schedule, onTurnPlayed: (t) => played.push(t) });
    tw.attach(p);
    const a = audio(1000, 0x11);
    const b = audio(730, 0x22);
    p.enqueue({ turnId: 1, seq: 0, text: "משפט ראשון.", mulaw: a });
    p.enqueue({ turnId: 1, seq: 1, text: "משפט שני.", mulaw: b });
    p.endTurn(1);
    expect(p.speaking).toBe(true);
    tw.advance(2500);
    const all = Buffer.concat(tw.received);
    expect(all.length).toBe(a.length + b.length);
    expect(all.subarray(0, a.length).every((x) => x === 0x11)).toBe(true);
    expect(all.subarray(a.length).every((x) => x === 0x22)).toBe(true);
    expect(Math.max(...tw.received.map((r) => r.length))).toBeLessThanOrEqual(320);
    expect(tw.maxBufferedMs).toBeLessThanOrEqual(120 + 40);
    expect(played).toEqual([1]);
    expect(tw.echoed[tw.echoed.length - 1]).toBe("1:1730:end");
    expect(p.speaking).toBe(false);
    // A mark at least every ~200 ms of audio, so truncation is never coarser than that.
    expect(tw.echoed.length).toBeGreaterThanOrEqual(Math.floor(1730 / 200));
  });

  test("a sentence streamed in 100 ms deltas goes out in full 40 ms messages, marked every 200 ms, not after every delta", () => {
    const tw = fakeTwilio();
    const p = createPacer({ streamSid: "MZ1", send: tw.send, now: tw.now, schedule: tw.schedule });
    tw.attach(p);
    // OpenAI Realtime: 2 s of one reply in 20 deltas of 100 ms, arriving at twice real time.
    for (let i = 0; i < 20; i++) {
      p.enqueue({ turnId: 3, seq: 0, text: "", mulaw: audio(100, i + 1) });
      tw.advance(50);
    }
    p.endTurn(3);
    tw.advance(2500);
    const all = Buffer.concat(tw.received);
    expect(all.length).toBe(2000 * 8);
    // In order, nothing lost at the joins.
    for (let i = 0; i < 20; i++) expect(all.subarray(i * 800, (i + 1) * 800).every((x) => x === i + 1)).toBe(true);
    // 40 ms messages: a delta's tail joins the next delta. Only while the queue is still filling (the first
    // deltas, before the model got ahead) does a delta end in a 20 ms message; before, every one did (60 messages).
    expect(tw.received.every((r) => r.length <= 320)).toBe(true);
    expect(tw.received.filter((r) => r.length < 320).length).toBeLessThanOrEqual(2);
    expect(tw.received.length).toBeLessThanOrEqual(52);
    // One mark per ~200 ms plus the end mark (before: one after every delta, 20+).
    expect(tw.echoed.length).toBeLessThanOrEqual(2000 / 200 + 2);
    expect(tw.echoed[tw.echoed.length - 1]).toBe("3:2000:end");
  });

  test("the greeting's first chunk leaves synchronously on enqueue", () => {
    const tw = fakeTwilio();
    const first: number[] = [];
    const p = createPacer({ streamSid: "MZ1", send: tw.send, now: tw.now, schedule: tw.schedule, onFirstChunk: (t) => first.push(t) });
    tw.attach(p);
    p.enqueue({ turnId: 0, seq: 0, text: "שלום", mulaw: audio(500) });
    expect(tw.received.length).toBeGreaterThan(0);
    expect(first).toEqual([0]);
  });

  test("clear on barge-in reports only what was confirmed played and ignores marks echoed by the clear", () => {
    const tw = fakeTwilio();
    const played: number[] = [];
    const p = createPacer({ streamSid: "MZ1", send: tw.send, now: tw.now, schedule: tw.schedule, onTurnPlayed: (t) => played.push(t) });
    tw.attach(p);
    p.enqueue({ turnId: 3, seq: 0, text: "יש לי שלוש דירות ברמת גן.", mulaw: audio(1000) });
    p.enqueue({ turnId: 3, seq: 1, text: "הראשונה ברחוב ביאליק.", mulaw: audio(1000) });
    p.endTurn(3);
    tw.advance(1300);
    const heardByCaller = tw.playedMs;
    const r = p.clear()!;
    expect(r.turnId).toBe(3);
    expect(r.playedMs).toBeLessThanOrEqual(heardByCaller);
    expect(r.playedMs).toBeGreaterThanOrEqual(heardByCaller - 200 - 5);
    expect(r.sentMs).toBeGreaterThan(r.playedMs);
    expect(r.heardText.startsWith("יש לי שלוש דירות ברמת גן.")).toBe(true);
    expect(r.heardText).not.toContain("ביאליק");
    tw.advance(500);
    // Marks echoed because of the clear must not mark the turn as fully played.
    expect(played).toEqual([]);
    expect(p.speaking).toBe(false);
    const sentBefore = tw.received.length;
    // Late audio of the interrupted turn is dropped.
    p.enqueue({ turnId: 3, seq: 2, text: "עוד.", mulaw: audio(200) });
    expect(tw.received.length).toBe(sentBefore);
  });

  test("stops sending when marks stop coming back (never floods Twilio's buffer)", () => {
    const sent: string[] = [];
    let clock = 0;
    const p = createPacer({ streamSid: "MZ1", send: (t) => sent.push(t), now: () => clock, schedule: () => 0, maxUnackedMs: 1000 });
    p.enqueue({ turnId: 1, seq: 0, text: "x", mulaw: audio(5000) });
    for (let i = 0; i < 400; i++) {
      clock += 20;
      p.tick();
    }
    const mediaMs = sent.filter((s) => s.includes('"media"')).length * 40;
    expect(mediaMs).toBeLessThanOrEqual(1000 + 40);
    expect(mediaMs).toBeGreaterThanOrEqual(1000);
  });

  test("event-loop stalls: a fixed 120 ms lead gaps on every stall; the adaptive lead grows (≤ 1 s), the gaps stop, underruns are counted", () => {
    const run = (maxLeadMs: number) => {
      const tw = fakeTwilio();
      const p = createPacer({ streamSid: "MZ1", send: tw.send, now: tw.now, schedule: tw.schedule, maxLeadMs });
      tw.attach(p);
      p.enqueue({ turnId: 1, seq: 0, text: "תשובה ארוכה", mulaw: audio(8000) });
      p.endTurn(1);
      // 300 ms stalls every 700 ms of normal running, for ~8 s of reply.
      for (let i = 0; i < 8; i++) {
        tw.advance(700);
        tw.advance(300, true);
      }
      tw.advance(1000);
      return { tw, p };
    };
    const fixed = run(120);
    expect(fixed.tw.gaps).toBeGreaterThanOrEqual(7);
    expect(fixed.p.counters.underruns).toBeGreaterThanOrEqual(7);
    expect(fixed.p.counters.maxLeadMs).toBe(120);
    const adaptive = run(1000);
    // The first stall is heard (nothing could know it was coming); after it the lead covers them.
    expect(adaptive.tw.gaps).toBeLessThanOrEqual(1);
    expect(adaptive.p.counters.underruns).toBeLessThanOrEqual(1);
    expect(adaptive.tw.dryMs).toBeLessThan(fixed.tw.dryMs / 5);
    expect(adaptive.p.counters.maxLeadMs).toBeGreaterThan(300);
    expect(adaptive.p.counters.maxLeadMs).toBeLessThanOrEqual(1000);
    expect(adaptive.tw.maxBufferedMs).toBeLessThanOrEqual(1000 + 40);
    // Every byte still played, in order.
    expect(Buffer.concat(adaptive.tw.received).length).toBe(8000 * 8);
  });

  test("after the stalls stop, the lead shrinks back to 120 ms", () => {
    const tw = fakeTwilio();
    const p = createPacer({ streamSid: "MZ1", send: tw.send, now: tw.now, schedule: tw.schedule });
    tw.attach(p);
    p.enqueue({ turnId: 1, seq: 0, text: "x", mulaw: audio(30_000) });
    tw.advance(500);
    tw.advance(400, true);
    tw.advance(100);
    const grown = p.leadMs;
    expect(grown).toBeGreaterThan(500);
    tw.advance(5000);
    expect(p.leadMs).toBeLessThan(grown - 200);
    tw.advance(20_000);
    expect(p.leadMs).toBe(120);
    expect(p.counters.maxLeadMs).toBeGreaterThanOrEqual(grown);
  });

  test("a model that is slow to send the next audio is not the pacer's underrun", () => {
    const tw = fakeTwilio();
    const p = createPacer({ streamSid: "MZ1", send: tw.send, now: tw.now, schedule: tw.schedule });
    tw.attach(p);
    p.enqueue({ turnId: 1, seq: 0, text: "x", mulaw: audio(200) });
    tw.advance(600);
    p.enqueue({ turnId: 1, seq: 0, text: "x", mulaw: audio(200) });
    p.endTurn(1);
    tw.advance(600);
    expect(tw.gaps).toBe(1);
    expect(p.counters.underruns).toBe(0);
    expect(p.leadMs).toBe(120);
  });

  test("heardPart cuts at a word boundary", () => {
    const s = [
      { text: "אחת שתיים שלוש ארבע", startMs: 0, totalMs: 400 },
      { text: "חמש שש", startMs: 400, totalMs: 200 },
    ];
    expect(heardPart(s, 0)).toBe("");
    expect(heardPart(s, 200)).toBe("אחת שתיים…");
    expect(heardPart(s, 400)).toBe("אחת שתיים שלוש ארבע");
    expect(heardPart(s, 600)).toBe("אחת שתיים שלוש ארבע חמש שש");
  });
});
