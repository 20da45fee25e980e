/**
 * `npm start` builds the dashboard once on a fresh clone; later starts reuse
 * web/dist unless a source file is newer than the build.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dir, "..");
const dist = join(root, "web", "dist", "index.html");

function newest(dir: string): number {
  let max = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    max = Math.max(max, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return max;
}

const sources = Math.max(newest(join(root, "web", "src")), statSync(join(root, "web", "index.html")).mtimeMs);
if (existsSync(dist) && statSync(dist).mtimeMs >= sources) process.exit(0);

console.log("[kesher] building the dashboard (first start or changed sources)…");
const proc = Bun.spawnSync([process.execPath, "--bun", "vite", "build"], { cwd: join(root, "web"), stdout: "inherit", stderr: "inherit" });
process.exit(proc.exitCode ?? 1);
