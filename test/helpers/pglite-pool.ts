/**
 * PGlite copies reused within one test process. Opening a copy of a template
 * costs ~0.5 s of CPU (PostgreSQL starting inside WebAssembly); putting a
 * released copy back to the template's state costs a few tens of ms, so
 * `createTestDb("pglite")` leases copies from here.
 *
 * A copy is put back, never patched up: the tables it wrote (rows newer than
 * the lease, or a row count that changed) are emptied, vacuumed and refilled
 * from a snapshot taken while the first copy of that template was new, with
 * triggers and foreign keys off (`session_replication_role = replica`) so
 * derived rows come back exactly as they were; sequences are set back and the
 * session is discarded (settings, temp tables, prepared statements, advisory
 * locks). A copy whose schema changed (a test's DDL, pg-boss's schema), that
 * used LISTEN, was closed, or failed any step is closed instead, and the next
 * lease opens a new one.
 *
 * A lease is closed for its holder when released: a query that arrives late
 * (a timer of a suite that ended) throws "PGlite is closed", as it would on a
 * closed copy, and never reaches the next suite.
 */
import type { PGlite } from "@electric-sql/pglite";
import { createDb, rowsOf } from "../../db/client";
import { pgliteEngine, pgliteSeededTemplate, pgliteTemplate } from "./db-templates";

export type TPgliteTemplate = "plain" | "seeded";

interface TSnapshot {
  fingerprint: string;
  /** Every user table (`schema.table`, quoted), its row count and, when it has rows, the rows as COPY text. */
  tables: { name: string; count: number; rows?: Blob }[];
  /** `select setval(…)` for every sequence, as the template has them. */
  sequences: string;
  /** The tables a lease wrote (dirtyQuery), by index into `tables`; $1 is the lease's baseline. */
  dirty: string;
}

interface TEntry {
  client: PGlite;
  /** Transaction id after the copy was opened or last put back: newer rows were written by its lease. */
  baseline: string;
}

/** Idle copies kept per template and process (each holds ~200 MB of WebAssembly memory). */
const MAX_IDLE = 2;
const idle: Record<TPgliteTemplate, TEntry[]> = { plain: [], seeded: [] };
const snapshots: Partial<Record<TPgliteTemplate, Promise<TSnapshot>>> = {};

/** The schema as a hash: relations, columns, defaults, constraints, triggers, functions, types, extensions, roles. */
const FINGERPRINT = `
  with user_ns as (select oid, nspname from pg_namespace where nspname not in ('pg_catalog', 'information_schema') and nspname not like 'pg_toast%' and nspname not like 'pg_temp%')
  select md5(string_agg(x, ',' order by x)) as fp from (
    select format('n:%s', nspname) from user_ns
    union all select format('c:%s.%s:%s', n.nspname, c.relname, c.relkind) from pg_class c join user_ns n on n.oid = c.relnamespace
    union all select format('a:%s.%s:%s:%s:%s', a.attrelid::regclass, a.attname, a.atttypid, a.attnotnull, a.attisdropped)
      from pg_attribute a join pg_class c on c.oid = a.attrelid join user_ns n on n.oid = c.relnamespace where a.attnum > 0
    union all select format('d:%s:%s:%s', d.adrelid::regclass, d.adnum, pg_get_expr(d.adbin, d.adrelid)) from pg_attrdef d
    union all select format('k:%s:%s:%s', k.conrelid::regclass, k.conname, pg_get_constraintdef(k.oid)) from pg_constraint k join user_ns n on n.oid = k.connamespace
    union all select format('t:%s:%s:%s', t.tgrelid::regclass, t.tgname, t.tgenabled) from pg_trigger t
    union all select format('p:%s:%s', p.oid::regprocedure, md5(p.prosrc)) from pg_proc p join user_ns n on n.oid = p.pronamespace
    union all select format('y:%s.%s', n.nspname, y.typname) from pg_type y join user_ns n on n.oid = y.typnamespace
    union all select format('e:%s:%s:%s', e.enumtypid::regtype, e.enumlabel, e.enumsortorder) from pg_enum e
    union all select format('x:%s:%s', extname, extversion) from pg_extension
    union all select format('r:%s', rolname) from pg_roles
    union all select format('s:%s', array_to_string(setconfig, ';')) from pg_db_role_setting
    union all select format('b:%s', datname) from pg_database
  ) s(x)`;

async function fingerprintOf(client: PGlite): Promise<string> {
  return rowsOf<{ fp: string }>(await client.query(FINGERPRINT))[0]!.fp;
}

