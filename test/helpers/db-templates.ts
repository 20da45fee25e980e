/**
 * The test databases' templates: migrations run once into a template and
 * every suite gets a copy (see createTestDb in ./db).
 * - PGlite: the migrated data directory as a tarball (and a folder, for test
 *   servers) in the temp directory, shared by test processes; a seeded one
 *   (tarball and folder) per process.
 * - PostgreSQL: one migrated template database per migrations set, and a
 *   seeded one per process.
 */
import type { PGlite } from "@electric-sql/pglite";
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import postgres from "postgres";
import { createDb, MIGRATIONS_FOLDER, type TPgliteEngine } from "../../db/client";
import { seedDemo } from "../../db/seed/seed-demo";
import type { TPasswordCost } from "../../core/kernel/password";
import { hashTree, wipName } from "./fingerprint";

/** The demo admin's password in a `seeded` test database. */
export const TEST_ADMIN_PASSWORD = "demo-password-123";

/**
 * The argon2id cost of test fixtures' passwords (1 MiB, t=1). A login verifies
 * a stored hash at the cost written in it, so a fixture user's login runs the
 * real argon2id check in ~2 ms instead of ~0.3–1 s for the 64 MiB a person's
 * password costs (core/kernel/password.ts tests that default).
 */
export const TEST_PASSWORD_COST: TPasswordCost = { memorySize: 1024, iterations: 1 };

/** What the templates are made from: the migrations folder (and the PGlite build, for data directories). */
const MIGRATIONS_HASH = hashTree(createHash("sha256"), MIGRATIONS_FOLDER, MIGRATIONS_FOLDER).digest("hex").slice(0, 16);

/**
 * The PGlite templates live in the temp directory, named by the PGlite version
 * and the migrations, so every test process (and `--isolate`d file) shares
 * them; each is written under a temporary name and renamed, so a half-made
 * one is never used. Templates of other migration sets are removed after a day.
 */
const PGLITE_TEMPLATE = (() => {
  const version = (JSON.parse(readFileSync(require.resolve("@electric-sql/pglite/package.json"), "utf8")) as { version: string }).version;
  return join(tmpdir(), `kesher-pglite-template-${version}-${MIGRATIONS_HASH}`);
})();

let engine: Promise<TPgliteEngine> | undefined;

/**
 * PGlite's engine compiled once per process and handed to every test database
 * (createDb's `pgliteEngine`): each open skips compiling the module and reading
 * the bundle, ~0.1–0.2 s of CPU of the ~1.3 s an open costs (load 6; most of
 * the rest is PostgreSQL starting inside WASM: a template 15 MB smaller, without
 * template0/template1, opened no faster).
 */
export function pgliteEngine(): Promise<TPgliteEngine> {
  engine ??= (async () => {
    const dist = join(dirname(require.resolve("@electric-sql/pglite/package.json")), "dist");
    const [wasmModule, fsBundle] = await Promise.all([
      WebAssembly.compile(readFileSync(join(dist, "pglite.wasm"))),
      Promise.resolve(new Blob([readFileSync(join(dist, "pglite.data"))])),
    ]);
    return { wasmModule, fsBundle };
  })().catch((err: unknown) => {
    engine = undefined;
    throw err;
  });
  return engine;
}


function removeStaleTemplates(): void {
  const current = PGLITE_TEMPLATE.slice(tmpdir().length + 1);
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith("kesher-pglite-template-") || name.startsWith(current)) continue;
    const path = join(tmpdir(), name);
    try {
      if (Date.now() - statSync(path).mtimeMs > 86_400_000) rmSync(path, { recursive: true, force: true });
    } catch {
      // Another process removed it first.
    }
  }
}

let pgliteDump: Promise<Blob> | undefined;

