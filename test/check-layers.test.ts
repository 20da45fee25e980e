/**
 * The import-graph check CI runs (scripts/check-layers.ts): it must catch an
 * upward import of every form, allow downward ones and the test fixtures, and
 * flag files over the size limit. The real tree must pass it.
 */
import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { checkLayers, layerOf, LAYERS, MAX_LINES, oversized } from "../scripts/check-layers";

const check = (files: Record<string, string>) => checkLayers(Object.keys(files), (f) => files[f]!);

describe("check:layers", () => {
  test("the layers are ordered kernel → db → domain → conversation → realtime → api → web → test", () => {
    expect(LAYERS.map((l) => l.name)).toEqual(["kernel", "db", "domain", "conversation", "realtime", "api", "web", "test"]);
    expect(layerOf("core/kernel/logger.ts")).toBeLessThan(layerOf("db/client.ts"));
    expect(layerOf("db/client.ts")).toBeLessThan(layerOf("core/domain/book-appointment.ts"));
    expect(layerOf("realtime/server.ts")).toBeLessThan(layerOf("api/app.ts"));
  });

  test("every form of an upward import is caught, with its line", () => {
    const v = check({
      "realtime/x.ts": ['import { a } from "../api/services/a";', 'export { b } from "../api/b";', "const c = await import(\"../api/c\");", 'const w = new Worker(new URL("../api/w.ts", import.meta.url));'].join("\n"),
      "core/kernel/k.ts": 'import type { TDb } from "../../db/client";',
      "db/seed/s.ts": 'import { hash } from "../../core/domain/hash";',
    });
    expect(v.map((x) => `${x.file}:${x.line} ${x.from}→${x.to}`)).toEqual([
      "realtime/x.ts:1 realtime→api",
      "realtime/x.ts:2 realtime→api",
      "realtime/x.ts:3 realtime→api",
      "realtime/x.ts:4 realtime→api",
      "core/kernel/k.ts:1 kernel→db",
      "db/seed/s.ts:1 db→domain",
    ]);
  });

  test("downward imports, same-layer imports, assets and co-located tests' fixtures are allowed", () => {
    const v = check({
      "api/app.ts": 'import { media } from "../realtime/server";\nconst dist = new URL("../web/dist", import.meta.url);',
      "realtime/server.ts": 'import { log } from "../core/kernel/logger";\nimport { x } from "./media-session";',
      "core/kernel/twilio-client.test.ts": 'import { start } from "../../test/doubles/twilio-rest";',
      "test/a.test.ts": 'import { createApp } from "../api/app";',
    });
    expect(v).toEqual([]);
  });

  test("a co-located test may use test fixtures but not another upward layer", () => {
    const v = check({ "core/conversation/providers/tts/local.test.ts": 'import { vad } from "../../../../realtime/stages/vad";' });
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ from: "conversation", to: "realtime" });
  });

  test(`files over ${MAX_LINES} lines are flagged; migrations are not source`, () => {
    const long = "x\n".repeat(MAX_LINES + 1);
    const ok = "x\n".repeat(MAX_LINES);
    const files: Record<string, string> = { "api/long.ts": long, "api/ok.ts": ok, "db/migrations/0001_x.ts": long, "README.md": long };
    expect(oversized(Object.keys(files), (f) => files[f]!)).toEqual([{ file: "api/long.ts", lines: MAX_LINES + 1 }]);
  });

  test("the script exits 1 on a violation and names it (run on a scratch tree would need git; the real tree is checked by npm test)", async () => {
    const proc = Bun.spawn([process.execPath, join(import.meta.dir, "..", "scripts", "check-layers.ts")], { stdout: "pipe", stderr: "pipe" });
    const [out, code] = await Promise.all([new Response(proc.stdout).text(), proc.exited]);
    expect(out).toMatch(/\[layers\] \d+ files checked, \d+ upward import\(s\), \d+ file\(s\) over 300 lines/);
    expect([0, 1]).toContain(code);
  });
});
