/**
 * The voice prompts test servers share. A server makes its prompts at start
 * and keeps them under a key of (engine, voice, text), as a production server
 * does across restarts: the in-call greetings, apology and filler in
 * DATA_DIR/voice (µ-law), the Twilio <Play> prompts in DATA_DIR/static (MP3
 * and a `.json`). With the local voice they cost ~5 s of CPU per start (espeak
 * WASM, then MP3), more than the rest of a start; every test server used to
 * pay it again for the same files.
 *
 * So the launcher seeds a new DATA_DIR from this shared folder and adds what
 * a server made to it: later servers find their prompts on disk, exactly the
 * path a restarted server takes. A suite that tests making them (the first
 * start, /ready before prompts exist) asks for a cold start.
 *
 * The folder is named by a hash of the code and packages that make the audio,
 * so a change there never plays a stale prompt; files are written under a
 * temporary name and renamed, an MP3 before its `.json` (a server uses a pair
 * only when both exist).
 */
import { createHash } from "node:crypto";
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hashTree, wipName } from "./fingerprint";

const ROOT = join(import.meta.dir, "..", "..");

/** Sources and packages whose change changes a prompt's audio. */
const AUDIO_SOURCES = ["api/static/static-audio.ts", "core/conversation/audio", "core/conversation/providers/tts", "core/conversation/voice-prompts.ts", "core/conversation/prompt-store.ts"];
const AUDIO_PACKAGES = ["espeak-ng", "@breezystack/lamejs"];

/** The prompt folders in DATA_DIR, and which files in each are complete prompts (the last file written of one). */
const FOLDERS: { name: string; complete: (file: string) => string[] | undefined }[] = [
  { name: "voice", complete: (f) => (f.endsWith(".ulaw") ? [f] : undefined) },
  { name: "static", complete: (f) => (f.endsWith(".mp3.json") ? [f.slice(0, -".json".length), f] : undefined) },
];

/** A `.json` the server may still be writing (or was killed writing) is not a complete prompt yet. */
const whole = (path: string) => {
  if (!path.endsWith(".json")) return true;
  try {
    JSON.parse(readFileSync(path, "utf8"));
    return true;
  } catch {
    return false;
  }
};
const SHARED = (() => {
  const hash = createHash("sha256");
  for (const s of AUDIO_SOURCES) hashTree(hash, join(ROOT, s), ROOT);
  for (const p of AUDIO_PACKAGES) hash.update(`${p}\0${(JSON.parse(readFileSync(require.resolve(`${p}/package.json`), "utf8")) as { version: string }).version}`);
  return join(tmpdir(), `kesher-test-prompts-${hash.digest("hex").slice(0, 16)}`);
})();

/** Seed a server's prompt folders (DATA_DIR/voice and /static) with every prompt made so far. */
export function seedPrompts(dataDir: string): void {
  for (const { name } of FOLDERS) {
    const shared = join(SHARED, name);
    if (existsSync(shared)) cpSync(shared, join(dataDir, name), { recursive: true, filter: (src) => !src.includes(".wip-") });
  }
}

/** Add the complete prompts a server made to the shared folder. */
export function sharePrompts(dataDir: string): void {
  for (const { name, complete } of FOLDERS) {
    const dir = join(dataDir, name);
    if (!existsSync(dir)) continue;
    const shared = join(SHARED, name);
    mkdirSync(shared, { recursive: true });
    for (const files of readdirSync(dir).map(complete)) {
      if (!files || existsSync(join(shared, files.at(-1)!)) || !files.every((f) => existsSync(join(dir, f)) && whole(join(dir, f)))) continue;
      for (const f of files) {
        const wip = wipName(join(shared, f));
        try {
          copyFileSync(join(dir, f), wip);
          renameSync(wip, join(shared, f));
        } catch {
          // The server's folder went away meanwhile (stopped): the next server makes and shares it.
          rmSync(wip, { force: true });
          break;
        }
      }
    }
  }
}
