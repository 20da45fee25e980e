/**
 * `bun run bench:whatsapp` — WhatsApp inbound → AI reply, end to end through
 * the signed Twilio webhook of the real app (signature check, idempotent
 * store, cross-channel history, local Hebrew agent, reply through the real
 * twilio SDK to a local Twilio REST double on 127.0.0.1), plus the inbox
 * queries. Uses PostgreSQL at DATABASE_URL (fresh database, dropped after),
 * else in-memory PGlite.
 *
 *   bun run bench:whatsapp -- --messages 200 --customers 20
 *
 * Prints p50/p95/p99 per operation. The numbers exclude LLM time (local agent).
 */
import { eq } from "drizzle-orm";
import twilio from "twilio";
import { businesses } from "../../db/schema";
import { seedDemo } from "../../db/seed/seed-demo";
import { loadEnv } from "../../env";
import { createLocalAgent } from "../../core/conversation/brain/local-agent";
import { createTestDb } from "../helpers/db";
import { startTwilioRestDouble } from "../doubles/twilio-rest";
import { createApp } from "../../api/app";
import { createEventBus } from "../../core/kernel/events";
import { createLogger } from "../../core/kernel/logger";
import { createStaticAudio } from "../../api/static/static-audio";
import { getThread } from "../../api/services/whatsapp/get-thread";
import { listThreads } from "../../api/services/whatsapp/list-threads";
import type { TAppDeps } from "../../api/types";
import { createWhatsAppHub } from "../../api/whatsapp/whatsapp-hub";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const MESSAGES = arg("messages", 200);
const CUSTOMERS = arg("customers", 20);
const TOKEN = "bench_auth_token_0123456789abcdef";
const ACCOUNT = "AC0123456789abcdef0123456789abcdef";
const HOST = "https://kesher.example.com";
const LINES = ["שלום, אני מחפש דירה להשכרה בתל אביב", "3 חדרים", "תקציב עד 7000 שקל", "אפשר לראות מחר בעשר?", "שמי דני", "ומה לגבי משרד ברמת גן?"];

function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
  return { n: s.length, p50: q(50), p95: q(95), p99: q(99), max: s.at(-1) ?? NaN };
}

const kind = process.env.DATABASE_URL ? "postgres" : "pglite";
const db = await createTestDb(kind);
const rest = await startTwilioRestDouble({ accountSid: ACCOUNT, authToken: TOKEN });
try {
  const seed = await seedDemo(db.db, { adminPassword: "bench-password-123" });
  const businessId = seed.businessId!;
  const [b] = await db.db.select().from(businesses).where(eq(businesses.id, businessId));
  // Always open, Twilio provider: the bench measures the AI path, not the after-hours reply.
  await db.db.update(businesses).set({ settings: { ...b!.settings, whatsappProvider: "twilio", businessHours: {} } }).where(eq(businesses.id, businessId));

  const config = loadEnv({ NODE_ENV: "test", TWILIO_ACCOUNT_SID: ACCOUNT, TWILIO_AUTH_TOKEN: TOKEN, TWILIO_API_BASE_URL: rest.baseUrl, PUBLIC_BASE_URL: HOST });
  const log = createLogger("silent");
  const events = createEventBus();
  const deps: TAppDeps = {
    config,
    dbh: db,
    log,
    events,
    audio: createStaticAudio(mkdtempSync(join(tmpdir(), "kesher-bench-audio-"))),
    twilioAuthToken: TOKEN,
    version: "bench",
  };
  deps.whatsapp = createWhatsAppHub({ db: db.db, log, events, config, agent: createLocalAgent({ db: db.db, events, log }), sendGap: { minGapMs: 0, jitterMs: 0 } });
  const app = createApp(deps);

  const post = (params: Record<string, string>) => {
    const url = `${HOST}/webhook/whatsapp/inbound`;
    return app.request(
      new Request(url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": twilio.getExpectedTwilioSignature(TOKEN, url, params) },
        body: new URLSearchParams(params).toString(),
      }),
    );
  };

  const inbound: number[] = [];
  const acked: number[] = [];
  const duplicate: number[] = [];
  for (let i = 0; i < MESSAGES; i++) {
    const phone = `+97254${String(1_000_000 + (i % CUSTOMERS)).slice(-7)}`;
    const params = { AccountSid: ACCOUNT, MessageSid: `SMbench${i}`, From: `whatsapp:${phone}`, To: "whatsapp:+97235550100", Body: LINES[i % LINES.length]!, NumMedia: "0" };
    const t0 = performance.now();
    const res = await post(params);
    acked.push(performance.now() - t0);
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
    // The reply is sent in the background: wait (bounded) until it reached the Twilio double.
    const deadline = Date.now() + 10_000;
    while (rest.messages.length < i + 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1));
    if (rest.messages.length < i + 1) throw new Error(`no reply to message ${i}`);
    inbound.push(performance.now() - t0);
    if (i % 10 === 0) {
      const t1 = performance.now();
      await post(params);
      duplicate.push(performance.now() - t1);
    }
  }
  const scope = { businessId, userId: null, ip: null };
  const threadsMs: number[] = [];
  const threadMs: number[] = [];
  let ids: string[] = [];
  for (let i = 0; i < 50; i++) {
    const t0 = performance.now();
    const threads = await listThreads(db.db, scope);
    threadsMs.push(performance.now() - t0);
    ids = threads.map((t) => t.customerId);
  }
  for (let i = 0; i < 50; i++) {
    const t0 = performance.now();
    await getThread(db.db, scope, ids[i % ids.length]!);
    threadMs.push(performance.now() - t0);
  }

  console.log(`\nWhatsApp bench — ${kind}, ${MESSAGES} inbound messages from ${CUSTOMERS} customers, ${rest.messages.length} AI replies sent via the Twilio REST double\n`);
  const rows: [string, number[]][] = [
    ["inbound webhook acknowledged (ms)", acked],
    ["inbound webhook → AI reply sent (ms)", inbound],
    ["duplicate delivery ignored (ms)", duplicate],
    ["inbox threads list (ms)", threadsMs],
    ["one thread (ms)", threadMs],
  ];
  console.log("operation".padEnd(40), "n".padStart(5), "p50".padStart(8), "p95".padStart(8), "p99".padStart(8), "max".padStart(8));
  for (const [name, samples] of rows) {
    const s = stats(samples);
    console.log(name.padEnd(40), String(s.n).padStart(5), ...[s.p50, s.p95, s.p99, s.max].map((v) => v.toFixed(1).padStart(8)));
  }
  await deps.whatsapp.close();
} finally {
  await rest.close();
  await db.destroy();
}
