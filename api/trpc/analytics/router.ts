import { z } from "zod";
import { analyticsOverview, ZOverview } from "../../services/analytics/overview";
import { analyticsReport, ZAnalyticsReport, ZReportRange } from "../../services/analytics/analytics-report";
import { exportAnalyticsCsv } from "../../services/analytics/export-analytics-csv";
import { renderAnalyticsPdf } from "../../services/analytics/render-analytics-pdf";
import { callMetrics, ZCallMetrics, ZCallMetricsInput } from "../../services/analytics/call-metrics";
import { permissionProcedure, router, scopeOf, ZBusinessOverride } from "../init";

const ZWhen = z.iso.datetime({ offset: true, message: "תאריך לא תקין" }).or(z.iso.date({ message: "תאריך לא תקין" }));

export const analyticsRouter = router({
  overview: permissionProcedure("analytics")
    .input(ZBusinessOverride.extend({ from: ZWhen.optional(), to: ZWhen.optional(), includeTest: z.boolean().optional() }).optional())
    .output(ZOverview)
    .query(({ ctx, input = {} }) => analyticsOverview(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), input)),

  /** The analytics page (billing engineer): full report for an inclusive date range (YYYY-MM-DD). */
  report: permissionProcedure("analytics")
    .input(ZBusinessOverride.extend(ZReportRange.shape).optional())
    .output(ZAnalyticsReport)
    .query(({ ctx, input = {} }) => analyticsReport(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), input)),

  /** The report's daily table as CSV (UTF-8 BOM, Hebrew headers). */
  exportCsv: permissionProcedure("analytics")
    .input(ZBusinessOverride.extend(ZReportRange.shape).optional())
    .output(z.object({ filename: z.string(), csv: z.string() }))
    .query(({ ctx, input = {} }) => exportAnalyticsCsv(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), input)),

  /** The report as a Hebrew PDF (Typst), base64. */
  reportPdf: permissionProcedure("analytics")
    .input(ZBusinessOverride.extend(ZReportRange.shape).optional())
    .output(z.object({ filename: z.string(), base64: z.string() }))
    .query(async ({ ctx, input = {} }) => {
      const f = await renderAnalyticsPdf(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), input);
      return { filename: f.filename, base64: Buffer.from(f.pdf).toString("base64") };
    }),

  /** Call latency (per stage, greeting, per engine, latest calls) for the dashboard. */
  callMetrics: permissionProcedure("analytics")
    .input(ZBusinessOverride.extend(ZCallMetricsInput.shape).optional())
    .output(ZCallMetrics)
    .query(({ ctx, input = {} }) => callMetrics(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), input)),
});
