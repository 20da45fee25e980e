/**
 * A fresh, seeded PostgreSQL test database that can go away and come back:
 * `block()` refuses new connections (ALLOW_CONNECTIONS false) and terminates
 * every backend of it; `unblock()` lets connections in again. With `poolMax`,
 * `pool` is a separate drizzle handle for the code under test whose client
 * reconnects every 50 ms (postgres-js backs off up to 20 s by default), so a
 * virtual clock is not held up by real back-off.
 */
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import type { TDb } from "../../db/client";
import * as schema from "../../db/schema";
import { seedDemo } from "../../db/seed/seed-demo";
import { createTestDb, type TTestDb, TEST_PASSWORD_COST } from "../helpers/db";

export interface TOutageDb {
  db: TTestDb;
  /** The fast-reconnecting handle (only with `poolMax`). */
  pool: TDb;
  block(): Promise<void>;
  unblock(): Promise<unknown>;
  /** Let connections in again, close every client and drop the database. */
  close(): Promise<void>;
}

export async function createOutageDb(opts: { poolMax?: number } = {}): Promise<TOutageDb> {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error("createOutageDb needs DATABASE_URL (a database that goes away is PostgreSQL)");
  const db = await createTestDb("postgres");
  await seedDemo(db.db, { adminPassword: "demo-password-123", passwordCost: TEST_PASSWORD_COST });
  const dbName = new URL(db.url!).pathname.slice(1);
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  const client = opts.poolMax ? postgres(db.url!, { max: opts.poolMax, onnotice: () => {}, backoff: () => 0.05, connect_timeout: 5 }) : undefined;
  const unblock = () => admin.unsafe(`alter database "${dbName}" allow_connections true`);
  return {
    db,
    pool: client ? (drizzle({ client, schema, casing: "snake_case" }) as unknown as TDb) : db.db,
    async block() {
      await admin.unsafe(`alter database "${dbName}" allow_connections false`);
      await admin`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${dbName} and pid <> pg_backend_pid()`;
    },
    unblock,
    async close() {
      await unblock().catch(() => {});
      await admin.end();
      await client?.end({ timeout: 1 });
      await db.destroy();
    },
  };
}
