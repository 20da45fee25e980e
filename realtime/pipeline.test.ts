import { describe, expect, test } from "bun:test";
import type { TAgent, TAgentEvent } from "../core/conversation/brain/types";
import type { TFrame } from "./frames";
import { createPipeline, runStage, type TStage } from "./pipeline";
import type { TTtsProvider } from "../core/conversation/providers/types";
import { createAgentStage } from "./stages/llm";
import { createSentenceStage, splitSentences } from "./stages/sentences";
import { createTtsStage } from "./stages/tts";

const text = (turnId: number, delta: string): TFrame => ({ kind: "data", type: "text", turnId, delta });
const ctx = { businessId: "b", channel: "call" as const, history: [], state: {} };

function agentOf(events: TAgentEvent[] | (() => AsyncIterable<TAgentEvent>)): TAgent {
  return {
    name: "t",
    reply: typeof events === "function" ? events : async function* () {
      for (const e of events) yield e;
    },
  };
}

describe("sentence chunker", () => {
  test("splits on sentence punctuation followed by space, not inside numbers", () => {
    expect(splitSentences("יש דירה ב-3.3 מיליון. רוצה לראות? כן")).toEqual({ sentences: ["יש דירה ב-3.3 מיליון.", "רוצה לראות?"], rest: "כן" });
  });

  test("a long first clause is cut at a comma so TTS can start", () => {
    const long = "הדירה הראשונה נמצאת ברחוב ביאליק ברמת גן, ארבעה חדרים בקומה שלישית עם מעלית וחניה";
    const r = splitSentences(long, { isFirst: true });
    expect(r.sentences).toEqual(["הדירה הראשונה נמצאת ברחוב ביאליק ברמת גן,"]);
    expect(r.rest.startsWith("ארבעה")).toBe(true);
  });

  test("streamed deltas become numbered sentences; the rest is flushed at reply-end", async () => {
    const out = await runStage(createSentenceStage(), [
      text(1, "שלום"),
      text(1, ", מה "),
      text(1, "שלומך? אני "),
      text(1, "כאן"),
      { kind: "control", type: "reply-end", turnId: 1 },
    ]);
    const sentences = out.filter((f) => f.type === "sentence").map((f) => f.type === "sentence" && [f.seq, f.text]);
    expect(sentences).toEqual([
      [0, "שלום, מה שלומך?"],
      [1, "אני כאן"],
    ]);
    // Text deltas pass through (the session keeps the full reply), reply-end comes after the last sentence.
    expect(out.filter((f) => f.type === "text").length).toBe(4);
    expect(out[out.length - 1]!.type).toBe("reply-end");
  });

  test("an interruption drops the half-written sentence", async () => {
    const st = createSentenceStage();
    const out = await runStage(st, [text(2, "משפט שלא"), { kind: "system", type: "interruption", reason: "barge-in" }, { kind: "control", type: "reply-end", turnId: 2 }]);
    expect(out.some((f) => f.type === "sentence")).toBe(false);
  });
});

