/**
 * Test databases: an in-memory PGlite always, and a fresh PostgreSQL database
 * per suite when DATABASE_URL is set (CI sets it). Each handle is migrated.
 */
import postgres from "postgres";
import { createDb, type TDbHandle } from "../../db/client";

export type TDbKind = "pglite" | "postgres";

export const DB_KINDS: TDbKind[] = process.env.DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];

export interface TTestDb extends TDbHandle {
  /** Close and, for PostgreSQL, drop the database. */
  destroy(): Promise<void>;
  url?: string;
}

export async function createTestDb(kind: TDbKind): Promise<TTestDb> {
  if (kind === "pglite") {
    const h = await createDb({});
    await h.migrate();
    return { ...h, destroy: () => h.close() };
  }
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error("DATABASE_URL is not set");
  const name = `kesher_t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const h = await createDb({ databaseUrl: url.toString(), maxConnections: 5 });
  await h.migrate();
  return {
    ...h,
    url: url.toString(),
    destroy: async () => {
      await h.close();
      const a = postgres(base, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists "${name}" with (force)`);
      await a.end();
    },
  };
}

/** Rows of a db.execute() result: PGlite returns {rows}, postgres-js an array. */
export function rowsOf<T = Record<string, unknown>>(result: unknown): T[] {
  if (Array.isArray(result)) return result as T[];
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
