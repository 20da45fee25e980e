/**
 * Import-graph check (CI, `bun run check:layers`): dependencies point one way.
 *
 *   core/kernel → db → core/domain → core/conversation → realtime → api → web → test
 *
 * A file may import its own layer and the layers before it, never a later one.
 * Every relative import is checked: static, `export … from`, dynamic `import()`,
 * `require()` and `new URL(…, import.meta.url)`. Co-located unit tests (`*.test.ts`)
 * follow their folder's layer but may use the test fixtures (test/doubles, test/helpers).
 * `test/` (suites, doubles, benchmarks) and `scripts/` sit on top and may import anything.
 * Prints each violation as `file:line → target (layer → layer)` and exits 1 when any exist.
 *
 * Second rule of the house: no source file over MAX_LINES lines (tests and the dashboard too;
 * generated migrations and their snapshots are not source).
 */
import { readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

export const LAYERS: ReadonlyArray<{ name: string; prefixes: string[] }> = [
  { name: "kernel", prefixes: ["core/kernel/", "env.ts", "types/"] },
  { name: "db", prefixes: ["db/"] },
  { name: "domain", prefixes: ["core/domain/"] },
  { name: "conversation", prefixes: ["core/conversation/"] },
  { name: "realtime", prefixes: ["realtime/"] },
  { name: "api", prefixes: ["api/"] },
  { name: "web", prefixes: ["web/"] },
  { name: "test", prefixes: ["test/", "scripts/"] },
];

const FIXTURES = ["test/doubles/", "test/helpers/"];
const SOURCE = /\.(ts|tsx|mts|js|mjs)$/;
const IMPORT = /(\bfrom|\bimport|\brequire|\bimport\.meta\.resolve|\bnew URL)\s*\(?\s*(["'])(\.{1,2}\/[^"']*)\2/g;

export const MAX_LINES = 300;

/** Source files longer than MAX_LINES (repo-relative path and line count). */
export function oversized(files: string[], read: (file: string) => string): { file: string; lines: number }[] {
  return files
    .filter((f) => SOURCE.test(f) && !f.startsWith("db/migrations/"))
    .map((file) => ({ file, lines: read(file).split("\n").length - (read(file).endsWith("\n") ? 1 : 0) }))
    .filter((f) => f.lines > MAX_LINES);
}

export function layerOf(file: string): number {
  const i = LAYERS.findIndex((l) => l.prefixes.some((p) => file === p || file.startsWith(p)));
  return i;
}

export interface TViolation {
  file: string;
  line: number;
  target: string;
  from: string;
  to: string;
}

/** Check the given repo-relative files; `read` returns a file's text (tests pass their own). */
export function checkLayers(files: string[], read: (file: string) => string): TViolation[] {
  const out: TViolation[] = [];
  for (const file of files) {
    if (!SOURCE.test(file)) continue;
    const own = layerOf(file);
    if (own < 0) continue;
    const text = read(file);
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[3] as string;
      // `new URL("…", import.meta.url)` names code (a worker) or an asset folder; only code is an import.
      if (m[1] === "new URL" && !SOURCE.test(spec)) continue;
      const target = relative(".", resolve(dirname(file), spec)).replaceAll("\\", "/");
      const to = layerOf(target) >= 0 ? layerOf(target) : layerOf(`${target}/`);
      if (to < 0 || to <= own) continue;
      if (file.endsWith(".test.ts") && FIXTURES.some((p) => target.startsWith(p))) continue;
      const line = text.slice(0, m.index).split("\n").length;
      out.push({ file, line, target, from: LAYERS[own]!.name, to: LAYERS[to]!.name });
    }
  }
  return out;
}

if (import.meta.main) {
  const root = join(import.meta.dir, "..");
  process.chdir(root);
  const listed = Bun.spawnSync(["git", "ls-files", "-co", "--exclude-standard"], { cwd: root }).stdout.toString().split("\n");
  const files = listed.filter((f) => f && SOURCE.test(f) && !f.startsWith("node_modules/") && !f.includes("/node_modules/"));
  const present = files.filter((f) => {
    try {
      return statSync(f).isFile();
    } catch {
      return false;
    }
  });
  const read = (f: string) => readFileSync(f, "utf8");
  const violations = checkLayers(present, read);
  for (const v of violations) console.error(`${v.file}:${v.line} → ${v.target} (${v.from} must not import ${v.to})`);
  const long = oversized(present, read);
  for (const l of long) console.error(`${l.file}: ${l.lines} lines (at most ${MAX_LINES}; split it)`);
  console.log(`[layers] ${present.length} files checked, ${violations.length} upward import(s), ${long.length} file(s) over ${MAX_LINES} lines`);
  process.exit(violations.length || long.length ? 1 : 0);
}
