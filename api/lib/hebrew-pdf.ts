/**
 * Hebrew A4 documents with pdf-lib: Noto Sans Hebrew (from @fontsource, WOFF
 * loaded by fontkit and subset-embedded), right-aligned lines laid out in
 * visual order by `bidi.ts` (pdf-lib has no bidi), a font chosen per run
 * (the Hebrew subset has no digits or Latin), word wrap and page breaks.
 *
 * @example
 *   const doc = await createHebrewPdf({ title: "חשבונית מס 1" });
 *   doc.heading("חשבונית מס 1");
 *   doc.paragraph("סה״כ לתשלום: ₪1,180.00");
 *   const bytes = await doc.save();
 */
import fontkit from "@pdf-lib/fontkit";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { PDFDocument, rgb, type PDFFont, type PDFPage } from "pdf-lib";
import { toVisualRuns } from "./bidi";

const require = createRequire(import.meta.url);
const FONT_DIR = join(dirname(require.resolve("@fontsource/noto-sans-hebrew/package.json")), "files");

interface TFontFiles {
  hebrew: Uint8Array;
  latin: Uint8Array;
  hebrewBold: Uint8Array;
  latinBold: Uint8Array;
}
let fontFiles: TFontFiles | undefined;
let hebrewCoverage: ((cp: number) => boolean) | undefined;
let latinCoverage: ((cp: number) => boolean) | undefined;

function loadFonts(): TFontFiles {
  if (fontFiles) return fontFiles;
  const file = (name: string) => new Uint8Array(readFileSync(join(FONT_DIR, `noto-sans-hebrew-${name}.woff`)));
  fontFiles = {
    hebrew: file("hebrew-400-normal"),
    latin: file("latin-400-normal"),
    hebrewBold: file("hebrew-700-normal"),
    latinBold: file("latin-700-normal"),
  };
  const heb = fontkit.create(fontFiles.hebrew as Buffer) as unknown as { hasGlyphForCodePoint(cp: number): boolean };
  const lat = fontkit.create(fontFiles.latin as Buffer) as unknown as { hasGlyphForCodePoint(cp: number): boolean };
  hebrewCoverage = (cp) => heb.hasGlyphForCodePoint(cp);
  latinCoverage = (cp) => lat.hasGlyphForCodePoint(cp) && !(cp >= 0x0590 && cp <= 0x05ff);
  return fontFiles;
}

const PAGE = { width: 595.28, height: 841.89, margin: 50 };

export interface THebrewPdf {
  heading(text: string, size?: number): void;
  paragraph(text: string, opts?: { size?: number; bold?: boolean; gap?: number }): void;
  /** Label/value rows, label on the right (RTL). */
  fields(rows: [label: string, value: string][]): void;
  /** Columns are given right to left, as a Hebrew reader sees them. */
  table(columns: { title: string; width: number }[], rows: string[][]): void;
  image(png: Uint8Array, opts: { width: number; height: number; caption?: string }): Promise<void>;
  space(points: number): void;
  save(): Promise<Uint8Array>;
}

