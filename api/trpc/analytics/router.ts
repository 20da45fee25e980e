import { z } from "zod";
import { analyticsOverview, ZOverview } from "../../services/analytics/overview";
import { permissionProcedure, router, scopeOf, ZBusinessOverride } from "../init";

const ZWhen = z.iso.datetime({ offset: true, message: "תאריך לא תקין" }).or(z.iso.date({ message: "תאריך לא תקין" }));

export const analyticsRouter = router({
  overview: permissionProcedure("analytics")
    .input(ZBusinessOverride.extend({ from: ZWhen.optional(), to: ZWhen.optional() }).optional())
    .output(ZOverview)
    .query(({ ctx, input = {} }) => analyticsOverview(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), input)),
});
