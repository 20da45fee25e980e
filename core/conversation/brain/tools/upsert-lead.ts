/**
 * create_or_update_lead: one customers row per caller phone per business.
 * Names are never blanked, requirements are merged (new values win), and the
 * status only moves forward (new → qualified → viewing …), so a second call
 * from the same person enriches the lead instead of resetting it.
 */
import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { toE164 } from "../../../kernel/phone";
import { findOrCreateCustomerByPhone } from "../../../domain/find-or-create-customer";
import { assignLeadByRules } from "../../../domain/assign-lead";
import { AppError } from "../../../kernel/errors";
import type { TDb } from "../../../../db/client";
import { customers, ZRequirements, type TRequirements } from "../../../../db/schema";
import type { TToolDataDeps, TToolScope } from "./types";

export const LEAD_STATUSES = ["new", "contacted", "qualified", "viewing", "negotiation", "won", "lost"] as const;
type TLeadStatus = (typeof LEAD_STATUSES)[number];

/** The one requirements schema (db/schema/requirements.ts), shared with the dashboard and CSV import. */
export { ZRequirements };

export const ZUpsertLeadArgs = z.object({
  name: z.string().trim().min(1).max(120).optional().describe("Caller's full name as they said it"),
  requirements: ZRequirements.optional(),
  status: z.enum(["new", "contacted", "qualified", "viewing"]).optional(),
  notes: z.string().max(2000).optional(),
});
export type TUpsertLeadArgs = z.infer<typeof ZUpsertLeadArgs>;

export interface TUpsertLeadResult {
  customerId: string;
  created: boolean;
  name: string | null;
  status: TLeadStatus;
  requirements: TRequirements;
}

const rank = (s: TLeadStatus) => LEAD_STATUSES.indexOf(s);

/**
 * Create or update the lead for this conversation. Pass a transaction as `db`
 * to make it part of a larger write (book_viewing does).
 */
export async function upsertLead(
  deps: TToolDataDeps,
  scope: TToolScope,
  raw: TUpsertLeadArgs,
  db: TDb = deps.db,
): Promise<TUpsertLeadResult & { publish: () => void }> {
  const args = ZUpsertLeadArgs.parse(raw);
  const phone = toE164(scope.callerPhone ?? null);
  const source = scope.channel === "whatsapp" ? "whatsapp" : "call";
  let existing: typeof customers.$inferSelect | undefined;
  let created = false;
  if (scope.customerId) {
    [existing] = await db
      .select()
      .from(customers)
      .where(and(eq(customers.id, scope.customerId), eq(customers.businessId, scope.businessId)));
    if (!existing) throw new AppError("NOT_FOUND", "customer not found in this business");
  } else if (phone) {
    // The one find-or-create by phone: a concurrent conversation from the same number meets the same row.
    ({ customer: existing, created } = await findOrCreateCustomerByPhone(db, { businessId: scope.businessId, phone, source, fullName: args.name ?? null }));
  } else {
    [existing] = await db.insert(customers).values({ businessId: scope.businessId, source }).returning();
    created = true;
  }
  if (!existing) throw new AppError("INTERNAL", "lead insert returned nothing");

  const requirements = mergeRequirements(existing.requirements ?? {}, args.requirements ?? {});
  const status = args.status && rank(args.status) > rank(existing.status) ? args.status : existing.status;
  const [row] = await db
    .update(customers)
    .set({
      fullName: args.name ?? existing.fullName,
      requirements,
      status,
      notes: args.notes ? [existing.notes, args.notes].filter(Boolean).join("\n") : existing.notes,
    })
    .where(and(eq(customers.id, existing.id), eq(customers.businessId, scope.businessId)))
    .returning();
  if (!row) throw new AppError("NOT_FOUND", "customer vanished during the lead update");
  // An unassigned lead goes to an agent by the business's rules (settings); by area / deal type waits until the caller said it.
  const assignment = row.assignedUserId ? null : await assignLeadByRules(db, { businessId: scope.businessId, customerId: row.id, requirements: row.requirements });
  const announceLead = () => deps.events.publish({ type: "lead.created", businessId: scope.businessId, customerId: row.id, name: row.fullName });
  const announceAssignment = () =>
    assignment &&
    deps.events.publish({
      type: "assigned",
      businessId: scope.businessId,
      entity: "customer",
      ids: [row.id],
      count: 1,
      title: assignment.name,
      assignedUserId: assignment.assignedUserId,
      by: "rules",
      byUserId: null,
    });
  return {
    customerId: row.id,
    created,
    name: row.fullName,
    status: row.status,
    requirements: row.requirements,
    publish: () => {
      if (created) announceLead();
      announceAssignment();
    },
  };
}

/** New values win; lists are unioned; undefined never erases. */
export function mergeRequirements(a: TRequirements, b: TRequirements): TRequirements {
  const out: TRequirements = { ...a };
  for (const [k, v] of Object.entries(b) as Array<[keyof TRequirements, unknown]>) {
    if (v === undefined) continue;
    if (Array.isArray(v)) {
      const prev = (a[k] as string[] | undefined) ?? [];
      (out as Record<string, unknown>)[k] = [...new Set([...v, ...prev])];
    } else if (v && typeof v === "object") {
      // An owner's listing is completed over several turns: merge its fields.
      (out as Record<string, unknown>)[k] = { ...((a[k] as object | undefined) ?? {}), ...v };
    } else (out as Record<string, unknown>)[k] = v;
  }
  return out;
}
