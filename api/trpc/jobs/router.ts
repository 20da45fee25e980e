/**
 * Background jobs for platform admins: the failed ones (dead letters) with
 * their reason, and "retry". Absent job engine (a test app without one) → 503.
 */
import { z } from "zod";
import { AppError } from "../../../core/kernel/errors";
import { listFailedJobs, retryFailedJob, ZFailedJob } from "../../jobs/failed-jobs";
import { QUEUE_NAMES } from "../../jobs/job-queues";
import type { TAppDeps } from "../../types";
import { adminProcedure, router } from "../init";
import { ZId } from "../schemas";

const ZQueue = z.enum(QUEUE_NAMES as [string, ...string[]]);

function jobsOf(deps: TAppDeps) {
  if (!deps.jobs) throw new AppError("UNAVAILABLE", "no job engine in this process", { userMessage: "מנוע המשימות ברקע אינו פעיל בשרת זה" });
  return deps.jobs;
}

export const jobsRouter = router({
  /** Jobs that failed their last attempt, newest first. */
  failed: adminProcedure
    .input(z.object({ queue: ZQueue.optional(), limit: z.number().int().min(1).max(500).optional() }).optional())
    .output(z.array(ZFailedJob))
    .query(({ ctx, input }) => listFailedJobs(ctx.deps.dbh.db, jobsOf(ctx.deps), input ?? {})),

  /** Put a failed job back in its queue. */
  retry: adminProcedure
    .input(z.object({ queue: ZQueue, id: ZId }))
    .output(z.object({ ok: z.literal(true) }))
    .mutation(async ({ ctx, input }) => {
      await retryFailedJob(jobsOf(ctx.deps), input);
      return { ok: true as const };
    }),
});
