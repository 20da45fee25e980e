/**
 * Database factory: embedded PGlite (default, data on disk under DATA_DIR) or
 * PostgreSQL through postgres-js when a DATABASE_URL is given. Both speak the
 * same drizzle API and share one migrations folder.
 */
import { PGlite } from "@electric-sql/pglite";
import { btree_gist } from "@electric-sql/pglite/contrib/btree_gist";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { sql } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import postgres from "postgres";
import * as schema from "./schema";

export type TSchema = typeof schema;
export type TDb = PgDatabase<PgQueryResultHKT, TSchema>;

export interface TDbHandle {
  db: TDb;
  kind: "pglite" | "postgres";
  /** Apply pending migrations from db/migrations. */
  migrate(): Promise<void>;
  /** Cheap liveness probe used by /health. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
  /** The postgres-js client (LISTEN/NOTIFY), only for kind "postgres". */
  pg?: postgres.Sql;
}

export interface TDbConfig {
  /** postgres:// URL; when absent, PGlite is used. */
  databaseUrl?: string;
  /** PGlite data folder; omit (or "memory://") for an in-memory database. */
  dataDir?: string;
  /** postgres-js pool size. */
  maxConnections?: number;
  /** PGlite only: start from a dumped data directory (`dumpDataDir()`), e.g. the tests' migrated template. */
  loadDataDir?: Blob;
  /**
   * PGlite only: an engine compiled once and its file bundle, for a process that
   * opens many databases (the tests open hundreds): each open then skips
   * compiling the ~8 MB WebAssembly module and reading the bundle.
   */
  pgliteEngine?: TPgliteEngine;
}

export interface TPgliteEngine {
  wasmModule: WebAssembly.Module;
  fsBundle: Blob;
}

/** Rows of a `db.execute()` result: PGlite returns `{ rows }`, postgres-js an array. */
export function rowsOf<T = Record<string, unknown>>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}

export const MIGRATIONS_FOLDER = fileURLToPath(new URL("./migrations", import.meta.url));

export async function createDb(config: TDbConfig): Promise<TDbHandle> {
  if (config.databaseUrl) {
    const client = postgres(config.databaseUrl, {
      max: config.maxConnections ?? 10,
      onnotice: () => {},
      connect_timeout: 10,
    });
    const db = drizzlePostgres({ client, schema, casing: "snake_case" }) as unknown as TDb;
    return {
      db,
      kind: "postgres",
      pg: client,
      migrate: () => migratePostgres(drizzlePostgres({ client, casing: "snake_case" }), { migrationsFolder: MIGRATIONS_FOLDER }),
      ping: () => ping(db),
      close: () => client.end({ timeout: 5 }),
    };
  }

  const dataDir = config.dataDir && config.dataDir !== "memory://" ? config.dataDir : undefined;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create({
    dataDir,
    loadDataDir: config.loadDataDir,
    extensions: { pg_trgm, btree_gist },
    ...(config.pgliteEngine ? { pgliteWasmModule: config.pgliteEngine.wasmModule, fsBundle: config.pgliteEngine.fsBundle } : {}),
  });
  return pgliteHandle(client);
}

/** A handle over an open PGlite client (createDb's, or one a caller keeps, e.g. the tests' reused copies). */
export function pgliteHandle(client: PGlite): TDbHandle {
  const db = drizzlePglite({ client, schema, casing: "snake_case" }) as unknown as TDb;
  return {
    db,
    kind: "pglite",
    migrate: () => migratePglite(drizzlePglite({ client, casing: "snake_case" }), { migrationsFolder: MIGRATIONS_FOLDER }),
    ping: () => ping(db),
    close: async () => {
      if (!client.closed) await client.close();
    },
  };
}

async function ping(db: TDb): Promise<boolean> {
  try {
    await db.execute(sql`select 1`);
    return true;
  } catch {
    return false;
  }
}

export { schema };
