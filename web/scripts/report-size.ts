/**
 * Prints the production dashboard's JavaScript size, raw and gzipped: the
 * first load (entry chunk + what index.html preloads) and all chunks
 * (pages are lazy). Run after `bun run build:web`: `bun run bench:web-size`.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const dist = join(import.meta.dir, "..", "dist");
const assets = join(dist, "assets");
const html = readFileSync(join(dist, "index.html"), "utf8");
const initial = new Set([...html.matchAll(/(?:src|href)="\/assets\/([^"]+\.js)"/g)].map((m) => m[1]!));

let all = { raw: 0, gz: 0 };
let first = { raw: 0, gz: 0 };
const rows: string[] = [];
for (const f of readdirSync(assets).filter((n) => n.endsWith(".js")).sort()) {
  const bytes = readFileSync(join(assets, f));
  const gz = gzipSync(bytes, { level: 9 }).length;
  all = { raw: all.raw + statSync(join(assets, f)).size, gz: all.gz + gz };
  if (initial.has(f)) first = { raw: first.raw + bytes.length, gz: first.gz + gz };
  rows.push(`${(gz / 1024).toFixed(1).padStart(7)} KB gz  ${f}${initial.has(f) ? "  (first load)" : ""}`);
}
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
console.log(rows.join("\n"));
console.log(`\nfirst load JS: ${kb(first.raw)} raw, ${kb(first.gz)} gzipped`);
console.log(`all JS chunks: ${kb(all.raw)} raw, ${kb(all.gz)} gzipped (target ≤ 150 KB)`);
