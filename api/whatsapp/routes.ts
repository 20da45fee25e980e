/** The Twilio WhatsApp webhooks, each behind the same signature check as the voice webhooks. */
import { Hono } from "hono";
import { verifyTwilioSignature } from "../middleware/verify-twilio-signature";
import type { TAppDeps, THonoEnv } from "../types";
import { whatsappInboundWebhook, whatsappStatusWebhook } from "./twilio/inbound-webhook";
import type { TWhatsAppHub } from "./whatsapp-hub";

export function whatsappRoutes(deps: Pick<TAppDeps, "dbh" | "config" | "twilioAuthToken" | "now">, hub: TWhatsAppHub) {
  const app = new Hono<THonoEnv>();
  const signed = verifyTwilioSignature({
    authToken: deps.twilioAuthToken,
    enabled: deps.config.twilio.signatureCheck,
    publicBaseUrl: deps.config.publicBaseUrl,
  });
  app.post("/webhook/whatsapp/inbound", signed, whatsappInboundWebhook({ db: deps.dbh.db, handle: (businessId, msg, onStored) => hub.handleInbound(businessId, msg, onStored), now: deps.now }));
  app.post("/webhook/whatsapp/status", signed, whatsappStatusWebhook({ receipt: (sid, status, error) => hub.receipt("twilio", sid, status, error) }));
  return app;
}
