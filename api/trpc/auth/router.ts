import { z } from "zod";
import { AppError } from "../../../core/kernel/errors";
import { changePassword } from "../../services/auth/change-password";
import { login } from "../../services/auth/login";
import { revokeSession, validateSession } from "../../services/auth/sessions";
import { publicProcedure, router, staffProcedure } from "../init";
import { ZEmail, ZPassword, ZSessionUser } from "../schemas";

const ZMe = z
  .object({
    user: ZSessionUser,
    business: z.object({ id: z.string(), name: z.string() }).nullable(),
  })
  .nullable();

export const authRouter = router({
  login: publicProcedure
    .input(z.object({ email: ZEmail, password: z.string().min(1, "יש להזין סיסמה").max(200) }))
    .output(z.object({ user: ZSessionUser }))
    .mutation(async ({ ctx, input }) => {
      const { token } = await login(
        ctx.deps.dbh.db,
        ctx.limiter,
        { email: input.email, password: input.password, ip: ctx.ip, userAgent: ctx.userAgent },
        { resHeaders: ctx.resHeaders, secure: ctx.secureCookies },
        ctx.deps.passwordCost,
      );
      const session = await validateSession(ctx.deps.dbh.db, token, { secure: ctx.secureCookies });
      if (!session) throw new AppError("INTERNAL", "fresh session did not validate");
      ctx.log.info({ userId: session.user.id }, "user logged in");
      return { user: session.user };
    }),

  logout: publicProcedure
    .input(z.void())
    .output(z.object({ ok: z.boolean() }))
    .mutation(async ({ ctx }) => {
      if (!ctx.session) return { ok: false };
      await revokeSession(ctx.deps.dbh.db, ctx.session.sessionId, { resHeaders: ctx.resHeaders, secure: ctx.secureCookies });
      return { ok: true };
    }),

  me: publicProcedure
    .input(z.void())
    .output(ZMe)
    .query(({ ctx }) => (ctx.session ? { user: ctx.session.user, business: ctx.session.business } : null)),

  changePassword: staffProcedure
    .input(z.object({ currentPassword: z.string().min(1).max(200), newPassword: ZPassword }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await changePassword(
        ctx.deps.dbh.db,
        { userId: ctx.user.id, sessionId: ctx.session.sessionId, businessId: ctx.user.businessId, ip: ctx.ip },
        input,
        ctx.deps.passwordCost,
      );
      return { ok: true as const };
    }),
});
