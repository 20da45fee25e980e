import { describe, expect, test } from "bun:test";
import { ConfigError, loadEnv } from "../../../../env";
import { realtimeTools, sessionUpdateEvent } from "./openai-realtime";

describe("OpenAI Realtime session config", () => {
  test("server_vad with the configured silence; semantic_vad by default", () => {
    const server = sessionUpdateEvent({ instructions: "את נציגה", vad: "server_vad", silenceMs: 650 });
    expect(server.session.audio.input.turn_detection).toMatchObject({ type: "server_vad", silence_duration_ms: 650, interrupt_response: true });
    const semantic = sessionUpdateEvent({ instructions: "את נציגה" });
    expect(semantic.session.audio.input.turn_detection.type).toBe("semantic_vad");
    expect(semantic.session.instructions.startsWith("את נציגה")).toBe(true);
    expect(semantic.session.audio.input.transcription.language).toBe("he");
  });

  test("tools are the pipeline's registry in the Realtime (flat) shape", () => {
    const tools = realtimeTools();
    const book = tools.find((t) => t.name === "book_viewing")!;
    expect(book.type).toBe("function");
    expect((book.parameters as { required: string[] }).required).toEqual(["propertyId", "startsAt"]);
    expect(tools.every((t) => !("function" in t))).toBe(true);
  });

  test("env: REALTIME_VAD and OPENAI_REALTIME_MODEL; a bad VAD is named", () => {
    const env = loadEnv({ REALTIME_VAD: "server_vad", OPENAI_REALTIME_MODEL: "gpt-realtime-mini" });
    expect(env.openai.realtimeVad).toBe("server_vad");
    expect(env.openai.realtimeModel).toBe("gpt-realtime-mini");
    expect(loadEnv({}).openai.realtimeVad).toBeUndefined();
    expect(() => loadEnv({ REALTIME_VAD: "loud" })).toThrow(ConfigError);
    try {
      loadEnv({ REALTIME_VAD: "loud" });
    } catch (err) {
      expect((err as ConfigError).variables).toEqual(["REALTIME_VAD"]);
    }
  });
});
