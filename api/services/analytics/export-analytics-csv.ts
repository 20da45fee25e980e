import type { TDb } from "../../../db/client";
import { formatAgorot, formatIsoDate } from "../../../core/kernel/format";
import type { TScope } from "../../../core/domain/scope";
import { analyticsReport, type TReportRange } from "./analytics-report";

/** RFC 4180 field: quoted when it holds a comma, quote or newline. */
export function csvField(v: string | number | null): string {
  const s = v === null ? "" : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Agorot in the one style used everywhere ("₪1,234.50", no bidi marks; Hebrew Excel reads it as currency). */
const shekels = (agorot: number) => formatAgorot(agorot);

/**
 * The report's daily table as CSV with Hebrew headers, UTF-8 with a BOM so
 * Excel shows Hebrew correctly; dates and amounts as the dashboard and PDFs
 * print them (30/11/2026, ₪1,234.50).
 */
export async function exportAnalyticsCsv(db: TDb, scope: TScope, input: TReportRange = {}): Promise<{ filename: string; csv: string }> {
  const r = await analyticsReport(db, scope, input);
  const header = ["תאריך", "שיחות", "טופלו על ידי AI", "הועברו לנציג", "לידים חדשים", "הודעות WhatsApp נכנסות", "חשבוניות נטו לפני מע״מ", "שולם"];
  const rows = r.days.map((d) => [formatIsoDate(d.day), d.calls, d.aiHandled, d.transferred, d.newLeads, d.whatsappIn, shekels(d.invoicedAgorot), shekels(d.paidAgorot)]);
  const total = [
    "סה״כ",
    r.calls.total,
    r.calls.aiHandled,
    r.calls.transferred,
    r.conversion.leads,
    r.days.reduce((a, d) => a + d.whatsappIn, 0),
    shekels(r.revenue.netAgorot),
    shekels(r.revenue.paidAgorot),
  ];
  const csv = "\uFEFF" + [header, ...rows, total].map((row) => row.map(csvField).join(",")).join("\r\n") + "\r\n";
  return { filename: `kesher-analytics-${r.from}-${r.to}.csv`, csv };
}
