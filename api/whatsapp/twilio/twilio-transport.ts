/**
 * Twilio WhatsApp (the backup provider): outbound through the Twilio REST
 * Messages API with the shared client; inbound arrives on the signed webhook.
 * Free-form bodies inside the 24-hour window, Content templates outside it.
 */
import { AppError } from "../../../core/kernel/errors";
import type { TTwilioClient } from "../../../core/kernel/twilio-client";
import type { TMessageStatus, TOutboundSend, TSendResult, TWhatsAppTransport } from "../types";

export const asWhatsAppAddress = (phone: string) => (phone.startsWith("whatsapp:") ? phone : `whatsapp:${phone}`);

/** Twilio message status → ours. */
export function twilioStatus(status: string | null | undefined): TMessageStatus | null {
  switch (status) {
    case "accepted":
    case "queued":
    case "sending":
    case "scheduled":
      return "queued";
    case "sent":
      return "sent";
    case "delivered":
      return "delivered";
    case "read":
      return "read";
    case "failed":
    case "undelivered":
    case "canceled":
      return "failed";
    case "received":
    case "receiving":
      return "received";
    default:
      return null;
  }
}

export function createTwilioTransport(client: TTwilioClient, opts: { statusCallbackUrl?: () => string | undefined } = {}): TWhatsAppTransport {
  return {
    provider: "twilio",
    async send(_businessId: string, msg: TOutboundSend): Promise<TSendResult> {
      if (!msg.from) {
        throw new AppError("UNPROCESSABLE", "business has no WhatsApp number", { userMessage: "לא הוגדר מספר WhatsApp לעסק (Twilio)" });
      }
      const statusCallback = opts.statusCallbackUrl?.();
      const created = await client.messages.create({
        from: asWhatsAppAddress(msg.from),
        to: asWhatsAppAddress(msg.to),
        ...(msg.template
          ? { contentSid: msg.template.contentSid, contentVariables: msg.template.variables ? JSON.stringify(msg.template.variables) : undefined }
          : { body: msg.body ?? "" }),
        ...(statusCallback ? { statusCallback } : {}),
      });
      const status = twilioStatus(created.status) ?? "queued";
      if (status === "failed") {
        throw new AppError("UNAVAILABLE", `twilio rejected message ${created.sid}: ${created.errorCode ?? ""} ${created.errorMessage ?? ""}`, {
          userMessage: "Twilio דחה את ההודעה",
        });
      }
      return { providerMessageId: created.sid, status: status === "queued" ? "sent" : status };
    },
  };
}
