/**
 * Writes to `whatsapp_messages`: inbound messages idempotently on the
 * provider id (a redelivery is a no-op), outbound ones before they are sent
 * (so a failed send is still visible), and receipts that only move forward.
 */
import { and, eq, sql } from "drizzle-orm";
import type { TDb } from "../../../db/client";
import { customers, whatsappMessages } from "../../../db/schema";
import { findOrCreateCustomerByPhone } from "../../../core/domain/find-or-create-customer";
import type { TDbOrTx } from "../../../core/domain/write-audit";
import type { TInboundMessage, TMessageStatus, TWhatsAppProviderName } from "../../whatsapp/types";

export type TWhatsAppMessageRow = typeof whatsappMessages.$inferSelect;
export type TCustomerRow = typeof customers.$inferSelect;

export interface TRecordedInbound {
  message: TWhatsAppMessageRow;
  customer: TCustomerRow;
  /** False when this provider id was already stored (a redelivery). */
  created: boolean;
}

/** The customer with this phone in the business, created as a WhatsApp lead when new (a name staff typed is kept). */
export async function upsertWhatsAppCustomer(db: TDbOrTx, businessId: string, phone: string, profileName: string | null): Promise<TCustomerRow> {
  return (await findOrCreateCustomerByPhone(db, { businessId, phone, source: "whatsapp", fullName: profileName })).customer;
}

/** Store one inbound (or phone-echoed own) message; a duplicate provider id changes nothing. */
export async function recordInboundMessage(db: TDb, businessId: string, msg: TInboundMessage): Promise<TRecordedInbound> {
  return db.transaction(async (tx) => {
    const customer = await upsertWhatsAppCustomer(tx, businessId, msg.peerPhone, msg.fromMe ? null : msg.profileName);
    const [inserted] = await tx
      .insert(whatsappMessages)
      .values({
        businessId,
        customerId: customer.id,
        provider: msg.provider,
        providerMessageId: msg.providerMessageId,
        direction: msg.fromMe ? "out" : "in",
        author: msg.fromMe ? "staff" : "customer",
        fromNumber: msg.from,
        toNumber: msg.to,
        body: msg.body,
        mediaType: msg.mediaType,
        mediaUrl: msg.mediaUrl ?? null,
        status: msg.fromMe ? "sent" : "received",
        raw: msg.raw as object,
        sentAt: msg.sentAt,
      })
      .onConflictDoNothing({ target: [whatsappMessages.businessId, whatsappMessages.provider, whatsappMessages.providerMessageId] })
      .returning();
    if (inserted) return { message: inserted, customer, created: true };
    const [existing] = await tx
      .select()
      .from(whatsappMessages)
      .where(
        and(
          eq(whatsappMessages.businessId, businessId),
          eq(whatsappMessages.provider, msg.provider),
          eq(whatsappMessages.providerMessageId, msg.providerMessageId),
        ),
      );
    if (!existing) throw new Error(`message ${msg.providerMessageId} vanished during insert`);
    return { message: existing, customer, created: false };
  });
}

export interface TNewOutbound {
  businessId: string;
  customerId: string;
  provider: TWhatsAppProviderName;
  author: "ai" | "staff" | "system";
  authorUserId?: string | null;
  fromNumber: string;
  toNumber: string;
  body: string;
  raw?: object;
  /** Stamp from the business clock; default: the database's now(). */
  sentAt?: Date;
}

/** Insert an outgoing message as `queued`, before the transport is called. */
export async function insertOutboundMessage(db: TDb, m: TNewOutbound): Promise<TWhatsAppMessageRow> {
  const [row] = await db
    .insert(whatsappMessages)
    .values({ ...m, authorUserId: m.authorUserId ?? null, direction: "out", status: "queued" })
    .returning();
  if (!row) throw new Error("outbound insert returned nothing");
  return row;
}

/** Record the transport's answer for a queued message. */
export async function markOutboundResult(
  db: TDb,
  id: string,
  result: { providerMessageId: string; status: TMessageStatus } | { error: string },
): Promise<TWhatsAppMessageRow> {
  const set = "error" in result ? { status: "failed" as const, error: result.error } : { status: result.status, providerMessageId: result.providerMessageId };
  const [row] = await db.update(whatsappMessages).set(set).where(eq(whatsappMessages.id, id)).returning();
  if (!row) throw new Error(`message ${id} not found`);
  return row;
}

const RANK: Record<TMessageStatus, number> = { received: 0, queued: 0, sent: 1, delivered: 2, read: 3, failed: 4 };

/**
 * Apply a receipt. Statuses only move forward (a late "delivered" never
 * overwrites "read"); "failed" wins unless the message was already read.
 * Returns the updated row, or null when nothing changed.
 */
export async function applyReceipt(
  db: TDb,
  where: { provider: TWhatsAppProviderName; providerMessageId: string; businessId?: string },
  status: TMessageStatus,
  error?: string | null,
): Promise<TWhatsAppMessageRow | null> {
  const conds = [eq(whatsappMessages.provider, where.provider), eq(whatsappMessages.providerMessageId, where.providerMessageId)];
  if (where.businessId) conds.push(eq(whatsappMessages.businessId, where.businessId));
  const [current] = await db.select().from(whatsappMessages).where(and(...conds)).limit(1);
  if (!current) return null;
  const from = RANK[current.status];
  const to = RANK[status];
  const allowed = status === "failed" ? current.status !== "read" && current.status !== "failed" : to > from && current.status !== "failed";
  if (!allowed) return null;
  const [row] = await db
    .update(whatsappMessages)
    .set({ status, error: status === "failed" ? (error ?? "failed") : current.error })
    .where(eq(whatsappMessages.id, current.id))
    .returning();
  return row ?? null;
}
