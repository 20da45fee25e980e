/**
 * The supported versions, settled: Kesher runs on Bun (from npm); Node.js ≥ 20
 * only runs npm. Every installed package that declares engines.node must accept
 * the Node version Bun implements, or it would not be safe to silence npm's
 * EBADENGINE warnings about the installing Node (.npmrc).
 */
import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";

const ROOT = join(import.meta.dir, "..");

test("every dependency's engines.node accepts the Node version Bun implements", () => {
  const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { engines?: { node?: string } | string[]; dev?: boolean; optional?: boolean }> };
  const bunNode = process.version.replace(/^v/, "");
  const declared: string[] = [];
  const refused: string[] = [];
  for (const [path, pkg] of Object.entries(lock.packages)) {
    if (!path.startsWith("node_modules/") || pkg.dev || pkg.optional) continue;
    const range = !Array.isArray(pkg.engines) ? pkg.engines?.node : undefined;
    if (!range) continue;
    declared.push(path);
    if (!Bun.semver.satisfies(bunNode, range)) refused.push(`${path.slice("node_modules/".length)} (${range})`);
  }
  expect(declared.length).toBeGreaterThan(20);
  expect(refused).toEqual([]);
});

test("the project states what it runs on: Bun from npm, npm on Node.js ≥ 20", () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { engines: Record<string, string>; devDependencies: Record<string, string> };
  expect(pkg.engines.node).toBe(">=20");
  expect(pkg.devDependencies.bun).toBeDefined();
  expect(readFileSync(join(ROOT, ".npmrc"), "utf8")).toMatch(/^loglevel=error$/m);
});
