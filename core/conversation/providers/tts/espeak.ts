/**
 * Local Hebrew speech with espeak-ng compiled to WASM (GPL-3.0-or-later, loaded
 * lazily as a separate module). Unvocalised Hebrew is pronounced roughly: a
 * no-key default, not a product voice.
 */
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { parseWav, wavToPcm16 } from "../../audio/wav";

export interface TEspeakOptions {
  voice?: string;
  /** Words per minute (espeak default 175). */
  speed?: number;
  pitch?: number;
}

type TEspeakModule = { FS: { readFile(path: string): Uint8Array } };
type TReceive = (instance: WebAssembly.Instance, module?: WebAssembly.Module) => void;
type TEspeakFactory = (opts: {
  arguments: string[];
  instantiateWasm?: (imports: WebAssembly.Imports, receive: TReceive) => object;
}) => Promise<TEspeakModule>;

let factory: Promise<TEspeakFactory> | undefined;
let compiled: Promise<WebAssembly.Module> | undefined;

/**
 * The 18 MB WASM (code + voice data) is compiled once per process; each
 * synthesis only instantiates it (the emscripten CLI build runs main once per
 * instance). Compiling per call cost ~400 ms.
 */
function compiledWasm(): Promise<WebAssembly.Module> {
  compiled ??= (async () => {
    const path = fileURLToPath(import.meta.resolve("espeak-ng/dist/espeak-ng.wasm"));
    return WebAssembly.compile(await readFile(path));
  })();
  compiled.catch(() => (compiled = undefined));
  return compiled;
}

/**
 * Synthesise text to PCM16 mono at espeak's native 22050 Hz. Runs in a small
 * worker pool: one synthesis is ~100–300 ms of synchronous WASM that would
 * otherwise stall every live call's media timing on the main thread.
 */
export function espeakSynthesize(text: string, opts: TEspeakOptions = {}): Promise<{ pcm: Int16Array; sampleRate: number }> {
  return inWorker(text, opts) ?? espeakSynthesizeInThread(text, opts);
}

/** Synthesise on the calling thread (the worker uses this). */
export async function espeakSynthesizeInThread(text: string, opts: TEspeakOptions = {}): Promise<{ pcm: Int16Array; sampleRate: number }> {
  factory ??= import("espeak-ng").then((m) => m.default as unknown as TEspeakFactory);
  const create = await factory;
  const wasm = await compiledWasm();
  const clean = text.replace(/\s+/g, " ").trim() || " ";
  const mod = await create({
    arguments: ["-v", opts.voice ?? "he", "-s", String(opts.speed ?? 165), "-p", String(opts.pitch ?? 50), "-w", "/out.wav", clean],
    instantiateWasm(imports, receive) {
      void WebAssembly.instantiate(wasm, imports).then((instance) => receive(instance, wasm));
      return {};
    },
  });
  const wav = parseWav(mod.FS.readFile("/out.wav"));
  return { pcm: wavToPcm16(wav), sampleRate: wav.sampleRate };
}

type TJob = { resolve: (r: { pcm: Int16Array; sampleRate: number }) => void; reject: (e: Error) => void };
const POOL_SIZE = 2;
let pool: { worker: Worker; busy: number }[] | null | undefined;
const jobs = new Map<number, TJob>();
let nextJob = 1;

function workerPool(): { worker: Worker; busy: number }[] | null {
  if (pool !== undefined) return pool;
  // Inside a worker (or a runtime without workers) synthesise in place.
  if (typeof Worker === "undefined" || !(globalThis as { Bun?: { isMainThread?: boolean } }).Bun?.isMainThread) return (pool = null);
  try {
    pool = Array.from({ length: POOL_SIZE }, () => {
      const worker = new Worker(new URL("./espeak-worker.ts", import.meta.url).href);
      (worker as Worker & { unref?: () => void }).unref?.();
      const slot = { worker, busy: 0 };
      worker.onmessage = (e: MessageEvent<{ id: number; pcm?: Int16Array; sampleRate?: number; error?: string }>) => {
        slot.busy--;
        retireWhenIdle();
        const job = jobs.get(e.data.id);
        jobs.delete(e.data.id);
        if (!job) return;
        if (e.data.error || !e.data.pcm) job.reject(new Error(e.data.error ?? "espeak worker returned nothing"));
        else job.resolve({ pcm: e.data.pcm, sampleRate: e.data.sampleRate ?? 22050 });
      };
      worker.onerror = (e) => {
        // A crashed worker fails its jobs; later calls fall back to the main thread.
        for (const [id, job] of jobs) {
          jobs.delete(id);
          job.reject(new Error(`espeak worker failed: ${e.message}`));
        }
        pool = null;
      };
      return slot;
    });
  } catch {
    pool = null;
  }
  return pool;
}

/** Workers idle this long are ended (each holds a JS heap and the espeak WASM); the next synthesis starts them again. */
const WORKER_IDLE_MS = 30_000;
let idleTimer: ReturnType<typeof setTimeout> | undefined;

function retireWhenIdle(): void {
  clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    const p = pool;
    if (!p || p.some((s) => s.busy > 0)) return;
    pool = undefined;
    for (const s of p) s.worker.terminate();
  }, WORKER_IDLE_MS);
  (idleTimer as { unref?: () => void }).unref?.();
}

function inWorker(text: string, opts: TEspeakOptions): Promise<{ pcm: Int16Array; sampleRate: number }> | undefined {
  const p = workerPool();
  if (!p) return undefined;
  const slot = p.reduce((a, b) => (b.busy < a.busy ? b : a));
  const id = nextJob++;
  slot.busy++;
  return new Promise((resolve, reject) => {
    jobs.set(id, { resolve, reject });
    slot.worker.postMessage({ id, text, opts });
  });
}
