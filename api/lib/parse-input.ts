import type { z } from "zod";
import { AppError } from "../../core/kernel/errors";

/**
 * Validate a service's input. A ZodError thrown inside a service would reach
 * tRPC as a 500; this turns it into BAD_REQUEST with the first issue's
 * message (schemas carry Hebrew messages where users can meet them).
 */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const first = r.error.issues[0];
  const hebrew = first && /[\u0590-\u05FF]/.test(first.message) ? first.message : "הנתונים שנשלחו אינם תקינים";
  throw new AppError("BAD_REQUEST", `invalid input: ${first?.path.join(".")} ${first?.message}`, { userMessage: hebrew, cause: r.error });
}
