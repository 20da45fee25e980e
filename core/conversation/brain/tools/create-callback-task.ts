/**
 * create_callback_task: a task for staff to call the caller back — after a
 * complaint, for an owner's property, for a search with no match (a saved
 * search), or whenever the conversation could not finish what the caller
 * wanted. The task is linked to the conversation's lead (found by phone when
 * the scope has no customer yet) and to the call.
 */
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { toE164 } from "../../../kernel/phone";
import type { TDb } from "../../../../db/client";
import { customers, tasks } from "../../../../db/schema";
import type { TToolDataDeps, TToolScope } from "./types";

export const ZCallbackTaskArgs = z.object({
  title: z.string().trim().min(1).max(200).describe("Short Hebrew title for staff, e.g. תלונה: לא חזרו ללקוח"),
  description: z.string().max(2000).optional().describe("What the caller said and wants, in Hebrew"),
  priority: z.enum(["low", "normal", "high"]).optional().describe("high for complaints"),
  kind: z.enum(["complaint", "listing", "saved_search", "callback", "follow_up"]).optional(),
});
export type TCallbackTaskArgs = z.infer<typeof ZCallbackTaskArgs>;

export interface TCallbackTaskResult {
  taskId: string;
  customerId: string | null;
  dueAt: string;
}

/** Callbacks are due within the working day; complaints within two hours. */
const DUE_MS = { high: 2 * 3_600_000, normal: 24 * 3_600_000, low: 72 * 3_600_000 } as const;

/** Insert the task (used by the tool and by the follow-up queue after a database outage). */
export async function insertCallbackTask(db: TDb, scope: TToolScope, args: TCallbackTaskArgs): Promise<TCallbackTaskResult> {
  const parsed = ZCallbackTaskArgs.parse(args);
  const now = scope.now?.() ?? new Date();
  let customerId = scope.customerId ?? null;
  const phone = toE164(scope.callerPhone ?? null);
  if (!customerId && phone) {
    const [c] = await db
      .select({ id: customers.id })
      .from(customers)
      .where(and(eq(customers.businessId, scope.businessId), eq(customers.phone, phone)));
    customerId = c?.id ?? null;
  }
  const priority = parsed.priority ?? "normal";
  const dueAt = new Date(now.getTime() + DUE_MS[priority]);
  const description = [parsed.description, phone ? `טלפון: ${phone}` : ""].filter(Boolean).join("\n");
  const [row] = await db
    .insert(tasks)
    .values({
      businessId: scope.businessId,
      customerId,
      callId: scope.channel === "whatsapp" ? null : (scope.callId ?? null),
      title: parsed.title,
      description: description || null,
      priority,
      dueAt,
    })
    .returning({ id: tasks.id });
  return { taskId: row!.id, customerId, dueAt: dueAt.toISOString() };
}

export async function createCallbackTask(deps: TToolDataDeps, scope: TToolScope, args: TCallbackTaskArgs): Promise<TCallbackTaskResult> {
  const res = await insertCallbackTask(deps.db, scope, args);
  deps.log.info({ businessId: scope.businessId, taskId: res.taskId, kind: args.kind ?? "callback" }, "callback task created by the assistant");
  return res;
}
