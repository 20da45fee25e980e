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
  /** Where failed database work waits until the database answers (default: one queue per db handle). */
  followUps?: TFollowUpQueue;
}

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
