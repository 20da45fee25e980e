/**
 * The business's rules for assigning new leads from calls and WhatsApp
 * (applied by core/domain/assign-lead.ts). Stored in `businesses.settings`
 * under `leadAssignment`; written with a jsonb_set of that key alone, so the
 * other settings and the round-robin counter are left as they are.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { z } from "zod";
import type { TDb } from "../../../db/client";
import { businesses, users, type TLeadAssignmentRules } from "../../../db/schema";
import { AppError } from "../../../core/kernel/errors";
import { writeAudit } from "../../../core/domain/write-audit";
import type { TScope } from "../../../core/domain/scope";

export const ZLeadAssignmentRules = z.object({
  mode: z.enum(["off", "round_robin", "by_area", "by_deal_type"]),
  agentIds: z.array(z.uuid()).max(100),
  areas: z.array(z.object({ place: z.string().trim().min(1, "יש להזין אזור").max(80), userId: z.uuid() })).max(200),
  dealTypes: z.object({ sale: z.uuid().nullable().optional(), rent: z.uuid().nullable().optional() }),
});

export const NO_ASSIGNMENT: TLeadAssignmentRules = { mode: "off", agentIds: [], areas: [], dealTypes: {} };

export async function getLeadAssignmentRules(db: TDb, scope: TScope): Promise<TLeadAssignmentRules> {
  const [b] = await db.select({ settings: businesses.settings }).from(businesses).where(eq(businesses.id, scope.businessId)).limit(1);
  if (!b) throw new AppError("NOT_FOUND", "business not found", { userMessage: "העסק לא נמצא" });
  return { ...NO_ASSIGNMENT, ...(b.settings.leadAssignment ?? {}) };
}

/** Every agent named in the rules must be an active user of this business. */
export async function setLeadAssignmentRules(db: TDb, scope: TScope, rules: TLeadAssignmentRules): Promise<TLeadAssignmentRules> {
  const ids = [...new Set([...rules.agentIds, ...rules.areas.map((a) => a.userId), rules.dealTypes.sale, rules.dealTypes.rent].filter((x): x is string => !!x))];
  if (rules.mode === "round_robin" && rules.agentIds.length === 0) {
    throw new AppError("BAD_REQUEST", "round robin without agents", { userMessage: "יש לבחור לפחות נציג אחד לחלוקה בתורות" });
  }
  return db.transaction(async (tx) => {
    if (ids.length) {
      const found = await tx
        .select({ id: users.id })
        .from(users)
        .where(and(inArray(users.id, ids), eq(users.businessId, scope.businessId), eq(users.active, true)));
      if (found.length !== ids.length) throw new AppError("NOT_FOUND", "assignment agent not in business", { userMessage: "אחד הנציגים שנבחרו לא נמצא בעסק" });
    }
    const before = await getLeadAssignmentRules(tx as unknown as TDb, scope);
    await tx
      .update(businesses)
      .set({ settings: sql`jsonb_set(${businesses.settings}, '{leadAssignment}', ${JSON.stringify(rules)}::jsonb)` })
      .where(eq(businesses.id, scope.businessId));
    await writeAudit(tx, scope, { action: "settings.leadAssignment", entityType: "business", entityId: scope.businessId, before: { ...before }, after: { ...rules } });
    return rules;
  });
}
