import { describe, expect, test } from "bun:test";
import { ConfigError, loadEnv } from "../env";

describe("env", () => {
  test("defaults run the embedded product with local providers", () => {
    const e = loadEnv({});
    expect(e.port).toBe(3000);
    expect(e.dataDir).toBe("./data");
    expect(e.databaseUrl).toBeUndefined();
    expect(e.providers).toEqual({ stt: "local", llm: "local", tts: "local" });
    expect(e.voiceEngine).toBe("pipeline");
    expect(e.twilio.signatureCheck).toBe(true);
  });

  test("empty strings count as unset", () => {
    const e = loadEnv({ PORT: "", DATABASE_URL: "", OPENAI_API_KEY: " " });
    expect(e.port).toBe(3000);
    expect(e.databaseUrl).toBeUndefined();
    expect(e.providers.llm).toBe("local");
  });

  test("keys switch providers to the real ones; explicit choice wins", () => {
    expect(loadEnv({ OPENAI_API_KEY: "sk-x" }).providers).toEqual({ stt: "openai", llm: "openai", tts: "local" });
    expect(loadEnv({ GOOGLE_TTS_ENDPOINT: "localhost:1" }).providers.tts).toBe("google");
    expect(loadEnv({ OPENAI_API_KEY: "sk-x", LLM_PROVIDER: "local" }).providers.llm).toBe("local");
  });

  test("invalid values name the variable", () => {
    const bad = (src: Record<string, string>, name: string) => {
      try {
        loadEnv(src);
        throw new Error("expected ConfigError");
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        expect((err as ConfigError).variables).toContain(name);
        expect((err as Error).message).toContain(name);
      }
    };
    bad({ PORT: "eighty" }, "PORT");
    bad({ DATABASE_URL: "mysql://x" }, "DATABASE_URL");
    bad({ VOICE_ENGINE: "magic" }, "VOICE_ENGINE");
    bad({ TWILIO_ACCOUNT_SID: "123" }, "TWILIO_ACCOUNT_SID");
    bad({ PUBLIC_BASE_URL: "kesher.example.com" }, "PUBLIC_BASE_URL");
  });

  test("signature check cannot be switched off in production", () => {
    expect(() => loadEnv({ NODE_ENV: "production", TWILIO_SIGNATURE_CHECK: "off", TWILIO_AUTH_TOKEN: "x".repeat(32) })).toThrow(
      /TWILIO_SIGNATURE_CHECK/,
    );
    expect(() => loadEnv({ NODE_ENV: "production" })).toThrow(/TWILIO_AUTH_TOKEN/);
    expect(loadEnv({ TWILIO_SIGNATURE_CHECK: "off" }).twilio.signatureCheck).toBe(false);
  });

  test("production needs TWILIO_ACCOUNT_SID next to the auth token (issue 12 item 12)", () => {
    const token = { NODE_ENV: "production", TWILIO_AUTH_TOKEN: "x".repeat(32) };
    expect(() => loadEnv(token)).toThrow(/TWILIO_ACCOUNT_SID: required when NODE_ENV=production/);
    try {
      loadEnv(token);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).variables).toEqual(["TWILIO_ACCOUNT_SID"]);
    }
    expect(loadEnv({ ...token, TWILIO_ACCOUNT_SID: `AC${"0".repeat(32)}` }).twilio.accountSid).toBe(`AC${"0".repeat(32)}`);
  });

  test("VOICE_SIMULATOR is off by default and refused in production", () => {
    expect(loadEnv({}).voiceSimulator).toBe(false);
    expect(loadEnv({ VOICE_SIMULATOR: "on" }).voiceSimulator).toBe(true);
    const prod = { NODE_ENV: "production", TWILIO_AUTH_TOKEN: "x".repeat(32), TWILIO_ACCOUNT_SID: `AC${"0".repeat(32)}` };
    expect(loadEnv(prod).voiceSimulator).toBe(false);
    expect(() => loadEnv({ ...prod, VOICE_SIMULATOR: "on" })).toThrow(/VOICE_SIMULATOR: 'on' is not allowed when NODE_ENV=production/);
    expect(() => loadEnv({ VOICE_SIMULATOR: "yes" })).toThrow(/VOICE_SIMULATOR/);
  });

  test("PUBLIC_BASE_URL loses its trailing slash", () => {
    expect(loadEnv({ PUBLIC_BASE_URL: "https://k.example.com/" }).publicBaseUrl).toBe("https://k.example.com");
  });
});
