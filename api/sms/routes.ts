/**
 * Twilio SMS webhooks, behind the same signature check as the voice ones:
 *   POST /webhook/sms/inbound  an SMS to the business number → the customer's thread (unified
 *                              inbox); STOP/START; "1"/"כן" / "2"/"בטל" answer a viewing notice.
 *   POST /webhook/sms/status   delivery status of an SMS we sent (StatusCallback).
 * Both answer Twilio with empty TwiML (no auto-reply from Twilio itself).
 */
import { Hono } from "hono";
import { verifyTwilioSignature } from "../middleware/verify-twilio-signature";
import { AppError } from "../../core/kernel/errors";
import { handleInboundSms } from "../services/sms/handle-inbound-sms";
import { applySmsReceipt } from "../services/sms/sms-receipt";
import type { TAppDeps, THonoEnv } from "../types";
import { messagingDepsOf } from "./messaging-deps";

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

export function smsRoutes(deps: TAppDeps) {
  const app = new Hono<THonoEnv>();
  const signed = verifyTwilioSignature({ authToken: deps.twilioAuthToken, enabled: deps.config.twilio.signatureCheck, publicBaseUrl: deps.config.publicBaseUrl });
  const messaging = messagingDepsOf(deps);

  app.post("/webhook/sms/inbound", signed, async (c) => {
    const p = c.get("twilioParams");
    const log = c.get("log").child({ messageSid: p.MessageSid });
    try {
      const r = await handleInboundSms(messaging, { messageSid: p.MessageSid ?? "", from: p.From ?? "", to: p.To ?? "", body: p.Body ?? null, raw: p });
      log.info({ action: r.action, businessId: r.businessId, customerId: r.customerId }, "inbound sms handled");
    } catch (err) {
      // A malformed request is answered 400 (Twilio does not retry it); anything else 5xx, so Twilio retries.
      if (err instanceof AppError && err.status < 500) {
        log.warn({ err: err.message }, "inbound sms rejected");
        return c.text("Bad Request", 400);
      }
      throw err;
    }
    return c.body(EMPTY_TWIML, 200, { "content-type": "text/xml; charset=utf-8" });
  });

  app.post("/webhook/sms/status", signed, async (c) => {
    const p = c.get("twilioParams");
    const status = p.MessageStatus ?? p.SmsStatus;
    if (!p.MessageSid || !status) return c.text("Bad Request", 400);
    const row = await applySmsReceipt(deps.dbh.db, { messageSid: p.MessageSid, status, errorCode: p.ErrorCode ?? null, errorMessage: p.ErrorMessage ?? null });
    if (row) deps.events.publish({ type: "whatsapp.message", businessId: row.businessId, customerId: row.customerId, messageId: row.id, direction: "out" });
    return c.body(null, 204);
  });
  return app;
}
