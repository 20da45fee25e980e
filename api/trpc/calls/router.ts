import { z } from "zod";
import { ZCall } from "../../services/calls/call-dto";
import { getCall, ZCallDetail } from "../../services/calls/get-call";
import { CALL_STATUSES, listCalls } from "../../services/calls/list-calls";
import { searchAll, ZSearchResult } from "../../services/calls/search-all";
import { deleteTestData } from "../../services/calls/test-calls";
import { permissionProcedure, router, scopeOf, ZBusinessOverride } from "../init";
import { ZCursor, ZId, ZLimit } from "../schemas";

const p = permissionProcedure("calls");
const ZDate = z.iso.datetime({ offset: true, message: "תאריך לא תקין" }).or(z.iso.date({ message: "תאריך לא תקין" }));

export const callsRouter = router({
  list: p
    .input(
      ZBusinessOverride.extend({
        cursor: ZCursor,
        limit: ZLimit,
        status: z.enum(CALL_STATUSES).optional(),
        search: z.string().trim().max(200).optional(),
        from: ZDate.optional(),
        to: ZDate.optional(),
        customerId: ZId.optional(),
      }).optional(),
    )
    .output(z.object({ items: z.array(ZCall), nextCursor: z.string().nullable() }))
    .query(({ ctx, input = {} }) => listCalls(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), input)),

  get: p
    .input(ZBusinessOverride.extend({ id: ZId }))
    .output(ZCallDetail)
    .query(({ ctx, input }) => getCall(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), input.id)),

  search: p
    .input(
      ZBusinessOverride.extend({
        q: z.string().trim().min(1, "יש להזין טקסט לחיפוש").max(200),
        /** Test calls ("שיחת ניסיון") are left out unless asked for (the calls page lists them, so it asks). */
        includeTest: z.boolean().optional(),
      }),
    )
    .output(ZSearchResult)
    .query(({ ctx, input }) => searchAll(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), input.q, { includeTest: input.includeTest })),

  /** Remove every test call ("שיחת ניסיון") and the leads they created, in one action. */
  deleteTestData: p
    .input(ZBusinessOverride)
    .output(z.object({ calls: z.number(), customers: z.number() }))
    .mutation(({ ctx, input }) => deleteTestData(ctx.deps.dbh.db, scopeOf(ctx, input.businessId))),
});
