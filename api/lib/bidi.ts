/**
 * A small right-to-left layout helper for drawing Hebrew with libraries that
 * have no bidi support (pdf-lib). It implements the parts of the Unicode
 * Bidirectional Algorithm that Hebrew business documents need: an RTL
 * paragraph, Hebrew runs reversed, Latin words and numbers (with their
 * separators, e.g. `07.05.2026`, `1,234.50`, `054-123-4567`) kept left to
 * right, neutrals between two LTR runs joining them, and mirrored brackets.
 *
 * @example
 *   toVisualRuns("חוזה מס׳ 12/2026") // [{text:"2026/12", rtl:false}, {text:" ׳סמ הזוח", rtl:true}] (left → right)
 */

export type TBidiClass = "R" | "L" | "EN" | "ES" | "ET" | "N";

const MIRROR: Record<string, string> = { "(": ")", ")": "(", "[": "]", "]": "[", "{": "}", "}": "{", "<": ">", ">": "<", "«": "»", "»": "«" };

/** Bidi class of one code point (simplified). */
export function bidiClass(ch: string): TBidiClass {
  const cp = ch.codePointAt(0) ?? 0;
  if ((cp >= 0x0590 && cp <= 0x05ff) || (cp >= 0xfb1d && cp <= 0xfb4f)) return "R";
  if (cp >= 0x30 && cp <= 0x39) return "EN";
  // Separators that stay inside a number: 1,234.50 · 07.05.2026 · 12/2026 · 10:30 · 054-1234567
  if (ch === "." || ch === "," || ch === "/" || ch === ":" || ch === "-") return "ES";
  // Terminators that stick to an adjacent number: ₪1,180.00 · 18% (W5).
  if (ch === "%" || ch === "₪" || ch === "$" || ch === "€" || ch === "#" || ch === "+" || ch === "°") return "ET";
  if ((cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a) || (cp >= 0xc0 && cp <= 0x24f) || ch === "@") return "L";
  return "N";
}

/** One visual run: characters already in left-to-right drawing order. */
export interface TVisualRun {
  text: string;
  rtl: boolean;
}

/** Embedding level per character of an RTL paragraph: 1 = RTL, 2 = LTR inside it. */
export function resolveLevels(text: string): number[] {
  const chars = [...text];
  const cls = chars.map(bidiClass);
  // A separator between two digits belongs to the number (W4); otherwise it is neutral.
  for (let i = 0; i < cls.length; i++) {
    if (cls[i] !== "ES") continue;
    cls[i] = cls[i - 1] === "EN" && cls[i + 1] === "EN" ? "EN" : "N";
  }
  for (let i = 0; i < cls.length; i++) {
    if (cls[i] !== "ET") continue;
    let j = i;
    while (j < cls.length && cls[j] === "ET") j++;
    const touchesNumber = cls[i - 1] === "EN" || cls[j] === "EN";
    for (let k = i; k < j; k++) cls[k] = touchesNumber ? "EN" : "N";
    i = j - 1;
  }
  const strong = (c: TBidiClass | undefined) => c === "R" || c === "L" || c === "EN";
  const levels = cls.map((c) => (c === "R" ? 1 : c === "L" || c === "EN" ? 2 : 0));
  for (let i = 0; i < cls.length; i++) {
    if (levels[i] !== 0) continue;
    let p = i - 1;
    while (p >= 0 && !strong(cls[p])) p--;
    let n = i + 1;
    while (n < cls.length && !strong(cls[n])) n++;
    // N1/N2: neutrals take LTR only when both sides are LTR; else the paragraph (RTL) direction.
    const prevLtr = p >= 0 && cls[p] !== "R";
    const nextLtr = n < cls.length && cls[n] !== "R";
    levels[i] = prevLtr && nextLtr ? 2 : 1;
  }
  return levels;
}

/**
 * Reorder one line of an RTL paragraph into visual runs, left to right.
 * Each run keeps a single direction so a caller can pick a font per run.
 */
export function toVisualRuns(line: string): TVisualRun[] {
  const chars = [...line];
  if (chars.length === 0) return [];
  const levels = resolveLevels(line);
  // Logical runs of equal level.
  const runs: { chars: string[]; level: number }[] = [];
  for (let i = 0; i < chars.length; i++) {
    const last = runs[runs.length - 1];
    if (last && last.level === levels[i]) last.chars.push(chars[i]!);
    else runs.push({ chars: [chars[i]!], level: levels[i]! });
  }
  // L2: reverse the whole line (level ≥ 1); LTR runs keep their inner order, RTL runs reverse and mirror.
  return runs.reverse().map((r) =>
    r.level === 1 ? { text: r.chars.reverse().map((c) => MIRROR[c] ?? c).join(""), rtl: true } : { text: r.chars.join(""), rtl: false },
  );
}

/** The visual string of a line (runs concatenated), handy for tests and plain-text renderers. */
export function toVisual(line: string): string {
  return toVisualRuns(line)
    .map((r) => r.text)
    .join("");
}
