/** Provider-neutral WhatsApp types shared by the Baileys and Twilio transports and the services. */

export type TWhatsAppProviderName = "baileys" | "twilio";
export type TMessageStatus = "received" | "queued" | "sent" | "delivered" | "read" | "failed";
export type TMediaType = "image" | "video" | "audio" | "voice" | "document" | "sticker" | "location" | "contact";

/** One message as a transport delivered it (inbound, or an own message echoed by the phone). */
export interface TInboundMessage {
  provider: TWhatsAppProviderName;
  /** Baileys key id or Twilio MessageSid: the idempotency key. */
  providerMessageId: string;
  /** Sent from the business's own phone (Baileys echoes those). */
  fromMe: boolean;
  from: string;
  to: string;
  /** The customer's E.164 phone. */
  peerPhone: string;
  /** Where to reply (Baileys JID, or "whatsapp:+972…" for Twilio). */
  peerAddress: string;
  body: string | null;
  mediaType: TMediaType | null;
  mediaMime: string | null;
  /** Twilio media URL (Baileys media stays on WhatsApp's servers). */
  mediaUrl?: string | null;
  /** WhatsApp profile name, used to name a new lead. */
  profileName: string | null;
  sentAt: Date;
  raw: unknown;
  /** Baileys: download (and decrypt) the media bytes from WhatsApp's servers. */
  download?: () => Promise<Uint8Array>;
}

/** A send through a transport; the result carries the provider id for receipts. */
export interface TOutboundSend {
  to: string;
  /** The business's WhatsApp number (Twilio needs it; Baileys sends as the logged-in phone). */
  from?: string;
  body?: string;
  /** Twilio Content API template (required outside the 24-hour window). */
  template?: { contentSid: string; variables?: Record<string, string> };
}

export interface TSendResult {
  providerMessageId: string;
  status: TMessageStatus;
}

/** A transport that can send for one business. */
export interface TWhatsAppTransport {
  readonly provider: TWhatsAppProviderName;
  send(businessId: string, msg: TOutboundSend): Promise<TSendResult>;
}

/** Live state of a business's Baileys connection, shown in the dashboard. */
export interface TConnectionStatus {
  state: "idle" | "connecting" | "qr" | "pairing_code" | "open" | "reconnecting" | "logged_out" | "stopped";
  /** QR image (data:image/svg+xml URL) while waiting for a scan. */
  qrDataUrl: string | null;
  pairingCode: string | null;
  /** Own number once logged in (E.164). */
  me: string | null;
  reason: string | null;
  reconnectAttempts: number;
  updatedAt: string;
}
