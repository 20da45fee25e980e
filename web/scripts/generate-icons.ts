/**
 * Generates the PWA icons (web/public/icons/*.png) from one SVG with sharp.
 * Run after changing the logo: `bun web/scripts/generate-icons.ts`.
 * The mark is drawn with paths (no text), so it renders identically anywhere.
 */
import sharp from "sharp";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const out = join(import.meta.dir, "..", "public", "icons");

/** A speech bubble with sound waves on the brand teal; `pad` shrinks it for maskable icons. */
export function logoSvg(size: number, pad = 0): string {
  const s = 512;
  const inner = s - pad * 2;
  const k = inner / s;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${s} ${s}">
  <rect width="${s}" height="${s}" rx="${pad ? 0 : 112}" fill="#0f766e"/>
  <g transform="translate(${pad} ${pad}) scale(${k})">
    <path d="M116 150h280a40 40 0 0 1 40 40v140a40 40 0 0 1-40 40H240l-86 62v-62h-38a40 40 0 0 1-40-40V190a40 40 0 0 1 40-40z" fill="#ffffff"/>
    <g stroke="#0f766e" stroke-width="26" stroke-linecap="round">
      <line x1="186" y1="240" x2="186" y2="280"/>
      <line x1="236" y1="215" x2="236" y2="305"/>
      <line x1="286" y1="228" x2="286" y2="292"/>
      <line x1="336" y1="245" x2="336" y2="275"/>
    </g>
  </g>
</svg>`;
}

if (import.meta.main) {
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "icon.svg"), logoSvg(512));
  for (const size of [192, 512]) {
    await sharp(Buffer.from(logoSvg(size))).resize(size, size).png().toFile(join(out, `icon-${size}.png`));
    await sharp(Buffer.from(logoSvg(size, 64))).resize(size, size).png().toFile(join(out, `maskable-${size}.png`));
  }
  await sharp(Buffer.from(logoSvg(180))).resize(180, 180).png().toFile(join(out, "apple-touch-icon.png"));
  console.log(`icons written to ${out}`);
}
