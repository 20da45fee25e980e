/**
 * Text of a PDF as a reader would copy it, via pdf.js (the real parser):
 * items grouped into lines by baseline and kept in content-stream order (the
 * order the producer wrote them), runs that pdf.js marks RTL read backwards.
 */
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

const MIRROR: Record<string, string> = { "(": ")", ")": "(", "[": "]", "]": "[" };

interface TItem {
  str: string;
  dir: string;
  transform: number[];
  width: number;
}

/** One string per visual line, in logical (reading) order, page by page. */
export async function extractPdfLines(bytes: Uint8Array): Promise<string[]> {
  const doc = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, isEvalSupported: false }).promise;
  const out: string[] = [];
  for (let p = 1; p <= doc.numPages; p++) {
    const page = await doc.getPage(p);
    const content = await page.getTextContent();
    const items = (content.items as TItem[]).filter((i) => typeof i.str === "string" && i.str.length > 0);
    const byLine = new Map<number, TItem[]>();
    for (const it of items) {
      const y = Math.round(it.transform[5]!);
      byLine.set(y, [...(byLine.get(y) ?? []), it]);
    }
    for (const y of [...byLine.keys()].sort((a, b) => b - a)) {
      const line = byLine.get(y)!;
      const rtl = line.some((i) => /[\u0590-\u05ff]/.test(i.str));
      // Kesher writes runs in reading order; other producers write left to right.
      // pdf.js reports each run's direction but keeps visual order: read RTL runs backwards.
      // A run of only punctuation on a Hebrew line belongs to the RTL text around it.
      const isRtl = (i: TItem) => i.dir === "rtl" || (rtl && !/[\p{L}\p{N}]/u.test(i.str));
      const logical = line.map((i) => (isRtl(i) ? [...i.str].reverse().map((c) => MIRROR[c] ?? c).join("") : i.str));
      out.push(logical.join("").replace(/\s+/g, " ").trim());
    }
  }
  await doc.destroy();
  return out;
}
