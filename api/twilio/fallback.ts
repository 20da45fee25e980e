/**
 * POST /twilio/fallback: Record mode. The watchdog redirects a live call here
 * when the media stream fails; Direct Record businesses land here on purpose.
 */
import type { Handler } from "hono";
import { publicOrigin } from "../lib/public-url";
import type { TAppDeps, THonoEnv } from "../types";
import { goodbyeTwiml, recordTwiml } from "./twiml";

export function fallbackWebhook(deps: TAppDeps): Handler<THonoEnv> {
  return async (c) => {
    const origin = publicOrigin(c.req.raw, deps.config.publicBaseUrl);
    const p = c.get("twilioParams");
    const step = c.req.query("step");
    c.get("log").info({ callSid: p.CallSid, step: step ?? "record" }, "fallback TwiML served");
    // After a transfer's <Dial>: a conversation that took place ends the call; otherwise take a message.
    const dialedDone = step === "dialed" && p.DialCallStatus === "completed";
    const xml =
      step === "recorded" || dialedDone
        ? goodbyeTwiml(origin)
        : recordTwiml({ origin, recordingCallbackUrl: `${origin}/twilio/recording`, actionUrl: `${origin}/twilio/fallback?step=recorded` });
    return c.body(xml, 200, { "content-type": "text/xml; charset=utf-8" });
  };
}
