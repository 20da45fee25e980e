import { eq } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { businesses } from "../../../db/schema";
import { formatAgorot, formatIsoDate, formatMs, formatNumber } from "../../../core/kernel/format";
import { loadTemplate, renderTypstPdf } from "../../lib/typst/render-typst-pdf";
import type { TScope } from "../../../core/domain/scope";
import { analyticsReport, type TAnalyticsReport, type TReportRange } from "./analytics-report";

const TEMPLATE = new URL("./analytics-report.typ", import.meta.url);

const SOURCE: Record<string, string> = { call: "שיחה", whatsapp: "וואטסאפ", manual: "ידני", import: "ייבוא" };
const STATUS: Record<string, string> = { new: "חדש", contacted: "נוצר קשר", qualified: "מתאים", viewing: "בצפייה", negotiation: "משא ומתן", won: "נסגר", lost: "אבוד" };

const pct = (v: number | null) => (v === null ? "—" : `${formatNumber(v, 1)}%`);
const secs = (v: number | null) => (v === null ? "—" : `${formatNumber(v, 0)} שנ׳`);

/** What the report template prints; every number through the one formatting module. */
export function analyticsDocumentData(r: TAnalyticsReport, businessName: string) {
  return {
    title: "דוח פעילות",
    businessName,
    from: formatIsoDate(r.from),
    to: formatIsoDate(r.to),
    kpis: [
      { label: "שיחות", value: formatNumber(r.calls.total) },
      { label: "טופלו על ידי AI", value: formatNumber(r.calls.aiHandled) },
      { label: "הועברו לנציג", value: formatNumber(r.calls.transferred) },
      { label: "לא נענו", value: formatNumber(r.calls.missed) },
      { label: "לידים חדשים", value: formatNumber(r.conversion.leads) },
      { label: "הגיעו לצפייה", value: pct(r.conversion.viewingRate) },
      { label: "עסקאות שנסגרו", value: pct(r.conversion.dealRate) },
      { label: "משך טיפול ממוצע", value: secs(r.calls.avgHandlingSec) },
    ],
    revenue: [
      { label: "חשבוניות לפני מע״מ", value: formatAgorot(r.revenue.invoicedAgorot) },
      { label: "זיכויים", value: formatAgorot(-r.revenue.creditedAgorot) },
      { label: "נטו לפני מע״מ", value: formatAgorot(r.revenue.netAgorot) },
      { label: "שולם", value: formatAgorot(r.revenue.paidAgorot) },
      { label: "שולם דרך קישורי תשלום", value: formatAgorot(r.revenue.paidViaLinksAgorot) },
    ],
    sources: r.leadsBySource.map((s) => ({ label: SOURCE[s.source] ?? s.source, count: formatNumber(s.count) })),
    funnel: r.funnel.map((s) => ({ label: STATUS[s.status] ?? s.status, count: formatNumber(s.count), reached: formatNumber(s.reached) })),
    latency: [
      { label: "תגובת הסוכן בשיחה (חציון)", value: formatMs(r.turnLatencyMs.p50) },
      { label: "תגובת הסוכן בשיחה (95%)", value: formatMs(r.turnLatencyMs.p95) },
      { label: "מענה בוואטסאפ (חציון)", value: secs(r.whatsappResponseSec.p50) },
    ],
    dayHeader: ["תאריך", "שיחות", "AI", "הועברו", "לידים", "וואטסאפ", "חשבוניות", "שולם"],
    days: r.days.map((d) => [
      formatIsoDate(d.day),
      formatNumber(d.calls),
      formatNumber(d.aiHandled),
      formatNumber(d.transferred),
      formatNumber(d.newLeads),
      formatNumber(d.whatsappIn),
      formatAgorot(d.invoicedAgorot),
      formatAgorot(d.paidAgorot),
    ]),
  };
}

/** The analytics report for a date range as a Hebrew PDF (Typst). */
export async function renderAnalyticsPdf(db: TDb, scope: TScope, input: TReportRange = {}): Promise<{ filename: string; pdf: Uint8Array }> {
  const report = await analyticsReport(db, scope, input);
  const [business] = await db.select({ name: businesses.name }).from(businesses).where(eq(businesses.id, scope.businessId));
  const pdf = await renderTypstPdf({ template: loadTemplate(TEMPLATE), data: analyticsDocumentData(report, business?.name ?? "") });
  return { filename: `kesher-analytics-${report.from}-${report.to}.pdf`, pdf };
}