describe("agent stage", () => {
  test("streams text, tools and actions between reply-start and reply-end, with the first-token metric", async () => {
    const st = createAgentStage({
      agent: agentOf([
        { type: "text", delta: "מצאתי " },
        { type: "tool", name: "search_properties", args: { city: "רמת גן" }, result: { items: 2 } },
        { type: "text", delta: "שתי דירות." },
        { type: "action", action: "hangup" },
      ]),
      context: async () => ctx,
    });
    const out = await runStage(st, [{ kind: "data", type: "transcript", turnId: 5, text: "דירה", metrics: {} }]);
    expect(out.map((f) => f.type)).toEqual(["reply-start", "metrics", "text", "tool", "text", "action", "reply-end"]);
  });

  test("a throwing agent becomes an error frame, not an exception", async () => {
    const st = createAgentStage({
      agent: agentOf(async function* () {
        throw new Error("boom");
      }),
      context: async () => ctx,
    });
    const out = await runStage(st, [{ kind: "data", type: "transcript", turnId: 1, text: "x", metrics: {} }]);
    expect(out.map((f) => f.type)).toEqual(["reply-start", "error"]);
    expect(out[1]).toMatchObject({ kind: "system", stage: "agent", turnId: 1 });
  });

  test("the fallback agent answers when the first one fails before speaking", async () => {
    const st = createAgentStage({
      agent: agentOf(async function* () {
        throw new Error("429");
      }),
      fallbackAgent: agentOf([{ type: "text", delta: "שלום." }]),
      context: async () => ctx,
    });
    const out = await runStage(st, [{ kind: "data", type: "transcript", turnId: 1, text: "x", metrics: {} }]);
    expect(out.filter((f) => f.type === "text").map((f) => f.type === "text" && f.delta)).toEqual(["שלום."]);
    expect(out.some((f) => f.type === "error")).toBe(false);
  });

  test("interruption aborts a streaming reply and suppresses reply-end", async () => {
    let aborted = false;
    const st = createAgentStage({
      agent: agentOf(async function* () {
        yield { type: "text", delta: "אחת " };
        await new Promise((r) => setTimeout(r, 30));
        aborted = true;
        yield { type: "text", delta: "שתיים" };
      }),
      context: async () => ctx,
    });
    const out: TFrame[] = [];
    const p = createPipeline([st], (f) => out.push(f));
    p.process({ kind: "data", type: "transcript", turnId: 1, text: "x", metrics: {} }, () => {});
    await new Promise((r) => setTimeout(r, 5));
    p.process({ kind: "system", type: "interruption", reason: "barge-in" }, () => {});
    await p.idle();
    expect(aborted).toBe(true);
    expect(out.filter((f) => f.type === "text").length).toBe(1);
    expect(out.some((f) => f.type === "reply-end")).toBe(false);
    expect(out.some((f) => f.type === "interruption")).toBe(true);
  });
});

describe("TTS stage and the pipeline", () => {
  const tts = (fail = false): TTtsProvider => ({
    name: "t",
    async *synthesize({ text }) {
      if (fail) throw new Error("TTS down");
      yield new Uint8Array(text.length).fill(1);
      yield new Uint8Array(text.length).fill(2);
    },
  });

  test("each sentence becomes audio frames tagged with its text; other frames pass through in order", async () => {
    const out = await runStage(createTtsStage({ tts: tts() }), [
      { kind: "data", type: "sentence", turnId: 1, seq: 0, text: "אחת." },
      { kind: "control", type: "reply-end", turnId: 1 },
    ]);
    expect(out.map((f) => f.type)).toEqual(["metrics", "audio", "audio", "reply-end"]);
    expect(out[1]).toMatchObject({ type: "audio", seq: 0, text: "אחת." });
  });

  test("a failing TTS yields an error frame for the turn", async () => {
    const out = await runStage(createTtsStage({ tts: tts(true) }), [{ kind: "data", type: "sentence", turnId: 7, seq: 0, text: "x" }]);
    expect(out).toEqual([expect.objectContaining({ kind: "system", type: "error", stage: "tts", turnId: 7 })]);
  });

  test("agent → sentences → TTS: the first sentence is synthesised while the agent is still writing", async () => {
    const order: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const agent = agentOf(async function* () {
      yield { type: "text", delta: "משפט ראשון. " };
      order.push("agent waits");
      await gate;
      yield { type: "text", delta: "משפט שני." };
    });
    const synth: TTtsProvider = {
      name: "t",
      async *synthesize({ text: t }) {
        order.push(`tts ${t}`);
        if (t === "משפט ראשון.") release();
        yield new Uint8Array(8);
      },
    };
    const out: TFrame[] = [];
    const stages: TStage[] = [createAgentStage({ agent, context: async () => ctx }), createSentenceStage(), createTtsStage({ tts: synth })];
    const p = createPipeline(stages, (f) => out.push(f));
    p.process({ kind: "data", type: "transcript", turnId: 1, text: "x", metrics: {} }, () => {});
    await p.idle();
    await gate;
    await p.idle();
    expect(order).toEqual(["agent waits", "tts משפט ראשון.", "tts משפט שני."]);
    expect(out.filter((f) => f.type === "audio").map((f) => f.type === "audio" && f.text)).toEqual(["משפט ראשון.", "משפט שני."]);
    expect(out[out.length - 1]!.type).toBe("reply-end");
  });
});
