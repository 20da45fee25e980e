/**
 * Live-call actions through the Twilio REST API (Calls resource update):
 *   - transfer: `<Dial>` to the business's agent phone (announced once, by the
 *     agent's own sentence before the action; an unanswered dial tells the
 *     caller and takes a message, /twilio/fallback?step=dialed); outside
 *     business hours (or with no agent phone) the message prompt and Record
 *     (/twilio/fallback?step=message, no "fault" wording);
 *   - redirect to the Record fallback (the watchdog);
 *   - hang up (`status: completed`).
 * Each returns what it did; none throws for a missing Twilio account (the
 * session keeps running and the log says why nothing happened).
 */
import { and, eq } from "drizzle-orm";
import twilio from "twilio";
import type { TDb } from "../../../db/client";
import { businesses, callLogs } from "../../../db/schema";
import type { TLogger } from "../../../core/kernel/logger";
import type { TTwilioClient } from "../../../core/kernel/twilio-client";
import { isOpenAt } from "../whatsapp/business-hours";

const { VoiceResponse } = twilio.twiml;

export interface TCallActionDeps {
  db: TDb;
  log: TLogger;
  twilio: TTwilioClient | null;
  /** Public origin for callback URLs (PUBLIC_BASE_URL or the one the webhook saw). */
  origin: string | undefined;
  now?: () => Date;
}

export interface TCallRef {
  callSid: string;
  businessId: string;
}

export type TTransferOutcome =
  | { kind: "dial"; agentPhone: string; twiml: string }
  | { kind: "message"; reason: "closed" | "no_agent"; twiml: string }
  | { kind: "skipped"; reason: "no_twilio" | "no_origin" | "unknown_business" };

/**
 * TwiML of a transfer: `<Dial>` only — the caller already heard the agent say
 * it is transferring (a second announcement was the old bug). An unanswered
 * dial goes to /twilio/fallback?step=dialed (told, message, callback task).
 */
export function transferTwiml(origin: string, agentPhone: string, callerId?: string | null): string {
  const r = new VoiceResponse();
  const dial = r.dial({ timeout: 25, action: `${origin}/twilio/fallback?step=dialed`, method: "POST", ...(callerId ? { callerId } : {}) });
  dial.number(agentPhone);
  return r.toString();
}

/** TwiML outside business hours / without an agent line: the message prompt (no "fault") and Record. */
export function takeMessageTwiml(origin: string): string {
  const r = new VoiceResponse();
  r.redirect({ method: "POST" }, `${origin}/twilio/fallback?step=message`);
  return r.toString();
}

export async function transferCall(deps: TCallActionDeps, call: TCallRef): Promise<TTransferOutcome> {
  const log = deps.log.child({ callSid: call.callSid, action: "transfer" });
  if (!deps.twilio) {
    log.warn("transfer requested but no Twilio account is configured");
    return { kind: "skipped", reason: "no_twilio" };
  }
  if (!deps.origin) {
    log.warn("transfer requested but the public URL is unknown (set PUBLIC_BASE_URL)");
    return { kind: "skipped", reason: "no_origin" };
  }
  const [biz] = await deps.db
    .select({ agentPhone: businesses.agentPhone, phoneNumber: businesses.phoneNumber, settings: businesses.settings, timezone: businesses.timezone })
    .from(businesses)
    .where(eq(businesses.id, call.businessId))
    .limit(1);
  if (!biz) return { kind: "skipped", reason: "unknown_business" };
  const open = isOpenAt(biz.settings.businessHours, biz.timezone || "Asia/Jerusalem", deps.now?.() ?? new Date());
  if (open && biz.agentPhone) {
    const twiml = transferTwiml(deps.origin, biz.agentPhone, biz.phoneNumber);
    await deps.twilio.calls(call.callSid).update({ twiml });
    await deps.db
      .update(callLogs)
      .set({ transferred: true })
      .where(and(eq(callLogs.callSid, call.callSid), eq(callLogs.businessId, call.businessId)));
    log.info({ agentPhone: biz.agentPhone }, "call transferred to a human agent");
    return { kind: "dial", agentPhone: biz.agentPhone, twiml };
  }
  const twiml = takeMessageTwiml(deps.origin);
  await deps.twilio.calls(call.callSid).update({ twiml });
  const reason = open ? "no_agent" : "closed";
  log.info({ reason }, "no agent available: taking a message instead of transferring");
  return { kind: "message", reason, twiml };
}

/** Move a live call to the Record fallback (watchdog). */
export async function redirectToFallback(deps: Pick<TCallActionDeps, "twilio" | "origin" | "log">, callSid: string, why: string): Promise<boolean> {
  if (!deps.twilio || !deps.origin) {
    deps.log.error({ callSid, why }, "cannot redirect the call to the Record fallback (no Twilio account or public URL)");
    return false;
  }
  await deps.twilio.calls(callSid).update({ url: `${deps.origin}/twilio/fallback`, method: "POST" });
  deps.log.warn({ callSid, why }, "call redirected to the Record fallback");
  return true;
}

/** End a live call (after the goodbye has played). */
export async function hangupCall(deps: Pick<TCallActionDeps, "twilio" | "log">, callSid: string): Promise<boolean> {
  if (!deps.twilio) return false;
  await deps.twilio.calls(callSid).update({ status: "completed" });
  deps.log.info({ callSid }, "call hung up through the REST API");
  return true;
}
