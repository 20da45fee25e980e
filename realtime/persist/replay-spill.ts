/**
 * Replays call writes a crashed process left in DATA_DIR/spill. The call
 * recorder spills, in order, whatever a long database outage backed up past
 * its memory bound; when the process dies before the database returns, those
 * lines are the only copy of what the caller said. At the next start each
 * file whose owner is gone (its pid is not running, or it is our own pid from
 * before this process started, as in a restarted container) is claimed by an
 * atomic rename,
 * written in file order (turns are idempotent on call_id + seq, the end of
 * the call keeps the first ended_at), and removed. A file the database
 * refuses for now is put back for the next start; nothing is dropped.
 *
 * @example
 *   const r = await replaySpilledCalls({ db, log, spillDir: join(config.dataDir, "spill") });
 *   // { files: 1, writes: 30, kept: 0 }
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import { isTransientDbError } from "../../core/kernel/db-errors";
import type { TLogger } from "../../core/kernel/logger";
import type { TDb } from "../../db/client";
import { callLogs } from "../../db/schema";
import { findOrCreateCall, SPILL_FILE, writeCallEnd, writeTurn, type TCallIdentity, type TSpilledOp } from "./call-recorder";

export interface TReplayResult {
  /** Files replayed and removed. */
  files: number;
  /** Writes performed (turns and call ends). */
  writes: number;
  /** Files put back because the database was not available (retried at the next start). */
  kept: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CLAIMED = /^(.+\.jsonl)\.replaying-(\d+)-(\d+)$/;

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: alive but someone else's.
    return (err as { code?: string }).code === "EPERM";
  }
}

export async function replaySpilledCalls(deps: {
  db: TDb;
  log: TLogger;
  spillDir: string;
  /** Is the process that wrote a file still running? Default: a signal-0 probe (this process counts as gone: it has no recorder yet). */
  isAlive?: (pid: number) => boolean;
  /** When this process started (ms since epoch): its own files are live, never replayed. Default: the runtime's start. */
  startedAt?: number;
}): Promise<TReplayResult> {
  const result: TReplayResult = { files: 0, writes: 0, kept: 0 };
  if (!existsSync(deps.spillDir)) return result;
  const alive = deps.isAlive ?? ((pid: number) => pid !== process.pid && pidAlive(pid));
  // Same pid as ours (a container restart reuses it): only files from before this process started are a past life's.
  const bornAt = deps.startedAt ?? Math.floor(performance.timeOrigin);
  const ours = (pid: number, since: number) => pid === process.pid && since >= bornAt;
  const log = deps.log.child({ component: "spill-replay" });

  for (const name of readdirSync(deps.spillDir).sort()) {
    // Our own file from an earlier life (same pid after a container restart) or another dead process's.
    const fresh = SPILL_FILE.exec(name);
    const stale = CLAIMED.exec(name);
    const ownerPid = Number(fresh?.[1] ?? stale?.[2] ?? NaN);
    if (!fresh && !stale) continue;
    // Written (or claimed) since this process started: live work of ours, not a past life's.
    const since = Number(fresh ? name.split("-")[1] : stale![3]);
    if (alive(ownerPid) || ours(ownerPid, since)) continue;
    const original = fresh ? name : stale![1]!;
    const claimed = join(deps.spillDir, `${original}.replaying-${process.pid}-${Date.now()}`);
    try {
      renameSync(join(deps.spillDir, name), claimed);
    } catch {
      continue; // another starting process took it first
    }
    const ops = readFileSync(claimed, "utf8")
      .split("\n")
      .filter((l) => l.trim())
      .map((l) => JSON.parse(l) as TSpilledOp);
    try {
      result.writes += await replayFile(deps.db, log, ops);
      rmSync(claimed, { force: true });
      result.files++;
      log.info({ file: original, writes: ops.length }, "replayed call writes left by a process that stopped");
    } catch (err) {
      renameSync(claimed, join(deps.spillDir, original));
      result.kept++;
      log.warn({ err, file: original }, "spilled call writes kept for the next start (database unavailable)");
    }
  }
  return result;
}

async function replayFile(db: TDb, log: TLogger, ops: TSpilledOp[]): Promise<number> {
  const calls = new Map<string, { callId: string; businessId: string }>();
  const resolve = async (id: TCallIdentity | undefined) => {
    if (!id) throw new Error("spilled write without its call");
    const key = `${id.callId ?? ""}|${id.callSid}`;
    const known = calls.get(key);
    if (known) return known;
    let [row] =
      id.callId && UUID.test(id.callId)
        ? await db
            .select({ callId: callLogs.id, businessId: callLogs.businessId })
            .from(callLogs)
            .where(id.businessId && UUID.test(id.businessId) ? and(eq(callLogs.id, id.callId), eq(callLogs.businessId, id.businessId)) : eq(callLogs.id, id.callId))
        : [];
    if (!row && id.callSid) [row] = await db.select({ callId: callLogs.id, businessId: callLogs.businessId }).from(callLogs).where(eq(callLogs.callSid, id.callSid));
    // The row never made it either (the webhook and the attach both met the outage): create it.
    const found = row ?? (await findOrCreateCall(db, id));
    const call = { callId: found.callId, businessId: found.businessId };
    calls.set(key, call);
    return call;
  };
  let writes = 0;
  for (const op of ops) {
    try {
      if (op.kind === "attach") {
        await resolve(op.id);
        continue;
      }
      const call = await resolve(op.call);
      if (op.kind === "turn") await writeTurn(db, call, op.n, op.t);
      else await writeCallEnd(db, call.callId, op.metrics, op.durationSec);
      writes++;
    } catch (err) {
      if (isTransientDbError(err)) throw err;
      // A write the database refuses for good (e.g. its business was deleted) must not block the rest.
      log.error({ err, kind: op.kind }, "spilled call write could not be replayed; skipped");
    }
  }
  return writes;
}
