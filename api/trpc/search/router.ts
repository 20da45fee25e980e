/** `search.global`: the ⌘K palette's one query across customers, calls, listings, messages and documents. */
import { z } from "zod";
import { ZGlobalSearchResult, ZSearchKind } from "../../services/search/search-dto";
import { searchGlobal } from "../../services/search/search-global";
import { router, scopeOf, staffProcedure, ZBusinessOverride } from "../init";

export const searchRouter = router({
  global: staffProcedure
    .input(
      ZBusinessOverride.extend({
        q: z.string().trim().min(1, "יש להקליד מה לחפש").max(200, "חיפוש ארוך מדי"),
        limit: z.number().int().min(1).max(20).optional(),
        includeTest: z.boolean().optional(),
        kinds: z.array(ZSearchKind).max(6).optional(),
      }),
    )
    .output(ZGlobalSearchResult)
    .query(({ ctx, input }) => {
      const { businessId, ...rest } = input;
      // Each kind appears only to staff allowed its area.
      const allowed = (perm: string) => ctx.user.role === "admin" || (ctx.user.permissions as string[]).includes(perm);
      const kinds = (rest.kinds?.length ? rest.kinds : ZSearchKind.options).filter((k) =>
        allowed({ customer: "customers", call: "calls", property: "properties", message: "whatsapp", contract: "billing", invoice: "billing" }[k]),
      );
      if (!kinds.length) return { q: rest.q, corrected: null, groups: [], tookMs: 0 };
      return searchGlobal(ctx.deps.dbh.db, scopeOf(ctx, businessId), { ...rest, kinds });
    }),
});
