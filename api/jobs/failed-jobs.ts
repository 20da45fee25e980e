/**
 * The dead letters: jobs that failed their last attempt, with the reason
 * (pg-boss stores the thrown error as the job's output), and a retry that
 * puts one back in its queue. Platform-admin only (the router checks).
 */
import { sql } from "drizzle-orm";
import { z } from "zod";
import { rowsOf, type TDb } from "../../db/client";
import { AppError } from "../../core/kernel/errors";
import type { TJobs } from "./create-jobs";
import { QUEUE_NAMES, queueLabel } from "./job-queues";

export const ZFailedJob = z.object({
  id: z.string(),
  queue: z.string(),
  queueLabel: z.string(),
  key: z.string().nullable(),
  reason: z.string(),
  attempts: z.number().int(),
  createdAt: z.string(),
  failedAt: z.string().nullable(),
  businessId: z.string().nullable(),
  callId: z.string().nullable(),
});
export type TFailedJob = z.infer<typeof ZFailedJob>;

type TRow = {
  id: string;
  name: string;
  singleton_key: string | null;
  output: unknown;
  retry_count: number;
  data: Record<string, unknown> | null;
  created_on: Date | string;
  completed_on: Date | string | null;
};

const isoOf = (d: Date | string | null) => (d == null ? null : new Date(d).toISOString());

/** Readable failure reason from pg-boss's output (an Error serialised as {message, stack}, or whatever the handler threw). */
export function failureReason(output: unknown): string {
  if (output && typeof output === "object") {
    const o = output as { message?: unknown; value?: unknown };
    if (typeof o.message === "string" && o.message) return o.message.slice(0, 500);
    if (o.value !== undefined) return String(o.value).slice(0, 500);
    return JSON.stringify(output).slice(0, 500);
  }
  return output == null ? "unknown" : String(output).slice(0, 500);
}

/** Failed jobs of Kesher's queues, newest first. */
export async function listFailedJobs(db: TDb, jobs: TJobs, input: { limit?: number; queue?: string } = {}): Promise<TFailedJob[]> {
  await jobs.boss(); // the pgboss schema exists once the engine has started
  const limit = Math.min(Math.max(input.limit ?? 100, 1), 500);
  const names = input.queue ? QUEUE_NAMES.filter((n) => n === input.queue) : QUEUE_NAMES;
  if (!names.length) return [];
  const result = await db.execute(sql`
    select id::text as id, name, singleton_key, output, retry_count, data, created_on, completed_on
    from pgboss.job
    where state = 'failed' and name in (${sql.join(
      names.map((n) => sql`${n}`),
      sql`, `,
    )})
    order by completed_on desc nulls last
    limit ${limit}`);
  return rowsOf<TRow>(result).map((r) => ({
    id: r.id,
    queue: r.name,
    queueLabel: queueLabel(r.name),
    key: r.singleton_key,
    reason: failureReason(r.output),
    attempts: Number(r.retry_count) + 1,
    createdAt: isoOf(r.created_on)!,
    failedAt: isoOf(r.completed_on),
    businessId: typeof r.data?.businessId === "string" ? r.data.businessId : null,
    callId: typeof r.data?.callId === "string" ? r.data.callId : null,
  }));
}

/** Put a failed job back in its queue (pg-boss keeps its id, so its key stays one job). */
export async function retryFailedJob(jobs: TJobs, input: { queue: string; id: string }): Promise<void> {
  if (!QUEUE_NAMES.includes(input.queue)) throw new AppError("BAD_REQUEST", `unknown queue ${input.queue}`, { userMessage: "תור לא מוכר" });
  const boss = await jobs.boss();
  const job = await boss.getJobById(input.queue, input.id);
  if (!job) throw new AppError("NOT_FOUND", "job not found", { userMessage: "המשימה לא נמצאה (ייתכן שכבר נמחקה)" });
  if (job.state !== "failed") throw new AppError("CONFLICT", `job is ${job.state}`, { userMessage: "אפשר לנסות שוב רק משימה שנכשלה" });
  await boss.retry(input.queue, input.id);
}
