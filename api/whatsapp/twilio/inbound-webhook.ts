/**
 * POST /webhook/whatsapp/inbound — Twilio WhatsApp inbound message (signed;
 * the signature middleware runs first). We answer Twilio (empty TwiML) as
 * soon as the message is stored; transcription and the AI reply continue in
 * the background, so a slow model never hits Twilio's 15 s webhook timeout.
 * If storing fails Twilio gets a 5xx and retries; a retry of a stored
 * MessageSid is recognised and ignored.
 *
 * POST /webhook/whatsapp/status — Twilio message status callbacks (sent,
 * delivered, read, failed) for messages we sent.
 */
import { asc, eq, or } from "drizzle-orm";
import type { Handler } from "hono";
import type { TDb } from "../../../db/client";
import { businesses } from "../../../db/schema";
import { toE164 } from "../../../core/kernel/phone";
import type { THonoEnv } from "../../types";
import type { TInboundMessage, TMediaType, TMessageStatus } from "../types";
import { twilioStatus } from "./twilio-transport";

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/** The business a WhatsApp number belongs to (its WhatsApp or voice number), else the oldest active one. */
export async function resolveBusinessForWhatsApp(db: TDb, to: string | null) {
  if (to) {
    const [match] = await db
      .select()
      .from(businesses)
      .where(or(eq(businesses.whatsappNumber, to), eq(businesses.phoneNumber, to)))
      .limit(1);
    if (match) return match;
  }
  const [first] = await db.select().from(businesses).where(eq(businesses.active, true)).orderBy(asc(businesses.createdAt)).limit(1);
  return first ?? null;
}

function mediaTypeOf(contentType: string | undefined): TMediaType | null {
  if (!contentType) return null;
  if (contentType.startsWith("image/")) return "image";
  if (contentType.startsWith("video/")) return "video";
  // WhatsApp voice notes arrive as audio/ogg (opus).
  if (contentType.startsWith("audio/")) return contentType.includes("ogg") ? "voice" : "audio";
  return "document";
}

/** Twilio's form parameters → a provider-neutral inbound message (null when not a usable message). */
/** Twilio sends no timestamp: the message is stamped with `receivedAt` (the business clock). */
export function fromTwilioParams(p: Record<string, string>, receivedAt: Date = new Date()): TInboundMessage | null {
  const sid = p.MessageSid ?? p.SmsMessageSid;
  const peer = toE164(p.From);
  if (!sid || !peer) return null;
  const numMedia = Number(p.NumMedia ?? "0");
  const mediaType = numMedia > 0 ? mediaTypeOf(p.MediaContentType0) : null;
  return {
    provider: "twilio",
    providerMessageId: sid,
    fromMe: false,
    from: peer,
    to: toE164(p.To) ?? (p.To ?? "").replace(/^whatsapp:/, ""),
    peerPhone: peer,
    peerAddress: peer,
    body: p.Body?.trim() ? p.Body : null,
    mediaType,
    mediaMime: numMedia > 0 ? (p.MediaContentType0 ?? null) : null,
    mediaUrl: numMedia > 0 ? (p.MediaUrl0 ?? null) : null,
    profileName: p.ProfileName?.trim() || null,
    sentAt: receivedAt,
    raw: { params: p },
  };
}

export function whatsappInboundWebhook(opts: {
  db: TDb;
  handle: (businessId: string, msg: TInboundMessage, onStored: () => void) => Promise<unknown>;
  now?: () => Date;
}): Handler<THonoEnv> {
  return async (c) => {
    const p = c.get("twilioParams");
    const log = c.get("log");
    const msg = fromTwilioParams(p, opts.now?.());
    if (!msg) {
      log.warn({ keys: Object.keys(p) }, "whatsapp webhook without MessageSid or sender");
      return c.text("Missing MessageSid or From", 400);
    }
    const business = await resolveBusinessForWhatsApp(opts.db, msg.to || null);
    if (!business) {
      log.error({ to: msg.to }, "no business to receive whatsapp message");
      return c.text("No business", 503);
    }
    await new Promise<void>((resolve, reject) => {
      opts.handle(business.id, msg, resolve).then(() => resolve(), reject);
    });
    return c.body(EMPTY_TWIML, 200, { "content-type": "text/xml; charset=utf-8" });
  };
}

export function whatsappStatusWebhook(opts: {
  receipt: (providerMessageId: string, status: TMessageStatus, error: string | null) => Promise<boolean>;
}): Handler<THonoEnv> {
  return async (c) => {
    const p = c.get("twilioParams");
    const sid = p.MessageSid ?? p.SmsSid;
    const status = twilioStatus(p.MessageStatus ?? p.SmsStatus);
    if (sid && status && status !== "queued" && status !== "received") {
      const error = p.ErrorCode ? `twilio ${p.ErrorCode}${p.ErrorMessage ? `: ${p.ErrorMessage}` : ""}` : null;
      const updated = await opts.receipt(sid, status, error);
      c.get("log").info({ sid, status, updated }, "whatsapp status callback");
    }
    return c.body(null, 204);
  };
}
