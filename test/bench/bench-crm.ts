/**
 * `bun run bench:crm` — CRM queries at agency scale, timed server side by
 * calling the same services the tRPC procedures call.
 *
 *   bun run bench:crm                                   # PostgreSQL at DATABASE_URL (fresh db, dropped after), else PGlite
 *   bun run bench:crm -- --db pglite --customers 20000 --turns 200000
 *   bun run bench:crm -- --customers 100000 --turns 1000000 --iterations 300
 *
 * Prints the scale, how long generation took and a table of p50/p95/p99 per
 * operation. Target: p95 ≤ 30 ms on PostgreSQL at 100k customers / 1M turns.
 */
import { cpus, loadavg, totalmem } from "node:os";
import postgres from "postgres";
import { sql } from "drizzle-orm";
import { createDb, type TDbHandle } from "../../db/client";
import { seedDemo } from "../../db/seed/seed-demo";
import { getCall } from "../../api/services/calls/get-call";
import { listCalls } from "../../api/services/calls/list-calls";
import { searchAll } from "../../api/services/calls/search-all";
import { listCustomers } from "../../api/services/customers/list-customers";
import { matchCustomers, matchProperties } from "../../api/services/properties/match-properties";
import { searchGlobal } from "../../api/services/search/search-global";
import type { TScope } from "../../core/domain/scope";
import { generateCrmData, rows } from "./generate-crm-data";

interface TArgs {
  db: "postgres" | "pglite";
  customers: number;
  turns: number;
  turnsPerCall: number;
  properties: number;
  iterations: number;
  /** Seconds of sampling per operation at most (slow operations report fewer samples). */
  budgetS: number;
  /** PostgreSQL: keep the generated database (prints its name) / reuse one kept earlier. */
  keep: boolean;
  reuse: string | undefined;
}

function parseArgs(argv: string[]): TArgs {
  const get = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const num = (name: string, def: number) => {
    const v = get(name);
    if (v === undefined) return def;
    const n = Number(v.replace(/_/g, ""));
    if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer, got ${v}`);
    return n;
  };
  const dbArg = get("db") ?? (process.env.DATABASE_URL ? "postgres" : "pglite");
  if (dbArg !== "postgres" && dbArg !== "pglite") throw new Error(`--db must be postgres or pglite, got ${dbArg}`);
  if (dbArg === "postgres" && !process.env.DATABASE_URL) throw new Error("--db postgres needs DATABASE_URL");
  return {
    db: dbArg,
    customers: num("customers", 100_000),
    turns: num("turns", 1_000_000),
    turnsPerCall: num("turns-per-call", 10),
    properties: num("properties", 2_000),
    iterations: num("iterations", 200),
    budgetS: num("budget-s", 20),
    keep: argv.includes("--keep"),
    reuse: get("reuse"),
  };
}

async function openDb(kind: TArgs["db"], keep: boolean, reuse: string | undefined): Promise<{ h: TDbHandle; drop: () => Promise<void> }> {
  if (reuse) {
    if (!/^kesher_bench_\w+$/.test(reuse)) throw new Error("--reuse takes a database name printed by --keep");
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${reuse}`;
    const h = await createDb({ databaseUrl: url.toString(), maxConnections: 4 });
    return { h, drop: () => h.close() };
  }
  if (kind === "pglite") {
    const h = await createDb({});
    return { h, drop: () => h.close() };
  }
  const base = process.env.DATABASE_URL!;
  const name = `kesher_bench_${process.pid}_${Date.now().toString(36)}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const h = await createDb({ databaseUrl: url.toString(), maxConnections: 4 });
  return {
    h,
    drop: async () => {
      await h.close();
      if (keep) {
        console.log(`kept database ${name} (reuse with --reuse ${name})`);
        return;
      }
      const a = postgres(base, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists "${name}" with (force)`);
      await a.end();
    },
  };
}

interface TResult {
  name: string;
  samples: number[];
  note: string;
}

/** The machine is shared: numbers mean little without how busy it was (and calls.get p95 as a yardstick). */
const load = () => `load average ${loadavg().map((l) => l.toFixed(2)).join(" / ")} (1 / 5 / 15 min)`;

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;

let budgetMs = 20_000;

async function measure(name: string, n: number, note: string, op: (i: number) => Promise<unknown>): Promise<TResult> {
  // Warm-up: plan caches, buffers; not counted.
  const tw = performance.now();
  for (let i = 0; i < Math.min(10, n) && performance.now() - tw < budgetMs / 4; i++) await op(i + 1_000_000);
  const samples: number[] = [];
  const tEnd = performance.now() + budgetMs;
  for (let i = 0; i < n && (samples.length < 20 || performance.now() < tEnd); i++) {
    const t0 = performance.now();
    await op(i);
    samples.push(performance.now() - t0);
  }
  const r = { name, samples, note };
  printRow(r);
  return r;
}

const pad = (s: string, w: number) => s + " ".repeat(Math.max(0, w - [...s].length));
const lpad = (s: string, w: number) => " ".repeat(Math.max(0, w - s.length)) + s;
const HEADER = `${pad("operation", 44)} ${lpad("n", 5)} ${lpad("p50 ms", 8)} ${lpad("p95 ms", 8)} ${lpad("p99 ms", 8)}  note`;

function printRow(r: TResult): void {
  const s = [...r.samples].sort((a, b) => a - b);
  console.log(`${pad(r.name, 44)} ${lpad(String(s.length), 5)} ${lpad(quantile(s, 0.5).toFixed(2), 8)} ${lpad(quantile(s, 0.95).toFixed(2), 8)} ${lpad(quantile(s, 0.99).toFixed(2), 8)}  ${r.note}`);
}

