/**
 * `bun run bench:billing` — business-suite costs, measured through the same
 * services the tRPC procedures call:
 *
 *   - invoice issuing under concurrency (gapless numbering: throughput and
 *     per-invoice latency with N parallel issuers on one series),
 *   - Hebrew PDF rendering (invoice; signed contract with signature image),
 *   - the analytics report on the issued data.
 *
 *   bun run bench:billing                          # PGlite, and PostgreSQL too when DATABASE_URL is set
 *   bun run bench:billing -- --invoices 400 --parallel 16
 */
import postgres from "postgres";
import sharp from "sharp";
import { createDb, type TDbHandle } from "../../db/client";
import { seedDemo } from "../../db/seed/seed-demo";
import { analyticsReport } from "../services/analytics/analytics-report";
import { renderContractPdf } from "../services/contracts/render-contract-pdf";
import { createInvoice } from "../services/invoices/create-invoice";
import { renderInvoicePdf } from "../services/invoices/render-invoice-pdf";
import type { TScope } from "../services/scope";

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const INVOICES = arg("invoices", 200);
const PARALLEL = arg("parallel", 8);
const PDFS = arg("pdfs", 20);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
};
const fmt = (xs: number[]) => `p50 ${pct(xs, 50).toFixed(1)} ms · p95 ${pct(xs, 95).toFixed(1)} ms · max ${Math.max(...xs).toFixed(1)} ms`;

async function openDb(kind: "pglite" | "postgres"): Promise<{ h: TDbHandle; drop: () => Promise<void> }> {
  if (kind === "pglite") {
    const h = await createDb({});
    await h.migrate();
    return { h, drop: () => h.close() };
  }
  const base = process.env.DATABASE_URL!;
  const name = `kesher_bench_billing_${process.pid}`;
  const admin = postgres(base, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  const h = await createDb({ databaseUrl: u.toString(), maxConnections: PARALLEL + 2 });
  await h.migrate();
  return {
    h,
    drop: async () => {
      await h.close();
      const a = postgres(base, { max: 1, onnotice: () => {} });
      await a.unsafe(`drop database if exists "${name}" with (force)`);
      await a.end();
    },
  };
}

async function bench(kind: "pglite" | "postgres") {
  const { h, drop } = await openDb(kind);
  try {
    const { businessId } = await seedDemo(h.db, { adminPassword: "bench-password-123" });
    const scope: TScope = { businessId: businessId!, userId: null, ip: null };

    const lat: number[] = [];
    let next = 0;
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        while (next < INVOICES) {
          next++;
          const s = performance.now();
          await createInvoice(h.db, scope, { type: "tax_invoice", customerName: "לקוח בדיקה", lines: [{ description: "דמי תיווך", quantity: 1, unitPriceAgorot: 1_000_000 }] });
          lat.push(performance.now() - s);
        }
      }),
    );
    const total = performance.now() - t0;
    console.log(`[${kind}] issued ${lat.length} invoices with ${PARALLEL} parallel issuers in ${total.toFixed(0)} ms → ${((lat.length / total) * 1000).toFixed(0)}/s; per invoice ${fmt(lat)}`);

    const [first] = await h.db.query.invoices.findMany({ limit: 1 });
    const pdfMs: number[] = [];
    let bytes = 0;
    for (let i = 0; i < PDFS; i++) {
      const s = performance.now();
      bytes = (await renderInvoicePdf(h.db, scope, first!.id)).pdf.length;
      pdfMs.push(performance.now() - s);
    }
    console.log(`[${kind}] invoice PDF (${(bytes / 1024).toFixed(1)} KB): ${fmt(pdfMs)}`);

    const sig = await sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="400" height="160"><path d="M20 100 C 60 20, 90 160, 140 70 S 220 40, 380 90" stroke="#111" stroke-width="4" fill="none"/></svg>`)).png().toBuffer();
    const contract = {
      id: crypto.randomUUID(),
      template: "viewing_order",
      title: "הזמנת שירותי תיווך",
      body: "אני הח״מ יעל כהן, ת.ז. 123456782, מזמינה שירותי תיווך לרכישת דירת 4 חדרים ברחוב הרצל 12, תל אביב, במחיר ₪2,450,000.00.\nדמי התיווך: 2% בתוספת מע״מ.",
      fields: { brokerName: "שי דירות ומשרדים בע״מ", clientName: "יעל כהן" },
    };
    const cMs: number[] = [];
    for (let i = 0; i < PDFS; i++) {
      const s = performance.now();
      bytes = (await renderContractPdf(contract, { signerName: "יעל כהן", signedAt: new Date(), ip: "203.0.113.7", signaturePng: new Uint8Array(sig) })).length;
      cMs.push(performance.now() - s);
    }
    console.log(`[${kind}] signed contract PDF (${(bytes / 1024).toFixed(1)} KB): ${fmt(cMs)}`);

    const rMs: number[] = [];
    for (let i = 0; i < 10; i++) {
      const s = performance.now();
      await analyticsReport(h.db, scope, {});
      rMs.push(performance.now() - s);
    }
    console.log(`[${kind}] analytics report (30 days, ${lat.length} invoices): ${fmt(rMs)}`);
  } finally {
    await drop();
  }
}

for (const kind of ["pglite", ...(process.env.DATABASE_URL ? ["postgres" as const] : [])] as const) await bench(kind);