/** The migrated PGlite data directory as a tarball (`dumpDataDir`), made once and kept in the temp directory. */
export function pgliteTemplate(): Promise<Blob> {
  pgliteDump ??= (async () => {
    const tar = `${PGLITE_TEMPLATE}.tar`;
    if (existsSync(tar)) return new Blob([readFileSync(tar)]);
    removeStaleTemplates();
    const h = await createDb({ pgliteEngine: await pgliteEngine() });
    let dump: Blob;
    try {
      await h.migrate();
      const client = (h.db as unknown as { $client: PGlite }).$client;
      // A checkpoint first: each copy then starts without replaying the migrations' WAL.
      await client.exec("checkpoint");
      dump = await client.dumpDataDir("none");
    } finally {
      await h.close();
    }
    const wip = wipName(tar);
    writeFileSync(wip, new Uint8Array(await dump.arrayBuffer()));
    renameSync(wip, tar);
    return dump;
  })().catch((err: unknown) => {
    pgliteDump = undefined;
    throw err;
  });
  return pgliteDump;
}

let pgliteSeededDump: Promise<Blob> | undefined;

/** The migrated and seeded PGlite data directory, made once per process (seed rows carry this run's timestamps). */
export function pgliteSeededTemplate(): Promise<Blob> {
  pgliteSeededDump ??= (async () => {
    const h = await createDb({ loadDataDir: await pgliteTemplate(), pgliteEngine: await pgliteEngine() });
    try {
      await seedDemo(h.db, { adminPassword: TEST_ADMIN_PASSWORD, passwordCost: TEST_PASSWORD_COST });
      const client = (h.db as unknown as { $client: PGlite }).$client;
      await client.exec("checkpoint");
      return await client.dumpDataDir("none");
    } finally {
      await h.close();
    }
  })().catch((err: unknown) => {
    pgliteSeededDump = undefined;
    throw err;
  });
  return pgliteSeededDump;
}

let pgliteDirTemplate: Promise<string> | undefined;

/** Fill `dataDir` (a PGlite folder, e.g. DATA_DIR/pglite of a server under test) with the migrated template. */
export async function copyPgliteTemplate(dataDir: string): Promise<void> {
  pgliteDirTemplate ??= (async () => {
    const dir = PGLITE_TEMPLATE;
    if (existsSync(dir)) return dir;
    const wip = wipName(dir);
    try {
      const h = await createDb({ dataDir: wip, loadDataDir: await pgliteTemplate(), pgliteEngine: await pgliteEngine() });
      await h.close();
      renameSync(wip, dir);
    } catch (err) {
      // Another process renamed its copy first: use that one.
      if (!existsSync(dir)) throw err;
    } finally {
      rmSync(wip, { recursive: true, force: true });
    }
    return dir;
  })().catch((err: unknown) => {
    pgliteDirTemplate = undefined;
    throw err;
  });
  const template = await pgliteDirTemplate;
  mkdirSync(dataDir, { recursive: true });
  cpSync(template, dataDir, { recursive: true });
}

let pgliteSeededDir: Promise<string> | undefined;

/**
 * Fill `dataDir` with this process's migrated and seeded template (a server
 * that finds the demo business made, as a restarted one does). The folder is
 * made once per process, named by its id; those of processes no longer
 * running are removed.
 */
export async function copyPgliteSeededTemplate(dataDir: string): Promise<void> {
  pgliteSeededDir ??= (async () => {
    const prefix = "kesher-pglite-seeded-";
    for (const name of readdirSync(tmpdir())) if (name.startsWith(prefix) && ownerEnded(name)) rmSync(join(tmpdir(), name), { recursive: true, force: true });
    const dir = join(tmpdir(), `${prefix}${process.pid}`);
    rmSync(dir, { recursive: true, force: true });
    const h = await createDb({ dataDir: dir, loadDataDir: await pgliteSeededTemplate(), pgliteEngine: await pgliteEngine() });
    await h.close();
    return dir;
  })().catch((err: unknown) => {
    pgliteSeededDir = undefined;
    throw err;
  });
  mkdirSync(dataDir, { recursive: true });
  cpSync(await pgliteSeededDir, dataDir, { recursive: true });
}

