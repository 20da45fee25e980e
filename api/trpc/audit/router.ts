import { z } from "zod";
import { listAudit, ZAuditEntry } from "../../services/audit/list-audit";
import { adminProcedure, router } from "../init";
import { ZId, ZLimit } from "../schemas";

export const auditRouter = router({
  /** Platform admins only; all businesses unless `businessId` narrows it. */
  list: adminProcedure
    .input(
      z
        .object({
          businessId: ZId.optional(),
          cursor: z.string().max(20).optional(),
          limit: ZLimit,
          entityType: z.string().max(50).optional(),
          entityId: z.string().max(100).optional(),
          action: z.string().max(100).optional(),
        })
        .optional(),
    )
    .output(z.object({ items: z.array(ZAuditEntry), nextCursor: z.string().nullable() }))
    .query(({ ctx, input = {} }) => listAudit(ctx.deps.dbh.db, input)),
});
