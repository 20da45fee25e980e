/**
 * Hebrew prompts served at /static/*.mp3 for Twilio <Play>: the business's
 * real greeting, the "leave a message" prompt (also after hours), the fault
 * apology (watchdog only), "the agent did not answer" and the goodbye. The
 * transfer itself is announced once, by the agent's own sentence in the call.
 *
 * They are spoken by the configured TTS (Google he-IL when set; the espeak
 * voice only without keys) in the business's voice, and cached on disk and
 * in memory under a key of (engine, voice, text): changing the greeting text
 * or the voice in settings simply asks for another key, so the new audio is
 * made on the next request (or by `warm`), never served stale.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { asc, eq } from "drizzle-orm";
import type { TDb } from "../../db/client";
import { businesses } from "../../db/schema";
import { encodeMp3 } from "../../core/conversation/audio/mp3";
import { mulawToPcm16 } from "../../core/conversation/audio/mulaw";
import { espeakSynthesize } from "../../core/conversation/providers/tts/espeak";
import type { TTtsProvider } from "../../core/conversation/providers/types";
import { greetingTextFor } from "../../core/conversation/voice-prompts";
import { promptKey } from "../../core/conversation/prompt-store";
import type { TLogger } from "../../core/kernel/logger";

/** Fixed prompt texts (the greeting is per business, see greetingTextFor). */
export const PROMPT_TEXTS = {
  /** No speech recognition, Direct Record mode, after hours: an invitation, no apology. */
  "message_prompt_he.mp3": "השאירו בבקשה אחרי הצליל את שמכם ומה אתם מחפשים, ונחזור אליכם בהקדם.",
  /** Only after a real fault (the watchdog moved the call here). */
  "record_prompt_he.mp3": "מצטערים, יש לנו תקלה רגעית. אנא השאירו אחרי הצליל את שמכם ומה אתם מחפשים, ונחזור אליכם בהקדם.",
  "transfer_failed_he.mp3": "הנציג לא זמין כרגע. השאירו בבקשה הודעה אחרי הצליל, ונחזור אליכם בהקדם.",
  "fallback_he.mp3": "תודה רבה. קיבלנו את ההודעה, ונציג מטעמנו יחזור אליכם בהקדם. יום טוב.",
} as const;

export const GREETING_FILE = "greeting_he.mp3";
export type TStaticName = keyof typeof PROMPT_TEXTS | typeof GREETING_FILE;
export const STATIC_NAMES: readonly TStaticName[] = [GREETING_FILE, ...(Object.keys(PROMPT_TEXTS) as (keyof typeof PROMPT_TEXTS)[])];
/** Kept for callers that check membership by name. */
export const STATIC_PROMPTS: Record<TStaticName, true> = Object.fromEntries(STATIC_NAMES.map((n) => [n, true])) as Record<TStaticName, true>;

export interface TPromptOwner {
  /** The business whose greeting and voice to use; absent = the first active business (single-tenant installs). */
  businessId?: string;
  db?: TDb;
}

export interface TRenderedPrompt {
  mp3: Uint8Array<ArrayBuffer>;
  text: string;
  voice: string | null;
  /** Length of the speech, seconds. */
  seconds: number;
}

export interface TStaticAudio {
  get(name: TStaticName, owner?: TPromptOwner): Promise<Uint8Array<ArrayBuffer>>;
  /** Speak `text` in `voice` (cached by engine + voice + text). */
  render(text: string, voice?: string | null): Promise<TRenderedPrompt>;
  /** Generate every prompt now (start-up, off the request path), for every active business when `db` is given. */
  warm(db?: TDb): Promise<void>;
  /** True once `warm` has finished without error (readiness). */
  ready(): boolean;
  /** Which engine speaks the prompts ("google", "local", …). */
  readonly engine: string;
}

export interface TStaticAudioOptions {
  /** The configured TTS (μ-law 8 kHz). Absent = espeak directly (22 kHz, the no-key voice). */
  tts?: TTtsProvider;
  log?: TLogger;
}

export type TBusinessVoice = { name: string; settings: { greetingText?: string; voice?: string } };

async function businessFor(owner: TPromptOwner | undefined): Promise<TBusinessVoice | undefined> {
  if (!owner?.db) return undefined;
  const q = owner.db.select({ name: businesses.name, settings: businesses.settings, active: businesses.active }).from(businesses);
  const rows = owner.businessId ? await q.where(eq(businesses.id, owner.businessId)).limit(1) : await q.where(eq(businesses.active, true)).orderBy(asc(businesses.createdAt)).limit(1);
  return rows[0];
}

