/** Provider selection by config, with fallbacks to local when a vendor is misconfigured. */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import pino from "pino";
import { createEventBus } from "../core/kernel/events";
import { createLogger } from "../core/kernel/logger";
import { loadEnv } from "../env";
import { createProviders } from "../core/conversation/providers/select-providers";
import { createTestDb, type TTestDb } from "./helpers/db";

describe("createProviders", () => {
  let h: TTestDb;
  const warnings: string[] = [];
  // A real pino logger writing to a capture stream.
  const log = pino({ level: "warn" }, { write: (line: string) => void warnings.push(line) });
  beforeAll(async () => {
    h = await createTestDb("pglite");
  }, 60_000);
  afterAll(async () => {
    await h.destroy();
  });
  const make = (env: Record<string, string>) => {
    warnings.length = 0;
    return createProviders({ config: loadEnv({ NODE_ENV: "test", ...env }), db: h.db, events: createEventBus(), log: createLogger("silent") });
  };

  test("no keys: everything local", () => {
    const p = make({});
    expect(p.describe()).toBe("stt=local-simulator llm=local tts=local");
    expect(p.agent).toBe(p.localAgent);
  });

  test("an OpenAI key selects OpenAI STT and GPT-4o; Google endpoint selects Google TTS", () => {
    const p = make({ OPENAI_API_KEY: "sk-x", OPENAI_BASE_URL: "http://127.0.0.1:9/v1", GOOGLE_TTS_ENDPOINT: "http://127.0.0.1:9" });
    expect(p.describe()).toBe("stt=openai:gpt-4o-transcribe llm=openai:gpt-4o tts=google");
    expect(p.localAgent.name).toBe("local");
  });

  test("explicit local overrides keys", () => {
    const p = make({ OPENAI_API_KEY: "sk-x", STT_PROVIDER: "local", LLM_PROVIDER: "local", TTS_PROVIDER: "local" });
    expect(p.describe()).toBe("stt=local-simulator llm=local tts=local");
  });

  test("a vendor asked for without its key falls back to local, with a warning", () => {
    warnings.length = 0;
    const events = createEventBus();
    const p = createProviders({
      config: loadEnv({ NODE_ENV: "test", STT_PROVIDER: "openai", LLM_PROVIDER: "openai", TTS_PROVIDER: "google" }),
      db: h.db,
      events,
      log,
    });
    expect(p.describe()).toBe("stt=local-simulator llm=local tts=local");
    expect(warnings.length).toBe(3);
    for (const w of warnings) expect(JSON.parse(w).msg).toMatch(/; using (the )?local/);
  });
});
