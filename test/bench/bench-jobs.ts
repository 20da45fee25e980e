/**
 * bench:jobs — background job latency, enqueue → done, through the real
 * engine (pg-boss) and the real post-call analysis handler (rules engine, no
 * network). Calls are enqueued at a steady rate; a job is done when its
 * analysis is stored (the `call.updated` event). Prints p50/p95/max.
 *
 *   bun run bench:jobs                      # embedded PGlite
 *   DATABASE_URL=postgres://… bun run bench:jobs   # a scratch database is created and dropped
 *   JOBS=200 EVERY_MS=20 bun run bench:jobs
 */
import postgres from "postgres";
import { createDb, type TDbHandle } from "../../db/client";
import { businesses, callLogs, conversationTurns } from "../../db/schema";
import { createJobs } from "../../api/jobs/create-jobs";
import { analysisKey, registerJobWorkers } from "../../api/jobs/register-job-workers";
import { createEventBus } from "../../core/kernel/events";
import { createLogger } from "../../core/kernel/logger";

const N = Number(process.env.JOBS ?? 100);
const EVERY_MS = Number(process.env.EVERY_MS ?? 25);
const log = createLogger("warn");

async function scratchDb(): Promise<{ dbh: TDbHandle; url?: string; drop(): Promise<void> }> {
  const base = process.env.DATABASE_URL;
  if (!base) {
    const dbh = await createDb({});
    await dbh.migrate();
    return { dbh, drop: () => dbh.close() };
  }
  const name = `kesher_bench_jobs_${process.pid}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const dbh = await createDb({ databaseUrl: url.toString(), maxConnections: 5 });
  await dbh.migrate();
  return {
    dbh,
    url: url.toString(),
    drop: async () => {
      await dbh.close();
      await admin.unsafe(`drop database if exists "${name}" with (force)`);
      await admin.end();
    },
  };
}

const pct = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

const { dbh, url, drop } = await scratchDb();
const [biz] = await dbh.db.insert(businesses).values({ name: "בדיקת עומס", slug: `bench-jobs-${Date.now()}` }).returning({ id: businesses.id });
const calls: string[] = [];
for (let i = 0; i < N; i++) {
  const [c] = await dbh.db.insert(callLogs).values({ businessId: biz!.id, callSid: `CAbench${i}_${Date.now()}`, status: "completed" }).returning({ id: callLogs.id });
  await dbh.db.insert(conversationTurns).values({ businessId: biz!.id, callId: c!.id, seq: 0, speaker: "caller", text: "שלום, אני מחפש דירת שלושה חדרים בתל אביב עד שלושה מיליון" });
  calls.push(c!.id);
}

const events = createEventBus();
const jobs = createJobs({ dbh, databaseUrl: url, log });
registerJobWorkers(jobs, { db: dbh.db, log, events, openai: null, stt: null, download: async () => new Uint8Array() });
const t0 = performance.now();
await jobs.start();
const startMs = performance.now() - t0;

const sentAt = new Map<string, number>();
const latency: number[] = [];
events.subscribe((e) => {
  if (e.type !== "call.updated") return;
  const s = sentAt.get(e.callId);
  if (s !== undefined && latency.length < N) latency.push(performance.now() - s);
});
for (const id of calls) {
  sentAt.set(id, performance.now());
  await jobs.enqueue("analyzeCall", { callId: id }, { key: analysisKey(id) });
  await new Promise((r) => setTimeout(r, EVERY_MS));
}
const deadline = Date.now() + 120_000;
while (latency.length < N && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
latency.sort((a, b) => a - b);
console.log(
  `bench:jobs db=${dbh.kind} jobs=${latency.length}/${N} every=${EVERY_MS}ms engine start=${Math.round(startMs)} ms  ` +
    `enqueue→done p50=${pct(latency, 50).toFixed(0)} ms p95=${pct(latency, 95).toFixed(0)} ms max=${latency.at(-1)!.toFixed(0)} ms`,
);
await jobs.stop(0);
await drop();
process.exit(0);