/** The text and voice of a prompt for a business. */
export function promptFor(name: TStaticName, business: TBusinessVoice | undefined): { text: string; voice: string | null } {
  const voice = business?.settings.voice ?? null;
  if (name === GREETING_FILE) return { text: greetingTextFor(business?.name, business?.settings), voice };
  return { text: PROMPT_TEXTS[name], voice };
}

export function createStaticAudio(cacheDir: string | undefined, opts: TStaticAudioOptions = {}): TStaticAudio {
  const engine = opts.tts?.name ?? "espeak";
  const memo = new Map<string, Promise<TRenderedPrompt & { stopgap?: boolean }>>();
  let warmed = false;

  const synthesize = async (text: string, voice: string | null): Promise<{ pcm: Int16Array; sampleRate: number; stopgap?: boolean }> => {
    if (opts.tts) {
      try {
        const parts: Uint8Array[] = [];
        for await (const c of opts.tts.synthesize({ text, voice: voice ?? undefined })) parts.push(c);
        const mulaw = Buffer.concat(parts);
        if (mulaw.length) return { pcm: mulawToPcm16(mulaw), sampleRate: 8000 };
        throw new Error("empty synthesis");
      } catch (err) {
        // A prompt must exist: the local voice rather than silence.
        opts.log?.warn({ err, tts: engine }, "prompt synthesis failed, using the local voice");
        // A stopgap: not cached under the configured engine's key, so the next request asks it again.
        return { ...(await espeakSynthesize(text)), stopgap: true };
      }
    }
    return espeakSynthesize(text);
  };

  const build = async (key: string, text: string, voice: string | null): Promise<TRenderedPrompt & { stopgap?: boolean }> => {
    const file = cacheDir ? join(cacheDir, `${key}.mp3`) : undefined;
    const meta = file ? `${file}.json` : undefined;
    if (file && meta && existsSync(file) && existsSync(meta)) {
      const { seconds } = JSON.parse(readFileSync(meta, "utf8")) as { seconds: number };
      return { mp3: new Uint8Array(readFileSync(file)), text, voice, seconds };
    }
    const { pcm, sampleRate, stopgap } = await synthesize(text, voice);
    const mp3 = encodeMp3(pcm, sampleRate);
    const seconds = pcm.length / sampleRate;
    if (stopgap) return { mp3, text, voice, seconds, stopgap };
    if (file && meta && cacheDir) {
      mkdirSync(cacheDir, { recursive: true });
      writeFileSync(file, mp3);
      writeFileSync(meta, JSON.stringify({ text, voice, engine, seconds }));
    }
    return { mp3, text, voice, seconds };
  };

  const render = (text: string, voice?: string | null): Promise<TRenderedPrompt> => {
    const v = voice ?? null;
    // The configured default voice is part of the key: changing it must not replay prompts made in the old one.
    const key = promptKey(engine, v ?? opts.tts?.defaultVoice, text);
    let p = memo.get(key);
    if (!p) {
      p = build(key, text, v);
      p.then(
        (r) => r.stopgap && memo.delete(key),
        () => memo.delete(key),
      );
      memo.set(key, p);
    }
    return p;
  };

  return {
    engine,
    render,
    async get(name, owner) {
      const { text, voice } = promptFor(name, await businessFor(owner));
      return (await render(text, voice)).mp3;
    },
    async warm(db) {
      const owners: (TBusinessVoice | undefined)[] = [undefined];
      if (db) owners.push(...(await db.select({ name: businesses.name, settings: businesses.settings }).from(businesses).where(eq(businesses.active, true))));
      for (const b of owners) for (const name of STATIC_NAMES) await render(promptFor(name, b).text, promptFor(name, b).voice);
      warmed = true;
    },
    ready: () => warmed,
  };
}

/**
 * Public URL of a prompt for Twilio <Play>. `business` picks its greeting and
 * voice; `v` changes with the text and voice, so a cached old recording is
 * never played after the greeting is edited.
 */
export function promptUrl(origin: string, name: TStaticName, business?: TBusinessVoice & { id: string }): string {
  if (!business) return `${origin}/static/${name}`;
  const { text, voice } = promptFor(name, business);
  const v = createHash("sha256").update(`${voice ?? ""}\u0000${text}`).digest("hex").slice(0, 10);
  return `${origin}/static/${name}?business=${business.id}&v=${v}`;
}
