import type sharpType from "sharp";

// sharp (~30 MB resident) loads at the first signature, not at start (#18 lean idle).
let sharpModule: Promise<typeof sharpType> | undefined;
const loadSharp = () => (sharpModule ??= import("sharp").then((m) => m.default));
import { AppError } from "../../../core/kernel/errors";

const MAX_BYTES = 512 * 1024;

const bad = (message: string, userMessage: string) => new AppError("BAD_REQUEST", message, { userMessage });

/**
 * Check a drawn signature sent as a PNG data URL: really a PNG, sane size,
 * and with ink on it (a blank canvas is not a signature). Returns the PNG
 * bytes, flattened onto white so it prints the same in every viewer.
 */
export async function parseSignaturePng(dataUrl: string): Promise<Uint8Array> {
  const m = /^data:image\/png;base64,([A-Za-z0-9+/=]+)$/.exec(dataUrl);
  if (!m) throw bad("signature is not a PNG data URL", "החתימה לא התקבלה, נסו לחתום שוב");
  const bytes = Buffer.from(m[1]!, "base64");
  if (bytes.length > MAX_BYTES) throw bad("signature too large", "קובץ החתימה גדול מדי");
  let raw: { data: Buffer };
  const sharp = await loadSharp();
  try {
    const meta = await sharp(bytes).metadata();
    if (meta.format !== "png" || !meta.width || !meta.height || meta.width > 2000 || meta.height > 1000 || meta.width < 100 || meta.height < 40) {
      throw new Error(`unexpected image ${meta.format} ${meta.width}x${meta.height}`);
    }
    raw = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  } catch (err) {
    throw new AppError("BAD_REQUEST", "signature image unreadable", { userMessage: "החתימה לא התקבלה, נסו לחתום שוב", cause: err });
  }
  // Ink = opaque, darkish pixels. A few dozen is the least a drawn stroke leaves.
  let ink = 0;
  const d = raw.data;
  for (let i = 0; i < d.length; i += 4) if (d[i + 3]! > 128 && d[i]! + d[i + 1]! + d[i + 2]! < 600) ink++;
  if (ink < 40) throw bad("signature is blank", "יש לחתום בתוך המסגרת לפני השליחה");
  return new Uint8Array(await sharp(bytes).flatten({ background: "#ffffff" }).png().toBuffer());
}
