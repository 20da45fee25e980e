/**
 * The database of a bench server process: PGlite in memory, or, with a
 * PostgreSQL URL, a throwaway database (so a benchmark never touches real
 * data) dropped when the process is signalled. Migrated and seeded with the
 * demo business.
 */
import postgres from "postgres";
import { createDb, type TDbHandle } from "../../db/client";
import { seedDemo } from "../../db/seed/seed-demo";

export async function openBenchDb(databaseUrl: string | undefined, prefix: string): Promise<TDbHandle> {
  let benchDbUrl: string | undefined;
  let dropBenchDb: (() => Promise<void>) | undefined;
  if (databaseUrl) {
    const name = `${prefix}_${process.pid}`;
    const admin = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database "${name}"`);
    const u = new URL(databaseUrl);
    u.pathname = `/${name}`;
    benchDbUrl = u.toString();
    dropBenchDb = async () => {
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    };
  }
  const dbh = await createDb({ databaseUrl: benchDbUrl, maxConnections: 20 });
  const cleanup = async () => {
    await dbh.close().catch(() => {});
    await dropBenchDb?.().catch(() => {});
    process.exit(0);
  };
  process.on("SIGTERM", () => void cleanup());
  process.on("SIGINT", () => void cleanup());
  await dbh.migrate();
  await seedDemo(dbh.db, { adminPassword: "bench-password-123" });
  return dbh;
}
