import { z } from "zod";
import type { TPermission } from "../../../db/schema";
import { assignRecords, listAssignees, ZAssignable, ZAssignee, type TAssignable } from "../../services/assignments/assign-records";
import { getLeadAssignmentRules, setLeadAssignmentRules, ZLeadAssignmentRules } from "../../services/assignments/lead-assignment-rules";
import { TRPCError } from "@trpc/server";
import { permissionProcedure, router, scopeOf, staffProcedure, ZBusinessOverride } from "../init";
import { ZId } from "../schemas";

/** Assigning an entity needs that area's permission. */
const PERMISSION: Record<TAssignable, TPermission> = { customer: "customers", task: "tasks", appointment: "appointments" };

/** Ownership: who can be assigned, assigning records (single or bulk), and the AI's lead-assignment rules. */
export const assignmentsRouter = router({
  /** Active users of the business (for assignee pickers and "mine" filters). */
  assignees: staffProcedure
    .input(ZBusinessOverride.optional())
    .output(z.array(ZAssignee))
    .query(({ ctx, input }) => listAssignees(ctx.deps.dbh.db, scopeOf(ctx, input?.businessId))),

  /** Give records to an agent (`userId: null` unassigns). Rows of other businesses are never touched. */
  assign: staffProcedure
    .input(ZBusinessOverride.extend({ entity: ZAssignable, ids: z.array(ZId).min(1).max(1000), userId: ZId.nullable() }))
    .output(z.object({ updated: z.number() }))
    .mutation(({ ctx, input }) => {
      const perm = PERMISSION[input.entity];
      if (ctx.user.role !== "admin" && !ctx.user.permissions.includes(perm)) throw new TRPCError({ code: "FORBIDDEN", message: "אין לך הרשאה לאזור זה" });
      return assignRecords(ctx.deps.dbh.db, ctx.deps.events, scopeOf(ctx, input.businessId), input);
    }),

  rules: permissionProcedure("settings")
    .input(ZBusinessOverride.optional())
    .output(ZLeadAssignmentRules)
    .query(({ ctx, input }) => getLeadAssignmentRules(ctx.deps.dbh.db, scopeOf(ctx, input?.businessId))),

  setRules: permissionProcedure("settings")
    .input(ZBusinessOverride.extend({ rules: ZLeadAssignmentRules }))
    .output(ZLeadAssignmentRules)
    .mutation(({ ctx, input }) => setLeadAssignmentRules(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), input.rules)),
});
