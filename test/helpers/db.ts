/**
 * Test databases: an in-memory PGlite always, and a database of its own per
 * suite on PostgreSQL when DATABASE_URL is set (CI sets it). Each handle
 * starts migrated.
 *
 * The migrations run once, into a template, and every suite gets a copy:
 * PGlite initdb + migrate costs ~5 s, loading the migrated data directory ~1 s;
 * on PostgreSQL `create database … template` is cheaper than migrating. A
 * handle's migrate() still works (it finds nothing to apply). The templates
 * are made in ./db-templates. A PGlite copy a suite destroys is put back to
 * its template's state and handed to the next suite of the process
 * (./pglite-pool: ~0.1 s instead of ~0.5 s of CPU for a new copy).
 */
import postgres from "postgres";
import { createDb, pgliteHandle, type TDbHandle } from "../../db/client";
import {
  databaseUrlFor,
  postgresSeededTemplate,
  postgresTemplate,
  TEST_ADMIN_PASSWORD,
  TEST_PASSWORD_COST,
} from "./db-templates";
import { leasePglite } from "./pglite-pool";

export { copyPgliteSeededTemplate, copyPgliteTemplate } from "./db-templates";
export { TEST_ADMIN_PASSWORD, TEST_PASSWORD_COST };

export type TDbKind = "pglite" | "postgres";

export const DB_KINDS: TDbKind[] = process.env.DATABASE_URL ? ["pglite", "postgres"] : ["pglite"];

export interface TTestDb extends TDbHandle {
  /** Close and, for PostgreSQL, drop the database. */
  destroy(): Promise<void>;
  url?: string;
}

/**
 * A migrated test database; with `seeded`, also holding the demo seed
 * (`seedDemo` with TEST_ADMIN_PASSWORD), copied from a seeded template made
 * once per process (seeding hashes a password: ~0.3 s, seconds under load).
 */
export async function createTestDb(kind: TDbKind, opts: { seeded?: boolean } = {}): Promise<TTestDb> {
  if (kind === "pglite") {
    // A copy reused within the process when it can be put back to the template's state (./pglite-pool).
    const h = pgliteHandle(await leasePglite(opts.seeded ? "seeded" : "plain"));
    return { ...h, destroy: () => h.close() };
  }
  const pg = await createPgTestDatabase("kesher_t", { seeded: opts.seeded });
  const h = await createDb({ databaseUrl: pg.url, maxConnections: 5 });
  return {
    ...h,
    url: pg.url,
    destroy: async () => {
      await h.close();
      await pg.drop();
    },
  };
}

/** Rows of a db.execute() result (db/client.ts), for the suites that import it from here. */
export { rowsOf } from "../../db/client";

/**
 * A PostgreSQL database of its own next to DATABASE_URL's: a copy of the
 * migrated template (or of this process's seeded one), or empty with `fresh`
 * (for tests of a first start).
 */
export async function createPgTestDatabase(
  prefix: string,
  opts: { fresh?: boolean; seeded?: boolean } = {},
): Promise<{ url: string; drop(): Promise<void> }> {
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error("DATABASE_URL is not set: PostgreSQL suites need it (.ci/run sets it)");
  const template = opts.fresh ? undefined : await (opts.seeded ? postgresSeededTemplate(base) : postgresTemplate(base));
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(template ? `create database "${name}" template "${template}"` : `create database "${name}"`);
  } finally {
    await admin.end();
  }
  return {
    url: databaseUrlFor(base, name),
    async drop() {
      const a = postgres(base, { max: 1, onnotice: () => {} });
      try {
        await a.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await a.end();
      }
    },
  };
}
