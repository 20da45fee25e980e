import { z } from "zod";
import { createUser, listUsers, setUserActive, updateUser, ZUser } from "../../services/users/manage-users";
import { permissionProcedure, router, scopeOf, ZBusinessOverride } from "../init";
import { ZEmail, ZId, ZPassword, ZPermission, ZRole } from "../schemas";

const p = permissionProcedure("users");

export const usersRouter = router({
  list: p
    .input(ZBusinessOverride.optional())
    .output(z.array(ZUser))
    .query(({ ctx, input }) => listUsers(ctx.deps.dbh.db, scopeOf(ctx, input?.businessId))),

  create: p
    .input(
      ZBusinessOverride.extend({
        email: ZEmail,
        fullName: z.string().trim().min(1, "יש להזין שם").max(200),
        role: ZRole.optional(),
        permissions: z.array(ZPermission).max(20),
        password: ZPassword.optional(),
      }),
    )
    .output(z.object({ user: ZUser, temporaryPassword: z.string().nullable() }))
    .mutation(({ ctx, input }) => {
      const { businessId, ...data } = input;
      return createUser(ctx.deps.dbh.db, scopeOf(ctx, businessId), ctx.user, data, ctx.deps.passwordCost);
    }),

  update: p
    .input(
      ZBusinessOverride.extend({
        id: ZId,
        fullName: z.string().trim().min(1).max(200).optional(),
        role: ZRole.optional(),
        permissions: z.array(ZPermission).max(20).optional(),
      }),
    )
    .output(ZUser)
    .mutation(({ ctx, input }) => {
      const { businessId, id, ...patch } = input;
      return updateUser(ctx.deps.dbh.db, scopeOf(ctx, businessId), ctx.user, id, patch);
    }),

  setActive: p
    .input(ZBusinessOverride.extend({ id: ZId, active: z.boolean() }))
    .output(ZUser)
    .mutation(({ ctx, input }) => setUserActive(ctx.deps.dbh.db, scopeOf(ctx, input.businessId), ctx.user, input.id, input.active)),
});
