/**
 * Pre-synthesised audio the media path needs instantly: each business's
 * greeting (so the first frame leaves within 100 ms of `start`) and the Hebrew
 * apology played when a provider fails or is too slow (never silence).
 * Greetings are cached per business and refreshed in the background when the
 * text in settings changes (stale-while-revalidate).
 */
import { eq } from "drizzle-orm";
import type { TLogger } from "../kernel/logger";
import type { TDb } from "../../db/client";
import { businesses } from "../../db/schema";
import type { TTtsProvider } from "./providers/types";
import type { TPromptStore } from "./prompt-store";

export const DEFAULT_GREETING = "שלום, איך אפשר לעזור לכם היום?";
export const APOLOGY_TEXT = "סליחה, לא שמעתי טוב, אפשר לחזור על זה?";
export const FILLER_TEXT = "רגע אחד, אני בודקת.";

/** The greeting text for a business: its setting, else built from its name. */
export function greetingTextFor(name: string | undefined, settings: { greetingText?: string } | undefined): string {
  const custom = settings?.greetingText?.trim();
  if (custom) return custom;
  return name ? `שלום, הגעתם ל${name}. איך אפשר לעזור לכם היום?` : DEFAULT_GREETING;
}

/** Collect a TTS stream into one buffer. */
export async function synthesizeAll(tts: TTtsProvider, text: string, voice?: string): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const c of tts.synthesize({ text, voice })) parts.push(c);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export interface TVoicePrompts {
  /** Cached greeting for the business (or the generic one); never waits. */
  greeting(businessId: string | undefined): { text: string; mulaw: Uint8Array } | null;
  /** Re-synthesise the business's greeting if its text or voice changed (background). */
  refreshGreeting(businessId: string, text: string, voice?: string): Promise<void>;
  apology(): { text: string; mulaw: Uint8Array } | null;
  /** Said when a reply is slow, in the business voice (local voice if that fails). */
  filler(): { text: string; mulaw: Uint8Array } | null;
  /** Resolves once `warm()` has finished (successfully or not). */
  whenReady(): Promise<void>;
  /** True once `warm()` finished without error (readiness: /ready). */
  isReady(): boolean;
  /** Synthesise the generic greeting, the apology and every active business's greeting. */
  warm(db?: TDb): Promise<void>;
}

export function createVoicePrompts(deps: {
  tts: TTtsProvider;
  fallbackTts: TTtsProvider;
  log: TLogger;
  /** Prompts kept between starts (./prompt-store): a restart reads them instead of synthesising again. */
  store?: TPromptStore;
}): TVoicePrompts {
  // Keyed by business; an entry is current only for the text *and* voice it was made with.
  const greetings = new Map<string, { text: string; voice: string | undefined; mulaw: Uint8Array }>();
  let warmed = false;
  const inflight = new Map<string, Promise<void>>();
  let generic: { text: string; mulaw: Uint8Array } | null = null;
  let apology: { text: string; mulaw: Uint8Array } | null = null;
  let filler: { text: string; mulaw: Uint8Array } | null = null;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((r) => (markReady = r));

  // Stored under the engine that made it: a local-voice stopgap is never kept as the business voice.
  const synthesize = async (tts: TTtsProvider, text: string, voice?: string) => {
    const heard = voice ?? tts.defaultVoice;
    const kept = deps.store?.get(tts.name, heard, text);
    if (kept?.length) return kept;
    const a = await synthesizeAll(tts, text, voice);
    if (a.length) deps.store?.put(tts.name, heard, text, a);
    return a;
  };
  // The business voice first; the local voice if that provider fails (a greeting must exist).
  const speak = async (text: string, voice?: string) => {
    try {
      const a = await synthesize(deps.tts, text, voice);
      if (a.length) return a;
      throw new Error("empty synthesis");
    } catch (err) {
      if (deps.tts === deps.fallbackTts) throw err;
      deps.log.warn({ err, tts: deps.tts.name }, "greeting synthesis failed, using the local voice");
      return synthesize(deps.fallbackTts, text);
    }
  };

  const prompts: TVoicePrompts = {
    greeting(businessId) {
      return (businessId && greetings.get(businessId)) || generic;
    },
    refreshGreeting(businessId, text, voice) {
      const current = greetings.get(businessId);
      if (current && current.text === text && current.voice === voice) return Promise.resolve();
      const key = `${businessId}\u0000${voice ?? ""}\u0000${text}`;
      let p = inflight.get(key);
      if (!p) {
        p = speak(text, voice)
          .then((mulaw) => void greetings.set(businessId, { text, voice, mulaw }))
          .catch((err) => deps.log.error({ err, businessId }, "could not synthesise greeting"))
          .finally(() => inflight.delete(key));
        inflight.set(key, p);
      }
      return p;
    },
    apology: () => apology,
    filler: () => filler,
    whenReady: () => ready,
    isReady: () => warmed,
    async warm(db) {
      try {
        await warmAll(db);
        warmed = true;
      } finally {
        markReady();
      }
    },
  };
  async function warmAll(db?: TDb) {
    {
      const t0 = performance.now();
      // The apology always uses the local voice: it must work when providers do not.
      apology = { text: APOLOGY_TEXT, mulaw: await synthesize(deps.fallbackTts, APOLOGY_TEXT) };
      generic = { text: DEFAULT_GREETING, mulaw: await speak(DEFAULT_GREETING) };
      filler = { text: FILLER_TEXT, mulaw: await speak(FILLER_TEXT) };
      if (db) {
        const rows = await db.select({ id: businesses.id, name: businesses.name, settings: businesses.settings }).from(businesses).where(eq(businesses.active, true));
        for (const b of rows) await prompts.refreshGreeting(b.id, greetingTextFor(b.name, b.settings), b.settings.voice);
      }
      deps.log.info({ greetings: greetings.size, ms: Math.round(performance.now() - t0) }, "voice prompts ready");
    }
  }
  return prompts;
}
