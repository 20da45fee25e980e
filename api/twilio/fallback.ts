/**
 * POST /twilio/fallback: the message flow after the call left the stream.
 *   (no step)          the watchdog moved a broken call here: apology for the fault, then record;
 *   step=message       a transfer outside business hours / with no agent line (the agent has
 *                      already said why): the message prompt, no apology, then record;
 *   step=dialed        after a transfer's <Dial>: a conversation that took place ends the call;
 *                      no-answer / busy / failed: the caller is told, may leave a message, and
 *                      staff get a callback task;
 *   step=recorded      after <Record>: thank the caller and hang up.
 */
import { eq } from "drizzle-orm";
import type { Handler } from "hono";
import { businesses, callLogs } from "../../db/schema";
import { publicOrigin } from "../../core/kernel/public-url";
import { recordMissedTransfer } from "../services/calls/missed-transfer";
import type { TStaticName } from "../static/static-audio";
import type { TAppDeps, THonoEnv } from "../types";
import { goodbyeTwiml, recordTwiml } from "./twiml";

export function fallbackWebhook(deps: TAppDeps): Handler<THonoEnv> {
  return async (c) => {
    const origin = publicOrigin(c.req.raw, deps.config.publicBaseUrl);
    const p = c.get("twilioParams");
    const step = c.req.query("step");
    const log = c.get("log").child({ callSid: p.CallSid });
    log.info({ step: step ?? "record", dialStatus: p.DialCallStatus }, "fallback TwiML served");

    // The call's business: its voice and greeting in every prompt.
    const [business] = p.CallSid
      ? await deps.dbh.db
          .select({ id: businesses.id, name: businesses.name, settings: businesses.settings })
          .from(callLogs)
          .innerJoin(businesses, eq(businesses.id, callLogs.businessId))
          .where(eq(callLogs.callSid, p.CallSid))
          .limit(1)
          .catch((err: unknown) => {
            log.warn({ err }, "could not look up the call's business; using the default voice");
            return [];
          })
      : [];

    const dialed = step === "dialed";
    if (step === "recorded" || (dialed && p.DialCallStatus === "completed")) return xml(c, goodbyeTwiml(origin, business));

    let intro: TStaticName[] = ["record_prompt_he.mp3"];
    if (step === "message") intro = ["message_prompt_he.mp3"];
    if (dialed) {
      intro = ["transfer_failed_he.mp3"];
      if (p.CallSid) {
        const now = deps.now?.() ?? new Date();
        await recordMissedTransfer(deps.dbh.db, { callSid: p.CallSid, dialStatus: p.DialCallStatus ?? "failed", now })
          .then((r) => r?.created && log.info({ taskId: r.taskId, dialStatus: p.DialCallStatus }, "transfer not answered: callback task created"))
          .catch((err: unknown) => log.error({ err }, "could not create the callback task for an unanswered transfer"));
      }
    }
    return xml(c, recordTwiml({ origin, recordingCallbackUrl: `${origin}/twilio/recording`, actionUrl: `${origin}/twilio/fallback?step=recorded`, business, intro }));
  };
}

const xml = (c: Parameters<Handler<THonoEnv>>[0], body: string) => c.body(body, 200, { "content-type": "text/xml; charset=utf-8" });
