/**
 * Translation between Baileys' message shapes and Kesher's provider-neutral
 * ones: inbound WAMessage → TInboundMessage, receipt status → message status,
 * phone ↔ JID.
 */
import { getContentType, normalizeMessageContent, proto, type WAMessage } from "@whiskeysockets/baileys";
import { toE164 } from "../../../core/kernel/phone";
import type { TInboundMessage, TMessageStatus } from "../types";

/** JID of a phone number for sending ("+972541234567" → "972541234567@s.whatsapp.net"). */
export function phoneToJid(e164: string): string {
  return `${e164.replace(/\D/g, "")}@s.whatsapp.net`;
}

/** E.164 phone of a JID, using the alternate (phone) JID for LID-addressed chats. */
export function jidToPhone(jid: string | null | undefined, alt?: string | null): string | null {
  for (const candidate of [jid, alt]) {
    if (candidate && /@s\.whatsapp\.net$/.test(candidate)) {
      const user = candidate.split("@")[0]!.split(":")[0]!;
      return toE164(`+${user}`);
    }
  }
  return null;
}

/** Chats we never answer: groups, broadcasts/status, newsletters. */
export function isIgnoredJid(jid: string | null | undefined): boolean {
  return !jid || /@(g\.us|broadcast|newsletter)$/.test(jid);
}

const MEDIA_TYPES: Record<string, TInboundMessage["mediaType"]> = {
  imageMessage: "image",
  videoMessage: "video",
  audioMessage: "audio",
  documentMessage: "document",
  documentWithCaptionMessage: "document",
  stickerMessage: "sticker",
  locationMessage: "location",
  contactMessage: "contact",
};

/**
 * Convert one upserted message, or null when it carries nothing for us
 * (protocol messages, reactions, groups, messages without a phone).
 */
export function toInboundMessage(msg: WAMessage, ownPhone: string | null): TInboundMessage | null {
  const key = msg.key;
  if (!key?.id || isIgnoredJid(key.remoteJid)) return null;
  const content = normalizeMessageContent(msg.message);
  if (!content) return null;
  const type = getContentType(content);
  if (!type || type === "protocolMessage" || type === "reactionMessage" || type === "senderKeyDistributionMessage") return null;

  const peer = jidToPhone(key.remoteJid, key.remoteJidAlt);
  if (!peer) return null;
  const mediaType = MEDIA_TYPES[type] ?? null;
  const audio = type === "audioMessage" ? content.audioMessage : undefined;
  const body =
    content.conversation ??
    content.extendedTextMessage?.text ??
    content.imageMessage?.caption ??
    content.videoMessage?.caption ??
    content.documentMessage?.caption ??
    content.documentWithCaptionMessage?.message?.documentMessage?.caption ??
    null;
  const seconds = Number(msg.messageTimestamp ?? 0);
  return {
    provider: "baileys",
    providerMessageId: key.id,
    fromMe: Boolean(key.fromMe),
    from: key.fromMe ? (ownPhone ?? "") : peer,
    to: key.fromMe ? peer : (ownPhone ?? ""),
    peerPhone: peer,
    peerAddress: key.remoteJid!,
    body: body && body.trim() ? body : null,
    mediaType: audio?.ptt ? "voice" : mediaType,
    mediaMime: audio?.mimetype ?? content.imageMessage?.mimetype ?? content.documentMessage?.mimetype ?? null,
    profileName: msg.pushName ?? null,
    sentAt: seconds > 0 ? new Date(seconds * 1000) : new Date(),
    raw: { key, type },
  };
}

/** Baileys receipt status → ours (null for states we do not track). */
export function toMessageStatus(status: number | null | undefined): TMessageStatus | null {
  switch (status) {
    case proto.WebMessageInfo.Status.ERROR:
      return "failed";
    case proto.WebMessageInfo.Status.SERVER_ACK:
      return "sent";
    case proto.WebMessageInfo.Status.DELIVERY_ACK:
      return "delivered";
    case proto.WebMessageInfo.Status.READ:
    case proto.WebMessageInfo.Status.PLAYED:
      return "read";
    default:
      return null;
  }
}
