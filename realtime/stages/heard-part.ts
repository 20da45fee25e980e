/** What the caller heard of a reply cut by a barge-in (the pacer's echoed marks say how much was played). */

/** The part of `text` heard, cut at a word boundary proportional to the audio played. */
export function heardPart(sentences: { text: string; startMs: number; totalMs: number }[], playedMs: number): string {
  const out: string[] = [];
  for (const s of sentences) {
    if (playedMs >= s.startMs + s.totalMs) {
      out.push(s.text);
      continue;
    }
    const fraction = (playedMs - s.startMs) / Math.max(1, s.totalMs);
    if (fraction > 0) {
      const words = s.text.split(/\s+/).filter(Boolean);
      const n = Math.floor(words.length * fraction);
      if (n > 0) out.push(`${words.slice(0, n).join(" ")}…`);
    }
    break;
  }
  return out.join(" ");
}