/** Global search (⌘K): names, typos ("שפירה", "פרידמאן"), wanted places, transcript words, phones, partial words. */
const GLOBAL_SEARCHES = ["כהן", "שפירה", "רמת גן", "מעלית", "יוסי לוי", "פרידמאן", "054-1000", "ארנונה", "גבעתים", "מרחב מוגן", "פנטהאוז", "אשכנזי"];

const SEARCHES = ["כהן", "יוסי לוי", "מזרחי", "רונית פרץ", "מעלית", "ממ״ד", "אשכנזי", "שפירה", "בן דוד", "054-1000", "lead123@", "פנטהאוז"];

async function main() {
  const args = parseArgs(process.argv.slice(2));
  budgetMs = args.budgetS * 1000;
  const { h, drop } = await openDb(args.db, args.keep, args.reuse);
  try {
    const t0 = performance.now();
    await h.migrate();
    let businessId: string;
    let gen: { customers: number; calls: number; turns: number; properties: number };
    if (args.reuse) {
      businessId = rows<{ id: string }>(await h.db.execute(sql`select id from businesses where slug = 'shai-apartments'`))[0]!.id;
      const c = async (t: string) => rows<{ n: number }>(await h.db.execute(sql.raw(`select count(*)::int as n from ${t}`)))[0]!.n;
      gen = { customers: await c("customers"), calls: await c("call_logs"), turns: await c("conversation_turns"), properties: await c("properties") };
      await h.db.execute(sql`analyze`);
      console.log(`bench:crm on ${args.db}, reusing ${args.reuse}: ${gen.customers} customers, ${gen.calls} calls, ${gen.turns} turns, ${gen.properties} properties`);
    } else {
      const seed = await seedDemo(h.db, { adminPassword: "bench-password-123" });
      businessId = seed.businessId!;
      console.log(`bench:crm on ${args.db} — ${args.customers.toLocaleString("en")} customers, ${args.turns.toLocaleString("en")} turns (${args.turnsPerCall}/call), ${args.properties.toLocaleString("en")} properties`);
      const g = await generateCrmData(h.db, businessId, args);
      gen = g;
      const genMs = Math.round(performance.now() - t0);
      console.log(
        `generated in ${(genMs / 1000).toFixed(1)} s: ${g.customers} customers, ${g.calls} calls, ${g.turns} turns, ${g.properties} properties (${Object.entries(g.ms)
          .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`)
          .join(", ")}); 5% of rows belong to a second business`,
      );
    }
    const cpu = cpus();
    console.log(`machine: ${cpu.length} cores (${cpu[0]?.model ?? "?"}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM; ${process.versions.bun ? `bun ${process.versions.bun}` : `node ${process.version}`}; db ${args.db}; ${load()}\n`);
    console.log(HEADER);

    const scope: TScope = { businessId, userId: null, ip: null };
    const callIds = rows<{ id: string }>(await h.db.execute(sql`select id from call_logs where business_id = ${businessId} order by random() limit 500`)).map((r) => r.id);
    const customerIds = rows<{ id: string }>(
      await h.db.execute(sql`select id from customers where business_id = ${businessId} and requirements <> '{}'::jsonb order by random() limit 500`),
    ).map((r) => r.id);
    const propertyIds = rows<{ id: string }>(
      await h.db.execute(sql`select id from properties where business_id = ${businessId} and status = 'available' order by random() limit 500`),
    ).map((r) => r.id);
    const n = args.iterations;
    const results: TResult[] = [];

    results.push(await measure("customers.list search (Hebrew)", n, `${SEARCHES.length} queries incl. typo/phone, +total`, (i) => listCustomers(h.db, scope, { search: SEARCHES[i % SEARCHES.length], limit: 50 })));
    results.push(await measure("customers.list (no filter)", n, "newest first, +total", () => listCustomers(h.db, scope, { limit: 50 })));
    let cursor: string | null = null;
    let pages = 0;
    results.push(
      await measure("calls.list page (keyset)", n, "50/page, walking pages", async () => {
        const r = await listCalls(h.db, scope, { limit: 50, cursor: cursor ?? undefined });
        cursor = r.nextCursor;
        pages++;
      }),
    );
    results.push(await measure("calls.list search", n, "caller name / summary", (i) => listCalls(h.db, scope, { limit: 50, search: SEARCHES[i % 4] })));
    results.push(await measure("calls.get (detail + turns)", n, `${args.turnsPerCall} turns each`, (i) => getCall(h.db, scope, callIds[i % callIds.length]!)));
    results.push(await measure("properties.match (customer→listings)", n, `${gen.properties} listings`, (i) => matchProperties(h.db, scope, customerIds[i % customerIds.length]!)));
    results.push(await measure("properties.matchCustomers (listing→leads)", n, `${gen.customers} customers`, (i) => matchCustomers(h.db, scope, propertyIds[i % propertyIds.length]!)));
    results.push(await measure("calls.search (customers+calls+turns)", Math.max(20, Math.floor(n / 4)), `${gen.turns.toLocaleString("en")}-turn transcript search`, (i) => searchAll(h.db, scope, SEARCHES[i % SEARCHES.length]!)));

    results.push(await measure("search.global (all kinds, ⌘K)", n, `${GLOBAL_SEARCHES.length} queries incl. typos/wants/transcripts`, (i) => searchGlobal(h.db, scope, { q: GLOBAL_SEARCHES[i % GLOBAL_SEARCHES.length]! })));

    let worst = 0;
    for (const r of results) worst = Math.max(worst, quantile([...r.samples].sort((a, b) => a - b), 0.95));
    console.log(`\nkeyset pages walked: ${pages}; worst p95 of all operations: ${worst.toFixed(2)} ms (target ≤ 30 ms on PostgreSQL); ${load()}`);
  } finally {
    await drop();
  }
}

await main();
