/**
 * `bun run bench:billing` — business-suite costs, measured through the same
 * services the tRPC procedures call:
 *
 *   - invoice issuing under concurrency (gapless numbering: throughput and
 *     per-invoice latency with N parallel issuers on one series),
 *   - Hebrew PDF rendering with Typst, p50/p95 per document type (tax
 *     invoice, receipt, credit note, signed contract with its signature
 *     image, analytics report) and the first render that loads the compiler,
 *   - the analytics report on the issued data.
 *
 *   bun run bench:billing                          # PGlite, and PostgreSQL too when DATABASE_URL is set
 *   bun run bench:billing -- --invoices 400 --parallel 16
 */
import postgres from "postgres";
import sharp from "sharp";
import { createDb, type TDbHandle } from "../../db/client";
import { seedDemo } from "../../db/seed/seed-demo";
import { analyticsReport } from "../../api/services/analytics/analytics-report";
import { renderAnalyticsPdf } from "../../api/services/analytics/render-analytics-pdf";
import { CONTRACT_TEMPLATES, fillTemplate } from "../../api/services/contracts/contract-templates";
import { renderContractPdf } from "../../api/services/contracts/render-contract-pdf";
import { createCreditNote } from "../../api/services/invoices/create-credit-note";
import { createInvoice } from "../../api/services/invoices/create-invoice";
import { renderInvoicePdf } from "../../api/services/invoices/render-invoice-pdf";
import type { TScope } from "../../core/domain/scope";

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

    // Document rendering (Typst): one PDF per document type, through the same services the procedures call.
    const time = async (label: string, n: number, render: () => Promise<Uint8Array>) => {
      const ms: number[] = [];
      let size = 0;
      for (let i = 0; i < n; i++) {
        const s = performance.now();
        size = (await render()).length;
        ms.push(performance.now() - s);
      }
      console.log(`[${kind}] ${label} PDF (${(size / 1024).toFixed(1)} KB): ${fmt(ms)}`);
    };
    const lines = [
      { description: "דמי תיווך דירה ברחוב הרצל", quantity: 1, unitPriceAgorot: 4_900_000 },
      { description: "צילום מקצועי", quantity: 2, unitPriceAgorot: 35_000 },
      { description: "ייעוץ משפטי", quantity: 1.5, unitPriceAgorot: 60_000 },
    ];
    const inv = await createInvoice(h.db, scope, { type: "tax_invoice", customerName: "יעל כהן", customerTaxId: "123456782", customerIdKind: "id", customerAddress: "הרצל 5, תל אביב", lines });
    const receipt = await createInvoice(h.db, scope, { type: "receipt", customerName: "יעל כהן", forInvoiceId: inv.id, note: "העברה בנקאית", lines: [{ description: "תשלום", quantity: 1, unitPriceAgorot: inv.totalAgorot }] });
    const other = await createInvoice(h.db, scope, { type: "tax_invoice", customerName: "דנה לוי", lines });
    const { creditNote } = await createCreditNote(h.db, scope, { invoiceId: other.id, amountAgorot: 70_000, reason: "הצילום בוטל" });
    const cold = performance.now();
    await renderInvoicePdf(h.db, scope, inv.id);
    console.log(`[${kind}] first PDF in the process (loads the Typst compiler and fonts): ${(performance.now() - cold).toFixed(1)} ms`);
    await time("tax invoice (3 lines)", PDFS, async () => (await renderInvoicePdf(h.db, scope, inv.id)).pdf);
    await time("receipt", PDFS, async () => (await renderInvoicePdf(h.db, scope, receipt.id)).pdf);
    await time("credit note", PDFS, async () => (await renderInvoicePdf(h.db, scope, creditNote.id)).pdf);

    const sig = await sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="400" height="160"><path d="M20 100 C 60 20, 90 160, 140 70 S 220 40, 380 90" stroke="#111" stroke-width="4" fill="none"/></svg>`)).png().toBuffer();
    const fields: Record<string, string> = {
      brokerName: "שי דירות ומשרדים בע״מ",
      brokerLicense: "3141592",
      clientName: "יעל כהן",
      clientPhone: "054-555-1234",
      clientIdNumber: "123456782",
      clientAddress: "הרצל 5, תל אביב",
      dealType: "רכישה",
      propertyAddress: "הרצל 12, תל אביב",
      propertyDescription: "דירת 4 חדרים, 95 מ״ר",
      price: "₪2,450,000",
      fee: "₪49,000",
      feeVat: "בתוספת מע״מ כדין",
      date: "30/11/2026",
    };
    const contract = { id: crypto.randomUUID(), template: "viewing_order", title: "הזמנת שירותי תיווך", body: fillTemplate(CONTRACT_TEMPLATES.viewing_order, fields), fields };
    await time("signed contract (with signature image)", PDFS, () => renderContractPdf(contract, { signerName: "יעל כהן", signedAt: new Date(), ip: "203.0.113.7", signaturePng: new Uint8Array(sig) }));
    await time("analytics report (30 days, 2 pages)", PDFS, async () => (await renderAnalyticsPdf(h.db, scope, {})).pdf);

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
