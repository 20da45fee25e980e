/**
 * Drops transcripts that are not what the caller said. Speech-to-text models
 * "hear" things in silence and line noise: subtitle credits they were trained
 * on ("תורגם על ידי", "כתוביות", "Thanks for watching"), the same phrase over
 * and over, punctuation only, or non-Hebrew noise. Acting on those would make
 * the agent answer a ghost, so they are rejected with a reason (for the logs).
 */

export type TRejectReason = "empty" | "no-words" | "hallucination" | "repetition" | "non-hebrew" | "filler" | "too-long-for-audio";

export type TFilterVerdict = { ok: true; text: string } | { ok: false; reason: TRejectReason; text: string };

/** Phrases STT models produce from silence (training-data credits and outros). */
const HALLUCINATIONS = [
  /תורגם\s+(?:על\s+)?(?:ידי|ע"י|ע״י)/,
  /תרגום(?:\s+ו?כתוביות)?\s*:/,
  /כתוביות(?:\s+(?:על\s+ידי|ע"י|ע״י|מאת|:))?/,
  /סונכרן\s+(?:על\s+ידי|ע"י)/,
  /הירשמו\s+לערוץ|תודה\s+(?:רבה\s+)?(?:שצפיתם|על\s+הצפייה|לצפייה)|אל\s+תשכחו\s+לעשות\s+לייק/,
  /thanks?\s+(?:you\s+)?for\s+watching/i,
  /subtitles?\s+by|captions?\s+by|transcribed\s+by|translated\s+by/i,
  /please\s+subscribe|like\s+and\s+subscribe/i,
  /amara\.org|www\.|\.com\b/i,
  /^\s*[♪♫🎵]+/,
];

const FILLERS = new Set(["אה", "אהה", "אההה", "אמ", "אממ", "הממ", "המממ", "מממ", "ממ", "אום", "הא", "אהם", "uh", "um", "hmm", "mm"]);
const LATIN_OK = new Set(["ok", "okay", "yes", "no", "bye", "hello", "hi"]);

/**
 * Judge one transcript.
 *
 * @param audioMs length of the audio it came from; a long text from a short
 *   clip is a hallucination (people speak ≤ ~25 characters per second).
 * @example filterTranscript("תורגם על ידי: אבי") // { ok: false, reason: "hallucination" }
 */
export function filterTranscript(raw: string, opts: { audioMs?: number } = {}): TFilterVerdict {
  const text = raw.replace(/\s+/g, " ").trim();
  if (!text) return { ok: false, reason: "empty", text };
  const letters = text.match(/\p{L}/gu) ?? [];
  if (letters.length === 0) return { ok: false, reason: "no-words", text };
  for (const re of HALLUCINATIONS) if (re.test(text)) return { ok: false, reason: "hallucination", text };

  const words = text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s'"]/gu, " ")
    .split(/\s+/)
    .filter(Boolean);
  if (words.length && words.every((w) => FILLERS.has(w))) return { ok: false, reason: "filler", text };

  const hebrew = letters.filter((c) => /[\u0590-\u05FF]/.test(c)).length;
  if (hebrew === 0 && !words.every((w) => LATIN_OK.has(w) || /^\d+$/.test(w))) return { ok: false, reason: "non-hebrew", text };
  if (hebrew > 0 && hebrew / letters.length < 0.5) return { ok: false, reason: "non-hebrew", text };
  // One letter stretched ("אאאאאאאא") is noise, not a word.
  if (/(\p{L})\1{4,}/u.test(text)) return { ok: false, reason: "repetition", text };

  if (isRepetitive(words)) return { ok: false, reason: "repetition", text };
  if (opts.audioMs !== undefined && opts.audioMs > 0 && text.length / (opts.audioMs / 1000) > 30 && text.length > 20) {
    return { ok: false, reason: "too-long-for-audio", text };
  }
  return { ok: true, text };
}

/** A phrase of 1–4 words repeated 3+ times in a row, or a long text with very few distinct words. */
function isRepetitive(words: string[]): boolean {
  for (let n = 1; n <= 4; n++) {
    for (let start = 0; start + n * 3 <= words.length; start++) {
      const phrase = words.slice(start, start + n).join(" ");
      let reps = 1;
      for (let p = start + n; p + n <= words.length && words.slice(p, p + n).join(" ") === phrase; p += n) reps++;
      if (reps >= (n === 1 ? 4 : 3)) return true;
    }
  }
  if (words.length >= 10 && new Set(words).size / words.length < 0.3) return true;
  return false;
}
