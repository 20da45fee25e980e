/**
 * What every conversation tool receives: explicit dependencies and the scope
 * of the conversation. The scope's businessId is the tenant boundary — tools
 * never read or write another business's rows.
 */
import type { TDb } from "../../../../db/client";
import type { TEventBus } from "../../../kernel/events";
import type { TLogger } from "../../../kernel/logger";
import type { TChannel } from "../types";
import type { TFollowUpQueue } from "./follow-up-queue";

export interface TToolDeps {
  db: TDb;
  events: TEventBus;
  log: TLogger;
  /** Where failed database work waits until the database answers (created once by whoever builds the agents). */
  followUps: TFollowUpQueue;
  /**
   * A tool the database has not answered within this long counts as failed (follow-up queued, the
   * caller told we will get back), so a hanging database never leaves the line silent. Default 5000; 0: no limit.
   */
  toolTimeoutMs?: number;
}

/** What a single tool reads and writes with (the registry adds the follow-up queue and the deadline around it). */
export type TToolDataDeps = Pick<TToolDeps, "db" | "events" | "log">;

/** What an agent factory takes: the tool deps, its follow-up queue optional (the factory then creates its own, once). */
export type TAgentToolDeps = Omit<TToolDeps, "followUps"> & { followUps?: TFollowUpQueue };

export interface TToolScope {
  businessId: string;
  channel: TChannel;
  /** call_logs.id when the conversation is a phone call. */
  callId?: string;
  customerId?: string | null;
  /** E.164 (or "whatsapp:+972…"); used to find or create the lead. */
  callerPhone?: string | null;
  /** Business timezone for spoken times (default Asia/Jerusalem). */
  timezone?: string;
  /** Clock, injectable so tests are deterministic. */
  now?: () => Date;
}
