/**
 * Small pieces the test caches in the temp directory share (db-templates,
 * prompt-cache): a cache is named by a hash of what it is made from, and each
 * file is written under a temporary name and renamed, so another test process
 * never meets half of one.
 */
import type { Hash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/** Add a file, or every file under a folder (in name order), to `hash`: each as its path after `base`, then its bytes. */
export function hashTree(hash: Hash, path: string, base: string): Hash {
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path).sort((a, b) => a.localeCompare(b))) hashTree(hash, join(path, name), base);
  } else {
    hash.update(`${path.slice(base.length)}\0`).update(readFileSync(path));
  }
  return hash;
}

/** A temporary name next to `path`, unique to this process and call, to write before renaming to `path`. */
export const wipName = (path: string) => `${path}.wip-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
