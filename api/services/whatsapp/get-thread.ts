/**
 * One customer's thread for the inbox: WhatsApp messages and call summaries
 * mixed in time order, the provider in use, and the 24-hour window state.
 */
import { and, desc, eq } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { businesses, callLogs, customers, whatsappMessages } from "../../../db/schema";
import { AppError } from "../../../core/kernel/errors";
import type { TWhatsAppProviderName } from "../../whatsapp/types";
import type { TScope } from "../../../core/domain/scope";
import { windowFrom, type TMessagingWindow } from "./messaging-window";
import { providerOf } from "./send-whatsapp-message";

export type TThreadItem =
  | {
      kind: "whatsapp";
      id: string;
      at: Date;
      direction: "in" | "out";
      author: "customer" | "ai" | "staff" | "system";
      body: string | null;
      mediaType: string | null;
      mediaUrl: string | null;
      status: "received" | "queued" | "sent" | "delivered" | "read" | "failed";
      error: string | null;
      /** "sms" for Twilio SMS messages, which share the customer's thread. */
      provider: TWhatsAppProviderName | "sms";
    }
  | { kind: "call"; id: string; at: Date; status: string; durationSec: number | null; summary: string | null; direction: string };

export interface TThread {
  customer: { id: string; name: string | null; phone: string | null; aiPaused: boolean; status: string };
  provider: TWhatsAppProviderName;
  /** Meaningful for Twilio (official API); Baileys has no window. */
  window: TMessagingWindow & { enforced: boolean };
  items: TThreadItem[];
}

export async function getThread(db: TDb, scope: TScope, customerId: string, opts: { limit?: number; now?: Date } = {}): Promise<TThread> {
  const limit = Math.min(opts.limit ?? 200, 500);
  const [customer] = await db
    .select()
    .from(customers)
    .where(and(eq(customers.id, customerId), eq(customers.businessId, scope.businessId)));
  if (!customer) throw new AppError("NOT_FOUND", "customer not in business", { userMessage: "השיחה לא נמצאה" });
  const [business] = await db.select({ settings: businesses.settings }).from(businesses).where(eq(businesses.id, scope.businessId));
  const provider = business ? providerOf(business) : "baileys";

  const messages = await db
    .select()
    .from(whatsappMessages)
    .where(and(eq(whatsappMessages.businessId, scope.businessId), eq(whatsappMessages.customerId, customerId)))
    .orderBy(desc(whatsappMessages.sentAt))
    .limit(limit);
  const calls = await db
    .select()
    .from(callLogs)
    .where(and(eq(callLogs.businessId, scope.businessId), eq(callLogs.customerId, customerId)))
    .orderBy(desc(callLogs.startedAt))
    .limit(50);

  const items: TThreadItem[] = [
    ...messages.map(
      (m): TThreadItem => ({
        kind: "whatsapp",
        id: m.id,
        at: m.sentAt,
        direction: m.direction,
        author: m.author,
        body: m.body,
        mediaType: m.mediaType,
        mediaUrl: m.mediaUrl,
        status: m.status,
        error: m.error,
        provider: m.provider,
      }),
    ),
    ...calls.map(
      (c): TThreadItem => ({ kind: "call", id: c.id, at: c.startedAt, status: c.status, durationSec: c.durationSec, summary: c.summary, direction: c.direction }),
    ),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());

  // An SMS does not open the WhatsApp window.
  const lastInbound = messages.find((m) => m.direction === "in" && m.provider !== "sms")?.sentAt ?? null;
  return {
    customer: { id: customer.id, name: customer.fullName, phone: customer.phone, aiPaused: customer.aiPaused, status: customer.status },
    provider,
    window: { ...windowFrom(lastInbound, opts.now ?? new Date()), enforced: provider === "twilio" },
    items,
  };
}
