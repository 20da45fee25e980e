import { z } from "zod";
import { AppError } from "../../../core/kernel/errors";
import { createBusiness, findBusiness, listBusinesses, toBusinessDto, updateBusiness, ZBusiness } from "../../services/businesses/manage-businesses";
import { adminProcedure, permissionProcedure, router, scopeOf, staffProcedure, ZBusinessOverride } from "../init";

const ZPhone = z.string().trim().max(40).nullable().optional();

export const businessesRouter = router({
  list: adminProcedure
    .input(z.void())
    .output(z.array(ZBusiness))
    .query(({ ctx }) => listBusinesses(ctx.deps.dbh.db)),

  get: staffProcedure
    .input(ZBusinessOverride.optional())
    .output(ZBusiness)
    .query(async ({ ctx, input }) => toBusinessDto(await findBusiness(ctx.deps.dbh.db, scopeOf(ctx, input?.businessId).businessId))),

  create: adminProcedure
    .input(
      z.object({
        name: z.string().trim().min(2, "יש להזין שם עסק").max(200),
        slug: z.string().regex(/^[a-z0-9-]{3,60}$/, "מזהה באותיות לטיניות קטנות, ספרות ומקפים").optional(),
        phoneNumber: ZPhone,
        agentPhone: ZPhone,
        whatsappNumber: ZPhone,
        timezone: z.string().max(60).optional(),
      }),
    )
    .output(ZBusiness)
    .mutation(({ ctx, input }) => createBusiness(ctx.deps.dbh.db, { userId: ctx.user.id, ip: ctx.ip }, input)),

  update: permissionProcedure("settings")
    .input(
      ZBusinessOverride.extend({
        name: z.string().trim().min(2).max(200).optional(),
        phoneNumber: ZPhone,
        agentPhone: ZPhone,
        whatsappNumber: ZPhone,
        timezone: z.string().max(60).optional(),
        active: z.boolean().optional(),
      }),
    )
    .output(ZBusiness)
    .mutation(({ ctx, input }) => {
      const { businessId, ...patch } = input;
      if (patch.active !== undefined && ctx.user.role !== "admin") {
        throw new AppError("FORBIDDEN", "active flag is admin-only", { userMessage: "רק מנהל מערכת יכול להשבית עסק" });
      }
      return updateBusiness(ctx.deps.dbh.db, scopeOf(ctx, businessId), patch);
    }),
});
