/**
 * Where the voice prompts (greetings, the apology, the filler) are kept
 * between starts: a folder of µ-law files, one per (engine, voice, text). A
 * restarted server reads them instead of synthesising them again (seconds of
 * espeak CPU, or a Google request per prompt), so /ready answers sooner after
 * a deploy. A changed greeting text or voice is another key, so a stale
 * recording is never played. Files are written under a temporary name and
 * renamed, so a reader never meets half a file.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface TPromptStore {
  get(engine: string, voice: string | undefined, text: string): Uint8Array | undefined;
  put(engine: string, voice: string | undefined, text: string, mulaw: Uint8Array): void;
}

export function promptKey(engine: string, voice: string | undefined, text: string): string {
  return createHash("sha256").update(`${engine}\u0000${voice ?? ""}\u0000${text}`).digest("hex").slice(0, 32);
}

/** A folder-backed store; read or write failures only cost a synthesis (they are never thrown). */
export function createDiskPromptStore(dir: string): TPromptStore {
  const path = (engine: string, voice: string | undefined, text: string) => join(dir, `${promptKey(engine, voice, text)}.ulaw`);
  return {
    get(engine, voice, text) {
      const file = path(engine, voice, text);
      try {
        return existsSync(file) ? new Uint8Array(readFileSync(file)) : undefined;
      } catch {
        return undefined;
      }
    },
    put(engine, voice, text, mulaw) {
      const file = path(engine, voice, text);
      const wip = `${file}.wip-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
      try {
        mkdirSync(dir, { recursive: true });
        writeFileSync(wip, mulaw);
        renameSync(wip, file);
      } catch {
        try {
          rmSync(wip, { force: true });
        } catch {
          // Nothing was written (the folder could not be made).
        }
      }
    },
  };
}
