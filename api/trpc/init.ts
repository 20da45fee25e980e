/**
 * tRPC setup shared by every router: the error formatter (Hebrew messages,
 * zod field errors, never a 500 for bad input) and the procedure builders
 * that narrow ctx:
 *
 *   publicProcedure            anyone
 *   staffProcedure             logged in (ctx.user)
 *   permissionProcedure(perm)  logged in and holding `perm` (admins hold all)
 *   adminProcedure             role "admin"
 *
 * Mutations are refused when the request comes from another site (CSRF).
 * Services throw AppError; it is mapped to the matching tRPC code here.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import { z, ZodError } from "zod";
import type { TPermission } from "../../db/schema";
import { AppError, type TErrorCode } from "../../core/kernel/errors";
import type { TScope } from "../../core/domain/scope";
import type { TTrpcContext } from "./context";

export type { TTrpcContext } from "./context";

const TRPC_CODE: Record<TErrorCode, TRPCError["code"]> = {
  BAD_REQUEST: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  TOO_MANY_REQUESTS: "TOO_MANY_REQUESTS",
  UNPROCESSABLE: "UNPROCESSABLE_CONTENT",
  INTERNAL: "INTERNAL_SERVER_ERROR",
  UNAVAILABLE: "SERVICE_UNAVAILABLE",
};

/** Hebrew text for errors tRPC raises itself (no AppError behind them). */
const HEBREW_BY_TRPC_CODE: Partial<Record<TRPCError["code"], string>> = {
  BAD_REQUEST: "הבקשה אינה תקינה",
  PARSE_ERROR: "הבקשה אינה תקינה",
  NOT_FOUND: "הפעולה לא נמצאה",
  METHOD_NOT_SUPPORTED: "הבקשה אינה נתמכת",
  UNAUTHORIZED: "יש להתחבר מחדש",
  FORBIDDEN: "אין לך הרשאה לפעולה זו",
  PAYLOAD_TOO_LARGE: "הבקשה גדולה מדי",
  TOO_MANY_REQUESTS: "יותר מדי ניסיונות, נסו שוב בעוד מספר דקות",
  INTERNAL_SERVER_ERROR: "אירעה שגיאה פנימית, נסו שוב",
};

/** Turn an AppError into the TRPCError a client sees (Hebrew message, same semantics). */
export function toTrpcError(err: AppError): TRPCError {
  return new TRPCError({ code: TRPC_CODE[err.code], message: err.userMessage, cause: err });
}

function zodSummary(err: ZodError): string {
  const first = err.issues[0];
  const field = first?.path.length ? ` (${first.path.join(".")})` : "";
  return `הנתונים שנשלחו אינם תקינים${field}`;
}

const t = initTRPC.context<TTrpcContext>().create({
  sse: {
    // Bun closes requests idle for 10 s: ping well inside that.
    ping: { enabled: true, intervalMs: 3000 },
    client: { reconnectAfterInactivityMs: 8000 },
  },
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    const zod = cause instanceof ZodError ? cause : null;
    const app = cause instanceof AppError ? cause : null;
    let message = shape.message;
    if (zod) message = zodSummary(zod);
    else if (app) message = app.userMessage;
    else if (error.code === "INTERNAL_SERVER_ERROR") message = HEBREW_BY_TRPC_CODE.INTERNAL_SERVER_ERROR!;
    else if (!/[\u0590-\u05FF]/.test(message)) message = HEBREW_BY_TRPC_CODE[error.code] ?? message;
    return {
      ...shape,
      message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        appCode: app?.code ?? null,
        fieldErrors: zod ? z.flattenError(zod).fieldErrors : null,
      },
    };
  },
});

export const router = t.router;
export const middleware = t.middleware;
export const createCallerFactory = t.createCallerFactory;

/** AppError → TRPCError with the right code; bad input is never a 500. */
const mapErrors = t.middleware(async ({ next, ctx, path, type }) => {
  const result = await next();
  if (!result.ok) {
    const cause = result.error.cause;
    if (cause instanceof AppError) {
      if (cause.status >= 500) ctx.log.error({ err: cause, path, type }, "procedure failed");
      else ctx.log.info({ code: cause.code, path, msg: cause.message }, "procedure refused");
      return { ...result, error: toTrpcError(cause) };
    }
    if (result.error.code === "INTERNAL_SERVER_ERROR") ctx.log.error({ err: result.error.cause ?? result.error, path, type }, "procedure crashed");
  }
  return result;
});

/** Mutations from another site are refused before any work happens. */
const csrf = t.middleware(({ ctx, type, next }) => {
  if (type === "mutation" && !ctx.sameOrigin) {
    throw new TRPCError({ code: "FORBIDDEN", message: "הבקשה נחסמה: מקור לא מורשה" });
  }
  return next();
});

export const publicProcedure = t.procedure.use(mapErrors).use(csrf);

/** Logged-in staff; ctx.user is the session user. */
export const staffProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.session) throw new TRPCError({ code: "UNAUTHORIZED", message: "יש להתחבר כדי להמשיך" });
  return next({ ctx: { ...ctx, session: ctx.session, user: ctx.session.user } });
});

/** Logged-in and allowed `perm` (admins always are). */
export function permissionProcedure(perm: TPermission) {
  return staffProcedure.use(({ ctx, next }) => {
    if (ctx.user.role !== "admin" && !ctx.user.permissions.includes(perm)) {
      throw new TRPCError({ code: "FORBIDDEN", message: "אין לך הרשאה לאזור זה" });
    }
    return next();
  });
}

/** Platform administrators only. */
export const adminProcedure = staffProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== "admin") throw new TRPCError({ code: "FORBIDDEN", message: "פעולה זו מותרת למנהלי מערכת בלבד" });
  return next();
});

/** Optional `businessId` input honoured only for admins (acting on another business). */
export const ZBusinessOverride = z.object({ businessId: z.uuid().optional() });

type TScopeCtx = { user: { id: string; role: "admin" | "business"; businessId: string | null }; ip: string | null };

/**
 * The business a procedure acts on. Non-admins always get their own business;
 * asking for another one is FORBIDDEN. Admins may pass `businessId`.
 */
export function scopeOf(ctx: TScopeCtx, requestedBusinessId?: string | null): TScope {
  const own = ctx.user.businessId;
  if (requestedBusinessId && requestedBusinessId !== own) {
    if (ctx.user.role !== "admin") throw new AppError("FORBIDDEN", "business override by non-admin", { userMessage: "אין לך גישה לעסק זה" });
    return { businessId: requestedBusinessId, userId: ctx.user.id, ip: ctx.ip };
  }
  if (!own) throw new AppError("BAD_REQUEST", "admin without business must pass businessId", { userMessage: "יש לבחור עסק" });
  return { businessId: own, userId: ctx.user.id, ip: ctx.ip };
}
