/** A full app (real database, seeded) for HTTP-level tests via app.request(). */
import twilio from "twilio";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp } from "../../api/app";
import { createEventBus, type TKesherEvent } from "../../core/kernel/events";
import { createLogger } from "../../core/kernel/logger";
import { createStaticAudio } from "../../api/static/static-audio";
import type { TAppDeps } from "../../api/types";
import { eq } from "drizzle-orm";
import { businesses } from "../../db/schema";
import { DEMO_BUSINESS } from "../../db/seed/seed-demo";
import { loadEnv } from "../../env";
import { createTestDb, TEST_ADMIN_PASSWORD, TEST_PASSWORD_COST, type TDbKind, type TTestDb } from "./db";

export const TEST_AUTH_TOKEN = "test_auth_token_0123456789abcdef";

export interface TTestApp {
  app: ReturnType<typeof createApp>;
  deps: TAppDeps;
  db: TTestDb;
  events: TKesherEvent[];
  businessId: string;
  adminPassword: string;
  close(): Promise<void>;
}

/**
 * One prompt cache folder for every test app in the process: speaking a prompt
 * (espeak + MP3) costs seconds, and the cache key is the engine, voice and
 * text, so a test that edits a greeting still gets new audio. Readiness stays
 * per app: /ready waits for that app's own warm().
 */
let promptCacheDir: string | undefined;

export async function createTestApp(kind: TDbKind, env: Record<string, string> = {}): Promise<TTestApp> {
  const db = await createTestDb(kind, { seeded: true });
  const [business] = await db.db.select({ id: businesses.id }).from(businesses).where(eq(businesses.slug, DEMO_BUSINESS.slug));
  // VOICE_SIMULATOR on by default (as test/helpers/server.ts): without an OpenAI key the voice
  // webhook would otherwise answer every call with the message flow instead of a stream.
  // Production refuses the simulator, so an app built for production gets none.
  const simulator = env.NODE_ENV === "production" ? "off" : "on";
  const config = loadEnv({ NODE_ENV: "test", TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN, VOICE_SIMULATOR: simulator, ...env });
  const bus = createEventBus();
  const events: TKesherEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const deps: TAppDeps = {
    config,
    dbh: db,
    log: createLogger("silent"),
    events: bus,
    audio: createStaticAudio((promptCacheDir ??= mkdtempSync(join(tmpdir(), "kesher-audio-")))),
    twilioAuthToken: config.twilio.authToken,
    version: "test",
    // Users made through the app are hashed like the fixtures (and an unknown email verifies a dummy of that cost).
    passwordCost: TEST_PASSWORD_COST,
  };
  return {
    app: createApp(deps),
    deps,
    db,
    events,
    businessId: business!.id,
    adminPassword: TEST_ADMIN_PASSWORD,
    close: () => db.destroy(),
  };
}

/** POST a form the way Twilio does, signed with the real algorithm over `publicUrl`. */
export function signedTwilioPost(
  publicUrl: string,
  params: Record<string, string>,
  opts: { token?: string; requestUrl?: string; headers?: Record<string, string>; signature?: string | null } = {},
): Request {
  const signature =
    opts.signature === undefined ? twilio.getExpectedTwilioSignature(opts.token ?? TEST_AUTH_TOKEN, publicUrl, params) : opts.signature;
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", ...opts.headers };
  if (signature !== null) headers["x-twilio-signature"] = signature;
  return new Request(opts.requestUrl ?? publicUrl, { method: "POST", headers, body: new URLSearchParams(params).toString() });
}
