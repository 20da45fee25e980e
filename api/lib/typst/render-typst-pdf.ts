/**
 * Hebrew documents (invoices, contracts, reports) typeset by Typst, which
 * shapes Hebrew and orders mixed right-to-left / left-to-right text itself
 * (Unicode bidi, tables included). Templates are `.typ` files beside their
 * service; data goes in as one JSON string through `sys.inputs.data`, so user
 * text is never spliced into Typst markup. Images (a drawn signature) go in as
 * shadow files under a per-render path.
 *
 * The compiler is a native module (~30 MB resident with the fonts, measured): it is
 * loaded on the first render, not at start, and then reused.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { NodeCompiler } from "@myriaddreamin/typst-ts-node-compiler";
import { AppError } from "../../../core/kernel/errors";

const require = createRequire(import.meta.url);

/** Noto Sans Hebrew for Hebrew, Noto Sans for digits and Latin (one family, so numbers match the text). */
const FONT_FILES = [
  ["@embedpdf/fonts-hebrew", "NotoSansHebrew-Regular.ttf"],
  ["@embedpdf/fonts-hebrew", "NotoSansHebrew-Bold.ttf"],
  ["@embedpdf/fonts-latin", "NotoSans-Regular.ttf"],
  ["@embedpdf/fonts-latin", "NotoSans-Bold.ttf"],
] as const;

/**
 * A virtual project root: nothing is read from disk through Typst, so a
 * template can't reach the server's files. Shared page setup and helpers sit
 * at its `/kesher.typ`; per-render images under `/files/<render id>/`.
 */
const ROOT = "/kesher-documents";

let compilerPromise: Promise<NodeCompiler> | null = null;
let renders = 0;

function fontBuffers(): Buffer[] {
  return FONT_FILES.map(([pkg, file]) => {
    // The packages export only JS; find their folder from the entry point (dist/…) instead of package.json.
    const root = dirname(dirname(require.resolve(pkg)));
    return readFileSync(join(root, "fonts", file));
  });
}

async function getCompiler(): Promise<NodeCompiler> {
  compilerPromise ??= (async () => {
    const { NodeCompiler } = await import("@myriaddreamin/typst-ts-node-compiler");
    const compiler = NodeCompiler.create({ workspace: ROOT, fontArgs: [{ fontBlobs: fontBuffers() }] });
    compiler.addSource(`${ROOT}/kesher.typ`, readFileSync(fileURLToPath(new URL("./kesher.typ", import.meta.url)), "utf8"));
    return compiler;
  })();
  try {
    return await compilerPromise;
  } catch (err) {
    compilerPromise = null;
    throw err;
  }
}

const templateCache = new Map<string, string>();

/** Read a `.typ` template once (path from `new URL("./x.typ", import.meta.url)`). */
export function loadTemplate(url: URL): string {
  const key = url.href;
  let text = templateCache.get(key);
  if (text === undefined) {
    text = readFileSync(fileURLToPath(url), "utf8");
    templateCache.set(key, text);
  }
  return text;
}

export interface TRenderInput {
  /** Typst markup of the template (see `loadTemplate`). */
  template: string;
  /** Everything the template prints; read in Typst as `json(bytes(sys.inputs.data))`. */
  data: unknown;
  /** Binary files the template reads by name, e.g. `{ "signature.png": bytes }` → `image(d.files.at("signature.png"))`. */
  files?: Record<string, Uint8Array>;
}

/**
 * Compile a template with its data to PDF bytes. The native calls are
 * synchronous, so a render's shadow files can't leak into another render.
 * Memory stays flat over thousands of renders (measured: ~200 MB RSS after
 * the first 200 invoices, unchanged after 600).
 */
export async function renderTypstPdf(input: TRenderInput): Promise<Uint8Array> {
  const compiler = await getCompiler();
  const id = crypto.randomUUID();
  const paths: Record<string, string> = {};
  for (const [name, bytes] of Object.entries(input.files ?? {})) {
    const path = `/files/${id}/${name}`;
    compiler.mapShadow(`${ROOT}${path}`, Buffer.from(bytes));
    paths[name] = path;
  }
  try {
    // pdf() straight from the source: keeping the compile result as a JS handle holds its memory until a GC.
    let pdf: Buffer;
    try {
      pdf = compiler.pdf({ mainFileContent: input.template, inputs: { data: JSON.stringify({ ...(input.data as object), files: paths }) } });
    } catch (err) {
      // The native error carries Typst's diagnostics in `code` ("0: panicked with: …").
      const detail = (err as { code?: unknown }).code ?? String(err);
      throw new AppError("INTERNAL", `typst compile failed: ${String(detail).slice(0, 2000)}`, { userMessage: "הפקת המסמך נכשלה", cause: err });
    }
    return new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  } finally {
    for (const path of Object.values(paths)) compiler.unmapShadow(`${ROOT}${path}`);
    // Typst memoises layouts; drop entries unused for a while so a long-running server stays flat.
    if (++renders % 10 === 0) compiler.evictCache(5);
  }
}