export async function createHebrewPdf(meta: { title: string; subject?: string }): Promise<THebrewPdf> {
  const files = loadFonts();
  const pdf = await PDFDocument.create();
  pdf.registerFontkit(fontkit);
  pdf.setTitle(meta.title);
  if (meta.subject) pdf.setSubject(meta.subject);
  pdf.setProducer("Kesher");
  pdf.setLanguage("he-IL");
  const regular = { hebrew: await pdf.embedFont(files.hebrew, { subset: true }), latin: await pdf.embedFont(files.latin, { subset: true }) };
  const bold = { hebrew: await pdf.embedFont(files.hebrewBold, { subset: true }), latin: await pdf.embedFont(files.latinBold, { subset: true }) };

  let page: PDFPage = pdf.addPage([PAGE.width, PAGE.height]);
  let y = PAGE.height - PAGE.margin;
  const right = PAGE.width - PAGE.margin;
  const maxWidth = right - PAGE.margin;

  const ensure = (h: number) => {
    if (y - h >= PAGE.margin) return;
    page = pdf.addPage([PAGE.width, PAGE.height]);
    y = PAGE.height - PAGE.margin;
  };

  /** Split a visual run into pieces drawable with one font each. */
  const pieces = (text: string, rtl: boolean, fonts: { hebrew: PDFFont; latin: PDFFont }) => {
    const out: { text: string; font: PDFFont }[] = [];
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      const useHebrew = rtl ? hebrewCoverage!(cp) || !latinCoverage!(cp) : !latinCoverage!(cp) && hebrewCoverage!(cp);
      const font = useHebrew ? fonts.hebrew : fonts.latin;
      const last = out[out.length - 1];
      if (last && last.font === font) last.text += ch;
      else out.push({ text: ch, font });
    }
    return out;
  };

  /**
   * Text width from cached per-character advances: pdf-lib's widthOfTextAtSize
   * runs a full fontkit layout per call, which made word wrapping the slowest
   * part of a document. Hebrew and digits have no kerning pairs that matter here.
   */
  const advances = new Map<PDFFont, Map<string, number>>();
  const widthOf = (font: PDFFont, text: string, size: number) => {
    let cache = advances.get(font);
    if (!cache) advances.set(font, (cache = new Map()));
    let w = 0;
    for (const ch of text) {
      let a = cache.get(ch);
      if (a === undefined) cache.set(ch, (a = font.widthOfTextAtSize(ch, 1000) / 1000));
      w += a;
    }
    return w * size;
  };

  const measure = (line: string, size: number, fonts: { hebrew: PDFFont; latin: PDFFont }) =>
    toVisualRuns(line)
      .flatMap((r) => pieces(r.text, r.rtl, fonts))
      .reduce((w, p) => w + widthOf(p.font, p.text, size), 0);

  /**
   * Draw one line ending at `x1` (right-aligned). Positions follow the visual
   * layout, but glyph runs are written in reading order (runs right to left,
   * pieces of an RTL run right to left) so text extraction and screen readers
   * meet the words in the order they are read.
   */
  const drawLine = (line: string, x1: number, size: number, fonts: { hebrew: PDFFont; latin: PDFFont }) => {
    const runs = toVisualRuns(line).map((r) => {
      const parts = pieces(r.text, r.rtl, fonts).map((p) => ({ ...p, w: widthOf(p.font, p.text, size), x: 0 }));
      return { rtl: r.rtl, parts };
    });
    let x = x1 - runs.reduce((w, r) => w + r.parts.reduce((a, p) => a + p.w, 0), 0);
    for (const r of runs) for (const p of r.parts) (p.x = x), (x += p.w);
    for (const r of runs.reverse()) {
      for (const p of r.rtl ? r.parts.reverse() : r.parts) {
        page.drawText(p.text, { x: p.x, y, size, font: p.font, color: rgb(0.1, 0.1, 0.12) });
      }
    }
  };

  /** Greedy word wrap in logical order, so each line is reordered on its own. */
  const wrap = (text: string, width: number, size: number, fonts: { hebrew: PDFFont; latin: PDFFont }) => {
    const lines: string[] = [];
    for (const para of text.split("\n")) {
      let current = "";
      for (const word of para.split(/\s+/).filter(Boolean)) {
        const next = current ? `${current} ${word}` : word;
        if (current && measure(next, size, fonts) > width) {
          lines.push(current);
          current = word;
        } else current = next;
      }
      lines.push(current);
    }
    return lines;
  };

  const api: THebrewPdf = {
    heading(text, size = 18) {
      api.paragraph(text, { size, bold: true, gap: 10 });
    },
    paragraph(text, opts = {}) {
      const size = opts.size ?? 11;
      const fonts = opts.bold ? bold : regular;
      for (const line of wrap(text, maxWidth, size, fonts)) {
        ensure(size * 1.5);
        y -= size * 1.2;
        if (line) drawLine(line, right, size, fonts);
        y -= size * 0.3;
      }
      y -= opts.gap ?? 4;
    },
    fields(rows) {
      const size = 11;
      for (const [label, value] of rows) {
        ensure(size * 1.6);
        y -= size * 1.3;
        drawLine(`${label}:`, right, size, bold);
        drawLine(value || "—", right - 140, size, regular);
        y -= size * 0.3;
      }
      y -= 6;
    },
    table(columns, rows) {
      const size = 10;
      const all = [columns.map((c) => c.title), ...rows];
      all.forEach((row, i) => {
        ensure(size * 2);
        y -= size * 1.6;
        let x1 = right;
        row.forEach((cell, j) => {
          const col = columns[j]!;
          drawLine(cell, x1 - 4, size, i === 0 ? bold : regular);
          x1 -= col.width;
        });
        page.drawLine({ start: { x: PAGE.margin, y: y - 4 }, end: { x: right, y: y - 4 }, thickness: 0.5, color: rgb(0.75, 0.75, 0.78) });
      });
      y -= 12;
    },
    async image(png, opts) {
      const img = await pdf.embedPng(png);
      ensure(opts.height + 30);
      y -= opts.height;
      page.drawImage(img, { x: right - opts.width, y, width: opts.width, height: opts.height });
      page.drawLine({ start: { x: right - opts.width, y: y - 2 }, end: { x: right, y: y - 2 }, thickness: 0.7 });
      if (opts.caption) {
        y -= 16;
        drawLine(opts.caption, right, 9, regular);
      }
      y -= 10;
    },
    space(points) {
      y -= points;
    },
    save: () => pdf.save(),
  };
  return api;
}

/** SHA-256 of bytes as lowercase hex. */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Buffer.from(digest).toString("hex");
}