async function xidOf(client: PGlite): Promise<string> {
  return rowsOf<{ xid: string }>(await client.query(`select txid_current()::text as xid`))[0]!.xid;
}

/** Read the state a new copy of the template has (taken once per template and process, from a new copy). */
async function takeSnapshot(client: PGlite): Promise<TSnapshot> {
  const names = rowsOf<{ name: string }>(
    await client.query(`select format('%I.%I', schemaname, tablename) as name from pg_tables where schemaname not in ('pg_catalog', 'information_schema') order by 1`),
  ).map((r) => r.name);
  const tables: TSnapshot["tables"] = [];
  for (const name of names) {
    const count = Number(rowsOf<{ n: string }>(await client.query(`select count(*)::text as n from ${name}`))[0]!.n);
    tables.push({ name, count, rows: count ? (await client.query(`copy ${name} to '/dev/blob'`)).blob : undefined });
  }
  const sequences = rowsOf<{ call: string }>(
    await client.query(
      `select format('setval(%L, %s, %s)', format('%I.%I', schemaname, sequencename), coalesce(last_value, start_value), case when last_value is null then 'false' else 'true' end) as call from pg_sequences`,
    ),
  ).map((r) => r.call);
  return { fingerprint: await fingerprintOf(client), tables, sequences: sequences.length ? `select ${sequences.join(", ")}` : "", dirty: dirtyQuery(tables) };
}

/** Tables a lease wrote: rows newer than its baseline, or a row count that is not the template's. */
function dirtyQuery(tables: TSnapshot["tables"]): string {
  return tables
    .map((t, i) => `select ${i} as i where exists (select 1 from ${t.name} where xmin::text::bigint > $1::bigint) or (select count(*) from ${t.name}) <> ${t.count}`)
    .join(" union all ");
}

/** Put a copy back to the template's state; false when it cannot be (then it is closed instead). */
async function putBack(entry: TEntry, snap: TSnapshot): Promise<boolean> {
  const { client } = entry;
  if (client.closed || (await fingerprintOf(client)) !== snap.fingerprint) return false;
  const dirty = rowsOf<{ i: number }>(await client.query(snap.dirty, [entry.baseline])).map((r) => snap.tables[r.i]!);
  if (dirty.length) {
    await client.exec(`set session_replication_role = replica`);
    await client.exec(dirty.map((t) => `delete from ${t.name}`).join("; "));
    // Also fails, and so closes the copy, when the lease left a transaction open.
    for (const t of dirty) await client.exec(`vacuum ${t.name}`);
    for (const t of dirty) if (t.rows) await client.query(`copy ${t.name} from '/dev/blob'`, [], { blob: t.rows });
  }
  if (snap.sequences) await client.exec(snap.sequences);
  await client.exec(`discard all`);
  entry.baseline = await xidOf(client);
  return true;
}

let opened = 0;

/** Copies opened by this process so far (a reused copy is not counted again). */
export function pgliteCopiesOpened(): number {
  return opened;
}

async function openCopy(template: TPgliteTemplate): Promise<TEntry> {
  opened++;
  const h = await createDb({ loadDataDir: await (template === "seeded" ? pgliteSeededTemplate() : pgliteTemplate()), pgliteEngine: await pgliteEngine() });
  const client = (h.db as unknown as { $client: PGlite }).$client;
  // A failed snapshot is taken again by the next open, not kept as the template's.
  snapshots[template] ??= takeSnapshot(client).catch((err: unknown) => {
    snapshots[template] = undefined;
    throw err;
  });
  await snapshots[template];
  return { client, baseline: await xidOf(client) };
}

/**
 * A copy of the template for one holder: a PGlite client whose `close()`
 * hands it back (put back to the template's state, or closed).
 */
export async function leasePglite(template: TPgliteTemplate): Promise<PGlite> {
  const entry = idle[template].pop() ?? (await openCopy(template));
  let released = false;
  let listened = false;
  const release = async () => {
    if (released) return;
    released = true;
    const snap = await snapshots[template]!;
    const kept = !listened && idle[template].length < MAX_IDLE && (await putBack(entry, snap).catch(() => false));
    if (kept) idle[template].push(entry);
    else if (!entry.client.closed) await entry.client.close().catch(() => {});
  };
  return new Proxy(entry.client, {
    get(target, prop) {
      if (prop === "closed") return released || target.closed;
      if (prop === "close") return release;
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        if (released) throw new Error("PGlite is closed");
        if (prop === "listen" || prop === "onNotification") listened = true;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}
