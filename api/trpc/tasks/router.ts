import { z } from "zod";
import { completeTask, createTask, listTasks, TASK_PRIORITIES, TASK_STATUSES, updateTask, ZTask } from "../../services/tasks/manage-tasks";
import { permissionProcedure, router, scopeOf, ZBusinessOverride } from "../init";
import { ZId } from "../schemas";

const p = permissionProcedure("tasks");
const ZWhen = z.iso.datetime({ offset: true, message: "מועד לא תקין" });

const ZTaskFields = z.object({
  title: z.string().trim().min(1, "יש להזין כותרת").max(300),
  description: z.string().max(5000).nullable().optional(),
  customerId: ZId.nullable().optional(),
  callId: ZId.nullable().optional(),
  assignedUserId: ZId.nullable().optional(),
  dueAt: ZWhen.nullable().optional(),
  remindAt: ZWhen.nullable().optional(),
  priority: z.enum(TASK_PRIORITIES).optional(),
});

export const tasksRouter = router({
  list: p
    .input(
      ZBusinessOverride.extend({
        status: z.enum(TASK_STATUSES).optional(),
        assignedUserId: ZId.optional(),
        customerId: ZId.optional(),
        /** "המשימות שלי": tasks assigned to the signed-in user. */
        mine: z.boolean().optional(),
      }).optional(),
    )
    .output(z.array(ZTask))
    .query(({ ctx, input = {} }) => listTasks(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), input.mine ? { ...input, assignedUserId: ctx.user.id } : input)),

  create: p
    .input(ZBusinessOverride.extend(ZTaskFields.shape))
    .output(ZTask)
    .mutation(({ ctx, input }) => {
      const { businessId, ...data } = input;
      return createTask(ctx.deps.dbh.db, scopeOf(ctx, businessId), data);
    }),

  update: p
    .input(ZBusinessOverride.extend(ZTaskFields.partial().shape).extend({ id: ZId, status: z.enum(TASK_STATUSES).optional() }))
    .output(ZTask)
    .mutation(({ ctx, input }) => {
      const { businessId, id, ...patch } = input;
      return updateTask(ctx.deps.dbh.db, scopeOf(ctx, businessId), id, patch);
    }),

  complete: p
    .input(ZBusinessOverride.extend({ id: ZId }))
    .output(ZTask)
    .mutation(({ ctx, input }) => completeTask(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), input.id)),
});
