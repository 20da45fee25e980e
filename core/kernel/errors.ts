/**
 * One error type for services, one mapping each to HTTP (Hono) and tRPC.
 * Expected errors log at info, unknown ones at error.
 */
export const ERROR_CODES = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_MANY_REQUESTS: 429,
  UNPROCESSABLE: 422,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type TErrorCode = keyof typeof ERROR_CODES;

/** Default Hebrew messages shown to users when a service gives none. */
const HEBREW: Record<TErrorCode, string> = {
  BAD_REQUEST: "הבקשה אינה תקינה",
  UNAUTHORIZED: "יש להתחבר מחדש",
  FORBIDDEN: "אין לך הרשאה לפעולה זו",
  NOT_FOUND: "הפריט לא נמצא",
  CONFLICT: "הפריט כבר קיים או התנגשות בנתונים",
  TOO_MANY_REQUESTS: "יותר מדי ניסיונות, נסו שוב בעוד מספר דקות",
  UNPROCESSABLE: "לא ניתן לבצע את הפעולה",
  INTERNAL: "אירעה שגיאה פנימית, נסו שוב",
  UNAVAILABLE: "השירות אינו זמין כרגע, נסו שוב בעוד רגע",
};

export class AppError extends Error {
  readonly status: number;
  /** Message for the user, in Hebrew. */
  readonly userMessage: string;
  constructor(
    readonly code: TErrorCode,
    message?: string,
    opts: { userMessage?: string; cause?: unknown } = {},
  ) {
    super(message ?? code, { cause: opts.cause });
    this.name = "AppError";
    this.status = ERROR_CODES[code];
    this.userMessage = opts.userMessage ?? HEBREW[code];
  }
}

export function isExpected(err: unknown): err is AppError {
  return err instanceof AppError && err.status < 500;
}