let pgTemplate: Promise<string> | undefined;

/**
 * The migrated PostgreSQL template database for this migrations set. Made
 * once (under an advisory lock, so concurrent test processes wait for one
 * maker), migrated under a temporary name and then renamed, so a half-made
 * template is never copied. Nobody connects to it afterwards (it refuses
 * connections): `create database … template` needs it to be unused.
 */
export function postgresTemplate(base: string): Promise<string> {
  pgTemplate ??= (async () => {
    const name = `kesher_tpl_${MIGRATIONS_HASH}`;
    const admin = postgres(base, { max: 1, onnotice: () => {} });
    try {
      const exists = async () => (await admin`select 1 from pg_database where datname = ${name}`).length > 0;
      if (await exists()) return name;
      await admin`select pg_advisory_lock(hashtext(${name}))`;
      try {
        if (await exists()) return name;
        // Leftovers of a maker that died mid-way (we hold the lock, so none is in progress).
        for (const { datname } of await admin<{ datname: string }[]>`select datname from pg_database where datname like ${`${name}_wip_%`}`) {
          await admin.unsafe(`drop database if exists "${datname}" with (force)`);
        }
        const wip = `${name}_wip_${process.pid}`;
        await admin.unsafe(`create database "${wip}"`);
        const h = await createDb({ databaseUrl: databaseUrlFor(base, wip), maxConnections: 1 });
        try {
          await h.migrate();
        } finally {
          await h.close();
        }
        await admin.unsafe(`alter database "${wip}" with allow_connections false`);
        await admin.unsafe(`alter database "${wip}" rename to "${name}"`);
        return name;
      } finally {
        await admin`select pg_advisory_unlock(hashtext(${name}))`;
      }
    } finally {
      await admin.end();
    }
  })().catch((err: unknown) => {
    pgTemplate = undefined;
    throw err;
  });
  return pgTemplate;
}

let pgSeededTemplate: Promise<string> | undefined;

/**
 * The migrated and seeded PostgreSQL template of this process (seed rows carry
 * this run's timestamps, so it is not kept across runs): named by the process
 * id; those of processes no longer running on this machine are dropped.
 */
export function postgresSeededTemplate(base: string): Promise<string> {
  pgSeededTemplate ??= (async () => {
    const migrated = await postgresTemplate(base);
    const prefix = `${migrated}_seed_`;
    const name = `${prefix}${process.pid}`;
    const admin = postgres(base, { max: 1, onnotice: () => {} });
    try {
      for (const { datname } of await admin<{ datname: string }[]>`select datname from pg_database where datname like ${`kesher_tpl_%_seed_%`}`) {
        if (ownerEnded(datname)) await admin.unsafe(`drop database if exists "${datname}" with (force)`);
      }
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.unsafe(`create database "${name}" template "${migrated}"`);
      const h = await createDb({ databaseUrl: databaseUrlFor(base, name), maxConnections: 1 });
      try {
        await seedDemo(h.db, { adminPassword: TEST_ADMIN_PASSWORD, passwordCost: TEST_PASSWORD_COST });
      } finally {
        await h.close();
      }
      await admin.unsafe(`alter database "${name}" with allow_connections false`);
      return name;
    } finally {
      await admin.end();
    }
  })().catch((err: unknown) => {
    pgSeededTemplate = undefined;
    throw err;
  });
  return pgSeededTemplate;
}

/** A per-process template (its name ends in the process id) whose process is no longer running on this machine. */
function ownerEnded(name: string): boolean {
  const pid = Number(/\d+$/.exec(name)?.[0]);
  if (!pid || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== "EPERM";
  }
}

/** The URL of database `name` on the server of `base`. */
export function databaseUrlFor(base: string, name: string): string {
  const url = new URL(base);
  url.pathname = `/${name}`;
  return url.toString();
}
