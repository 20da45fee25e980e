/**
 * Where words stand on a PDF page, as a person sees them: poppler's
 * `pdftotext -bbox` gives every word's box. A
 * right-to-left line reads from the right, so the first word in reading
 * order must stand rightmost. poppler may report a correctly shaped RTL word
 * glyph-reversed ("יש" for "שי") at the right x: words are compared both
 * ways. Also renders pages to PNG (`pdftoppm`) for looking at.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TWord {
  text: string;
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}
export interface TLine {
  page: number;
  yMin: number;
  /** Words left to right by position. */
  words: TWord[];
}

const BIDI_CONTROLS = /[\u200e\u200f\u202a-\u202e\u2066-\u2069\s]/g;
const HEBREW = /[\u0590-\u05ff]/;
const clean = (s: string) => s.replace(BIDI_CONTROLS, "");
const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

function run(cmd: string[]): Uint8Array {
  const r = Bun.spawnSync(cmd, { stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`${cmd[0]} failed: ${r.stderr.toString()}`);
  return r.stdout;
}

/**
 * Visual lines of words, page by page, top to bottom: words whose vertical
 * centres are within half a line of each other stand on one line, whatever
 * block poppler put them in (a table row, a label and its value).
 */
export function pdfLines(pdf: Uint8Array): TLine[] {
  const dir = mkdtempSync(join(tmpdir(), "kesher-pdf-"));
  try {
    const file = join(dir, "doc.pdf");
    writeFileSync(file, pdf);
    const xml = new TextDecoder().decode(run(["pdftotext", "-bbox", file, "-"]));
    const lines: TLine[] = [];
    let page = 0;
    for (const pageXml of xml.split("<page ").slice(1)) {
      page++;
      const words: TWord[] = [];
      for (const m of pageXml.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)) {
        const text = clean(decode(m[5]!));
        if (text) words.push({ text, xMin: Number(m[1]), yMin: Number(m[2]), xMax: Number(m[3]), yMax: Number(m[4]) });
      }
      const mid = (w: TWord) => (w.yMin + w.yMax) / 2;
      const pageLines: TLine[] = [];
      for (const w of [...words].sort((a, b) => mid(a) - mid(b))) {
        const line = pageLines.find((l) => Math.abs(mid(l.words[0]!) - mid(w)) < (w.yMax - w.yMin) / 2);
        if (line) line.words.push(w);
        else pageLines.push({ page, yMin: w.yMin, words: [w] });
      }
      for (const l of pageLines) {
        l.words.sort((a, b) => a.xMin - b.xMin);
        // poppler splits punctuation touching a number ("12" + ","): one word to the eye.
        const merged: TWord[] = [];
        for (const w of l.words) {
          const prev = merged.at(-1);
          const punct = (x: TWord) => !/[\p{L}\p{N}]/u.test(x.text);
          if (prev && w.xMin - prev.xMax < 0.5 && (punct(w) || punct(prev))) {
            merged[merged.length - 1] = { ...prev, text: prev.text + w.text, xMax: w.xMax, yMin: Math.min(prev.yMin, w.yMin), yMax: Math.max(prev.yMax, w.yMax) };
          } else merged.push(w);
        }
        l.words = merged;
      }
      lines.push(...pageLines);
    }
    return lines;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const reverse = (s: string) => [...s].reverse().join("");
const MIRROR: Record<string, string> = { "(": ")", ")": "(", "[": "]", "]": "[" };
/**
 * A poppler word matches a token as written, glyph-reversed (RTL runs), or,
 * for a number with punctuation stuck to it on a Hebrew line ("12,"), with
 * that punctuation on the number's other side, where the bidi algorithm puts
 * it (it takes the Hebrew direction: ",12" left to right).
 */
function same(word: string, token: string): boolean {
  if (word === token || (HEBREW.test(token) && reverse(word) === token)) return true;
  const m = /^([^\p{L}\p{N}]*)(.*?)([^\p{L}\p{N}]*)$/u.exec(token);
  if (!m || HEBREW.test(token)) return false;
  const flip = (p: string) => [...p].reverse().map((c) => MIRROR[c] ?? c).join("");
  return word === `${flip(m[3]!)}${m[2]}${flip(m[1]!)}`;
}

/**
 * The order in which a reader's eye meets the tokens of a Hebrew line when
 * scanning the page from right to left: Hebrew tokens keep reading order;
 * a run of consecutive left-to-right tokens (numbers, Latin) is itself read
 * left to right, so it appears reversed in a right-to-left scan.
 */
export function rightToLeftScan(tokens: string[]): string[] {
  const out: string[] = [];
  let run: string[] = [];
  for (const t of tokens) {
    if (t === "|") {
      out.push(...run.reverse());
      run = [];
    } else if (HEBREW.test(t)) {
      out.push(...run.reverse(), t);
      run = [];
    } else run.push(t);
  }
  return [...out, ...run.reverse()];
}

/**
 * Find the line showing `text` (a Hebrew sentence in reading order) with its
 * words placed right to left as a person reads it. ` | ` separates cells of a
 * table row or of a label/value grid (separate paragraphs: a number run
 * never spans them). Returns the line, or a
 * description of what the page shows instead (for the assertion message).
 */
export function findRtlLine(lines: TLine[], text: string): { ok: true; line: TLine } | { ok: false; seen: string[] } {
  const tokens = text.split(/\s+/).map(clean).filter(Boolean);
  const expected = rightToLeftScan(tokens);
  for (const line of lines) {
    const rtl = [...line.words].reverse();
    for (let start = 0; start + expected.length <= rtl.length; start++) {
      if (expected.every((t, i) => same(rtl[start + i]!.text, t))) {
        // Right to left means strictly decreasing x as we go.
        const slice = rtl.slice(start, start + expected.length);
        if (slice.every((w, i) => i === 0 || w.xMax <= slice[i - 1]!.xMin + 0.5)) return { ok: true, line };
      }
    }
  }
  return { ok: false, seen: lines.map((l) => [...l.words].reverse().map((w) => w.text).join(" ")) };
}

/** Throws with what the page shows unless every sentence stands right to left on some line. */
export function expectRtlLines(pdf: Uint8Array, sentences: string[]): TLine[] {
  const lines = pdfLines(pdf);
  for (const s of sentences) {
    const r = findRtlLine(lines, s);
    if (!r.ok) throw new Error(`no right-to-left line reads "${s}"; lines seen right to left:\n${r.seen.join("\n")}`);
  }
  return lines;
}

/** Render page `page` (1-based) to a PNG file at `dpi` and return its bytes. */
export function renderPagePng(pdf: Uint8Array, outFile: string, opts: { page?: number; dpi?: number } = {}): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), "kesher-png-"));
  try {
    const file = join(dir, "doc.pdf");
    writeFileSync(file, pdf);
    const page = String(opts.page ?? 1);
    run(["pdftoppm", "-png", "-r", String(opts.dpi ?? 80), "-f", page, "-l", page, "-singlefile", file, join(dir, "page")]);
    const png = readFileSync(join(dir, "page.png"));
    writeFileSync(outFile, png);
    return png;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** How many images the PDF draws (poppler's `pdfimages -list`), e.g. the contract's signature. */
export function pdfImageCount(pdf: Uint8Array): number {
  const dir = mkdtempSync(join(tmpdir(), "kesher-img-"));
  try {
    const file = join(dir, "doc.pdf");
    writeFileSync(file, pdf);
    const out = new TextDecoder().decode(run(["pdfimages", "-list", file]));
    return out.split("\n").filter((l) => /^\s*\d+\s+\d+\s+image\b/.test(l)).length;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
